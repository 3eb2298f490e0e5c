/*
 * gmath.h - internal: gandyn's own elementary functions, in plain double
 * arithmetic (no fma, no long double, no integer<->double conversions, no
 * table), so that every CPU and every libm variant (glibc dispatches exp,
 * log and pow to FMA or non-FMA code) gives the same bits, and so that
 * loops over lanes vectorise (branches are selects).
 *
 *   gdn__exp(x)       e^x, whole range (overflow to inf above 709.78,
 *                     subnormal results rounded once, 0 below -745.13)
 *   gdn__expm1(x)     e^x - 1, accurate near 0
 *   gdn__log(x)       log x; log 0 = -inf, log(x < 0) = NaN, subnormals ok
 *   gdn__log1p(x)     log(1 + x), accurate near 0; -1 -> -inf, < -1 -> NaN
 *   gdn__pow_pos(x,y) x^y for x > 0, as exp(y log x) with log x and y log x
 *                     carried as double-double pairs (pow_pos(0, 0) is NaN)
 *   gdn__hypot(x,y)   sqrt(x^2 + y^2), no overflow or underflow
 * NaN in gives NaN out.  Accuracy (tests/test_gmath.c, against
 * libquadmath): below 1 ulp from the exact value, hence at most 1 ulp from
 * the correctly rounded result; worst measured over 10^7 points each
 * (`test_gmath --measure 10000000`): exp 0.754, expm1 0.658, log 0.858,
 * log1p 0.827 ulp; pow_pos 0.75 ulp (0.53 where the result is normal: the
 * rest is the subnormal range's second rounding), for any exponent, beta^k
 * up to k = 1e7 included; hypot 0.75 ulp (at a subnormal result).
 * Bit-identical only when compiled without contraction (-ffp-contract=off,
 * as gandyn is): a compiler that fuses a * b + c into an fma changes bits.
 *
 * exp/expm1: k = round(x / ln 2), r = x - k ln 2 as r + c (Cody-Waite, two
 * constants, the rounding error of the subtraction kept in c), |r| <=
 * ln(2)/2; e^r - 1 = r + r^2/2 + r^3 q(r) with r^2 split exactly (Dekker)
 * and q the Taylor series to r^14, so that e^r - 1 is known as a pair to
 * ~2^-58; 2^k applied as two exact power-of-two factors.
 * log/log1p: x = 2^k m, m in [sqrt(2)/2, sqrt(2)), f = m - 1, s = f/(2+f),
 * log m = f - f^2/2 + s (f^2/2 + R(s^2)) with fdlibm's minimax R
 * (e_log.c, Sun Microsystems 1993); log1p carries the rounding error of
 * 1 + x as a correction c / (1 + x).
 */
#ifndef GANDYN_GMATH_H
#define GANDYN_GMATH_H

#include <math.h> /* INFINITY, NAN only: no libm call */
#include <stdint.h>
#include <string.h>

static inline double gdn__from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static inline uint64_t gdn__to_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* 2^j for an integer-valued double j in [-1022, 1023], no conversion */
static inline double gdn__pow2i(double j)
{
    return gdn__from_bits(gdn__to_bits(j + (1023.0 + 0x1p52)) << 52);
}

/* x = k ln 2 + (r + c), k = round(x / ln 2); |x| <= 1100 */
static inline double gdn__exp_reduce(double x, double *r, double *c)
{
    const double magic = 0x1.8p52; /* adding it rounds to an integer */
    double kd = (x * 0x1.71547652b82fep0 + magic) - magic;
    double hi = x - kd * 0x1.62e42fefa3800p-1; /* exact: 42-bit ln 2 */
    double lo = kd * 0x1.ef35793c76730p-45;
    double rr = hi - lo;
    *r = rr;
    *c = (hi - rr) - lo;
    return kd;
}

