/*
 * fastexp.h - internal: exp(x) for x <= 0 in plain arithmetic, so that the
 * sigmoid GANs evaluate the same way in single runs and in the vectorised
 * sweep kernels (libm's exp cannot be vectorised without -ffast-math, and
 * a vector math library would round differently from the scalar call).
 *
 * exp(x) = 2^k exp(r), k = round(x / ln 2), r = x - k ln 2 (Cody-Waite, two
 * constants), |r| <= ln(2)/2; exp(r) by its Taylor series to r^13 (the
 * remainder is below 5e-18 relative), mostly by Estrin's scheme; 2^k applied as two exact power-of-two
 * factors so that results down to the subnormals round once.  Accuracy:
 * within 1 ulp of libm's exp on [-745, 0] (tests/test_models.c).  x > 0 is
 * treated as 0; NaN gives NaN.
 */
#ifndef GANDYN_FASTEXP_H
#define GANDYN_FASTEXP_H

#include <stdint.h>
#include <string.h>

static inline double gdn__exp_neg(double x)
{
    /* clamp to [-1100, 0]: below -745.2 the result is 0 anyway (NaN stays) */
    x = x > 0 ? 0 : (x < -1100 ? -1100 : x);
    const double magic = 0x1.8p52; /* adding it rounds to an integer */
    double kd = (x * 0x1.71547652b82fep0 + magic) - magic; /* round(x/ln2) */
    double r = x - kd * 0x1.62e42fefa3800p-1; /* ln 2, high part (exact) */
    r = r - kd * 0x1.ef35793c76730p-45;      /* ln 2, low part */
    /* exp(r) = 1 + r (1 + r q(r)), q = sum_{j=0..11} r^j / (j + 2)!; q by
     * Estrin's scheme (a short dependency chain: Horner's 13 sequential
     * steps made single runs 45 % slower), the last two steps by Horner's
     * for the accuracy of the leading terms */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double a0 = 1.0 / 2.0 + r * (1.0 / 6.0);
    double a1 = 1.0 / 24.0 + r * (1.0 / 120.0);
    double a2 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    double a3 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    double a4 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    double a5 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    double c0 = a0 + r2 * a1, c1 = a2 + r2 * a3, c2 = a4 + r2 * a5;
    double q = (c0 + r4 * c1) + r8 * c2;
    double p = 1.0 + r * (1.0 + r * q);
    /* 2^k = 2^k1 2^k2, both factors normal (k >= -1587 here); 2^j is built
     * from the low bits of j + 1023 + 2^52 shifted into the exponent, with
     * no integer conversion, so the loop vectorises */
    double k1 = (kd * 0.5 + magic) - magic, k2 = kd - k1;
    double e1 = k1 + (1023.0 + 0x1p52), e2 = k2 + (1023.0 + 0x1p52);
    uint64_t b1, b2;
    memcpy(&b1, &e1, sizeof b1);
    memcpy(&b2, &e2, sizeof b2);
    b1 <<= 52, b2 <<= 52;
    double s1, s2;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    return p * s1 * s2;
}

#endif