/* e^(r + c) - 1 = h + l (|h| >= |l|), |r| <= 0.35, |c| <= 2^-50 |r| + tiny */
static inline void gdn__expm1_pair(double r, double c, double *h, double *l)
{
    /* r^2 = r2h + r2l exactly (Dekker's product, r split in 26 + 27 bits) */
    double t = r * 134217729.0; /* 2^27 + 1 */
    double rh = t - (t - r), rl = r - rh;
    double r2h = r * r;
    double r2l = ((rh * rh - r2h) + 2 * rh * rl) + rl * rl;
    /* q = sum_{j=0..11} r^j / (j + 3)!, Estrin's scheme */
    double r2 = r2h, r4 = r2 * r2, r8 = r4 * r4;
    double a0 = 1.0 / 6.0 + r * (1.0 / 24.0);
    double a1 = 1.0 / 120.0 + r * (1.0 / 720.0);
    double a2 = 1.0 / 5040.0 + r * (1.0 / 40320.0);
    double a3 = 1.0 / 362880.0 + r * (1.0 / 3628800.0);
    double a4 = 1.0 / 39916800.0 + r * (1.0 / 479001600.0);
    double a5 = 1.0 / 6227020800.0 + r * (1.0 / 87178291200.0);
    double q = (a0 + r2 * a1) + r4 * (a2 + r2 * a3) + r8 * (a4 + r2 * a5);
    /* r + r2h/2 exactly as s + e (|r| >= r^2/2: Fast2Sum) */
    double hh = 0.5 * r2h;
    double s = r + hh;
    double e = hh - (s - r);
    /* the rest: r^2/2 low part, r^3 q, and c (1 + r + r^2/2) */
    double rest = e + (0.5 * r2l + (r * r2h) * q + c * (1.0 + r));
    double hs = s + rest;
    *h = hs;
    *l = rest - (hs - s);
}

static inline double gdn__exp(double x)
{
    /* clamp to [-1100, 1100]: outside, the result is 0 or inf (NaN stays) */
    x = x > 1100 ? 1100 : (x < -1100 ? -1100 : x);
    double r, c;
    double kd = gdn__exp_reduce(x, &r, &c);
    double h, l;
    gdn__expm1_pair(r, c, &h, &l);
    /* e^r = 1 + h + l = a + b, a = fl(1 + h) (Fast2Sum) */
    double a = 1.0 + h;
    double b = (h - (a - 1.0)) + l;
    double p = a + b;
    /* 2^k = 2^k1 2^k2, |k1|, |k2| <= 794: both factors normal */
    const double magic = 0x1.8p52;
    double k1 = (kd * 0.5 + magic) - magic, k2 = kd - k1;
    return p * gdn__pow2i(k1) * gdn__pow2i(k2);
}

static inline double gdn__expm1(double x)
{
    /* below -40, e^x - 1 rounds to -1; above 1100 to inf (NaN stays) */
    double xc = x > 1100 ? 1100 : (x < -40 ? -40 : x);
    double r, c;
    double kd = gdn__exp_reduce(xc, &r, &c);
    double h, l;
    gdn__expm1_pair(r, c, &h, &l);
    /* k = 0: e^x - 1 = h + l */
    double y0 = h + l;
    /* k != 0: e^r = 1 + h + l = a + b (Fast2Sum), and 2^k e^r - 1 =
     * (S a - 1) + S b, S = 2^k, with S a - 1 kept exact (TwoSum) */
    const double magic = 0x1.8p52;
    double k1 = (kd * 0.5 + magic) - magic, k2 = kd - k1;
    double s1 = gdn__pow2i(k1), s2 = gdn__pow2i(k2);
    double a = 1.0 + h;
    double b = (h - (a - 1.0)) + l;
    double S = s1 * s2; /* inf only when k > 1023 */
    double u = S * a;   /* exact */
    double w = u - 1.0;
    double bv = w - u;
    double err = (u - (w - bv)) + (-1.0 - bv);
    double y1 = w + (err + S * b);
    /* k > 1000: the -1 is far below an ulp; scale in two exact steps */
    double y2 = (a + b) * s1 * s2;
    double y = kd == 0 ? y0 : (kd > 1000 ? y2 : y1);
    y = x == 0 ? x : y;         /* -0 stays -0 */
    return x < -40 ? -1.0 : y; /* x < -40 also keeps x = -inf exact */
}

/* log(u) + cu for u = 2^k m > 0 normal finite, given k: the core of log and
 * log1p (fdlibm's e_log.c formula, the correction cu added with k ln2_lo) */
static inline double gdn__log_core(double u, double kadd, double cu)
{
    uint64_t b = gdn__to_bits(u);
    /* k = biased exponent - 1023, via the exponent bits put under 2^52 */
    double kd = gdn__from_bits((b >> 52 & 0x7ff) | 0x4330000000000000ull) -
                (0x1p52 + 1023.0) + kadd;
    double m = gdn__from_bits((b & 0x000fffffffffffffull) |
                              0x3ff0000000000000ull); /* [1, 2) */
    int big = m > 0x1.6a09e667f3bcdp0;                 /* sqrt(2) */
    m = big ? 0.5 * m : m;
    kd = big ? kd + 1.0 : kd;
    double f = m - 1.0; /* exact (Sterbenz) */
    double s = f / (2.0 + f);
    double z = s * s, w = z * z;
    double t1 = w * (0x1.999999997fa04p-2 +
                     w * (0x1.c71c51d8e78afp-3 + w * 0x1.39a09d078c69fp-3));
    double t2 = z * (0x1.5555555555593p-1 +
                     w * (0x1.2492494229359p-2 +
                          w * (0x1.7466496cb03dep-3 + w * 0x1.2f112df3e5244p-3)));
    double R = t2 + t1;
    double hfsq = 0.5 * f * f;
    const double ln2_hi = 0x1.62e42feep-1, ln2_lo = 0x1.a39ef35793c76p-33;
    return kd * ln2_hi - ((hfsq - (s * (hfsq + R) + (kd * ln2_lo + cu))) - f);
}

static inline double gdn__log(double x)
{
    /* subnormals: scale by 2^54 first */
    int sub = x < 0x1p-1022;
    double xs = sub ? x * 0x1p54 : x;
    double y = gdn__log_core(xs, sub ? -54.0 : 0.0, 0.0);
    /* NaN, +inf -> x; 0 -> -inf; x < 0 -> NaN */
    y = (x != x || x == INFINITY) ? x : y;
    y = x == 0 ? -INFINITY : y;
    return x < 0 ? NAN : y;
}

static inline double gdn__log1p(double x)
{
    /* u + c = 1 + x exactly (Fast2Sum, the larger of 1, x first) */
    double u = 1.0 + x;
    double c = x > 1.0 ? 1.0 - (u - x) : x - (u - 1.0);
    double uc = u > 0 && u < INFINITY ? u : 1.0; /* u >= 2^-53: normal */
    double y = gdn__log_core(uc, 0.0, c / uc);
    /* NaN, +inf -> x; -1 -> -inf; x < -1 -> NaN */
    y = (x != x || x == INFINITY) ? x : y;
    y = x == 0 ? x : y; /* -0 stays -0 */
    y = x == -1.0 ? -INFINITY : y;
    return x < -1.0 ? NAN : y;
}

/* a b = p + e exactly (Dekker's product, no fma); |a|, |b| < 2^995 */
static inline double gdn__two_prod(double a, double b, double *e)
{
    double t = a * 134217729.0, ah = t - (t - a), al = a - ah;
    double u = b * 134217729.0, bh = u - (u - b), bl = b - bh;
    double p = a * b;
    *e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return p;
}

/* a + b = s + e exactly (Knuth's TwoSum, any order of magnitudes) */
static inline double gdn__two_sum(double a, double b, double *e)
{
    double s = a + b, bb = s - a;
    *e = (a - (s - bb)) + (b - bb);
    return s;
}

/* (h + l) = (ah + al)(bh + bl) + (ch + cl) to ~2^-100 relative, for
 * |c| >= 8 |a b| (the Horner steps of gdn__log_pair) */
static inline double gdn__dd_fma(double ah, double al, double bh, double bl,
                                 double ch, double cl, double *l)
{
    double e, p = gdn__two_prod(ah, bh, &e);
    e += ah * bl + al * bh;
    double s = ch + p; /* Fast2Sum: |c| > |p| */
    double t = ((ch - s) + p) + (e + cl);
    double h = s + t;
    *l = t - (h - s);
    return h;
}

/* sqrt(x^2 + y^2) without overflow or underflow: x^2 + y^2 as an exact
 * pair (scaled by a power of two), its sqrt corrected by one Newton step
 * in double-double: < 0.75 ulp (tests/test_gmath.c); inf if either is
 * inf, even with a NaN; otherwise NaN in gives NaN out */
static inline double gdn__hypot(double x, double y)
{
    double ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
    double hi = ax > ay ? ax : ay, lo = ax > ay ? ay : ax;
    double sc = hi > 0x1p500 ? 0x1p-600 : (hi < 0x1p-300 ? 0x1p600 : 1.0);
    double h = hi * sc, l = lo * sc; /* h exact; l may lose what is negligible */
    double e1, p1 = gdn__two_prod(h, h, &e1);
    double e2, p2 = gdn__two_prod(l, l, &e2);
    double S = p1 + p2;
    double eS = ((p1 - S) + p2) + (e1 + e2); /* Fast2Sum: p1 >= p2 */
    double r = sqrt(S);
    double er, rr = gdn__two_prod(r, r, &er);
    double c = (((S - rr) - er) + eS) / (2.0 * r); /* S - rr exact */
    double res = (r + c) / sc;
    res = hi == 0 ? 0.0 : res;
    res = (x != x || y != y) ? x + y : res;
    return (ax == INFINITY || ay == INFINITY) ? INFINITY : res;
}

/* log x = h + l for x > 0 finite (subnormals ok) to ~2^-75 relative, for
 * gdn__pow: x = 2^k m, m in [sqrt(2)/2, sqrt(2)), s = (m - 1)/(m + 1),
 * log m = 2s (1 + W), W = sum_{j>=1} z^j/(2j + 1), z = s^2 <= 0.0295;
 * z, s and the first three terms of W in double-double, the rest (j = 4..14,
 * truncation below 2^-76) in double.  Other x: h = log x, l = 0. */
static inline double gdn__log_pair(double x, double *lo)
{
    int sub = x < 0x1p-1022;
    double xs = sub ? x * 0x1p54 : x;
    xs = xs > 0 && xs < INFINITY ? xs : 1.0; /* specials: patched below */
    uint64_t b = gdn__to_bits(xs);
    double kd = gdn__from_bits((b >> 52 & 0x7ff) | 0x4330000000000000ull) -
                (0x1p52 + 1023.0) + (sub ? -54.0 : 0.0);
    double m = gdn__from_bits((b & 0x000fffffffffffffull) |
                              0x3ff0000000000000ull);
    int big = m > 0x1.6a09e667f3bcdp0;
    m = big ? 0.5 * m : m;
    kd = big ? kd + 1.0 : kd;
    double f = m - 1.0;                  /* exact */
    double dh = 2.0 + f, dl = f - (dh - 2.0); /* m + 1 (Fast2Sum) */
    /* s = f / (dh + dl) = sh + sl */
    double rd = 1.0 / dh, e; /* one division: sh need not be rounded */
    double sh = f * rd;
    double p = gdn__two_prod(sh, dh, &e);
    double sl = (((f - p) - e) - sh * dl) * rd; /* f - p exact (Sterbenz) */
    /* z = s^2 = zh + zl */
    double zh = gdn__two_prod(sh, sh, &e);
    double zl = e + 2.0 * sh * sl;
    double zz = zh + zl;
    zl = zl - (zz - zh), zh = zz;
    /* W = z (1/3 + z (1/5 + z (1/7 + z T))), T = 1/9 + z/11 + ... */
    double z2 = zh * zh, z4 = z2 * z2;
    double T = (1.0 / 9 + zh * (1.0 / 11)) + z2 * (1.0 / 13 + zh * (1.0 / 15)) +
               z4 * ((1.0 / 17 + zh * (1.0 / 19)) + z2 * (1.0 / 21 + zh * (1.0 / 23)) +
                     z4 * ((1.0 / 25 + zh * (1.0 / 27)) + z2 * (1.0 / 29)));
    double wl, wh = gdn__dd_fma(zh, zl, T, 0.0, 0x1.2492492492492p-3,
                                0x1.2492492492492p-57, &wl); /* 1/7 */
    wh = gdn__dd_fma(zh, zl, wh, wl, 0x1.999999999999ap-3, -0x1.999999999999ap-57,
                     &wl); /* 1/5 */
    wh = gdn__dd_fma(zh, zl, wh, wl, 0x1.5555555555555p-2, 0x1.5555555555555p-56,
                     &wl); /* 1/3 */
    double Wh = gdn__two_prod(zh, wh, &e);
    double Wl = e + zh * wl + zl * wh;
    /* P = 2 s W */
    double Ph = gdn__two_prod(2.0 * sh, Wh, &e);
    double Pl = e + 2.0 * (sh * Wl + sl * Wh);
    /* log x = k ln2 + 2s + P, ln 2 = L1 + L2 + L3 (k L1 exact) */
    double e2, e3;
    double k2 = gdn__two_prod(kd, 0x1.ef35793c76730p-45, &e2);
    double A = gdn__two_sum(kd * 0x1.62e42fefa3800p-1, 2.0 * sh, &e);
    double B = gdn__two_sum(A, Ph, &e3);
    double rest = (e + e3) + (2.0 * sl + Pl) + (k2 + (e2 + kd * 0x1.f97b57a079a19p-103));
    double h = B + rest;
    double l = rest - (h - B);
    /* NaN, +inf -> x; 0 -> -inf; x < 0 -> NaN */
    int reg = x > 0 && x < INFINITY;
    h = reg ? h : (x == 0 ? -INFINITY : (x < 0 ? NAN : x));
    *lo = reg ? l : 0.0;
    return h;
}

/* x^y for x > 0 (err^-0.2, gram^0.25, beta^k, lo (hi/lo)^u, 10^j):
 * exp(y log x) with log x as a pair (gdn__log_pair), y log x as a pair
 * (exact product), and its low part added to the reduced argument of exp:
 * within ~0.55 ulp (tests/test_gmath.c), exact results exact.  NaN for
 * x < 0, pow(0, y) = 0 or inf, pow(0, 0) = pow(inf, 0) = NaN, pow(1, y) = 1. */
static inline double gdn__pow_pos(double x, double y)
{
    double ll, lh = gdn__log_pair(x, &ll);
    double e, zh = gdn__two_prod(y, lh, &e);
    double zl = e + y * ll;
    int reg = zh > -1100 && zh < 1100; /* else 0, inf or NaN: zh decides */
    zl = reg ? zl : 0.0;
    zh = zh > 1100 ? 1100 : (zh < -1100 ? -1100 : zh);
    double r, c;
    double kd = gdn__exp_reduce(zh, &r, &c);
    double cr, rr = gdn__two_sum(r, c + zl, &cr);
    double h, l;
    gdn__expm1_pair(rr, cr, &h, &l);
    double a = 1.0 + h;
    double bb = (h - (a - 1.0)) + l;
    double q = a + bb;
    const double magic = 0x1.8p52;
    double k1 = (kd * 0.5 + magic) - magic, k2 = kd - k1;
    return q * gdn__pow2i(k1) * gdn__pow2i(k2);
}

#endif
