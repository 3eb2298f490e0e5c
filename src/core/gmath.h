/*
 * gmath.h - internal: gandyn's own elementary functions, in plain double
 * arithmetic (no fma, no long double, no integer<->double conversions, no
 * table, except in gdn__pow_pos and gdn__pow_pos_sel), so that every CPU
 * and every libm variant (glibc dispatches exp,
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
 *   gdn__pow_pos_sel  gdn__pow_pos's bits in selects (loops over lanes)
 *   gdn__hypot(x,y)   sqrt(x^2 + y^2), no overflow or underflow
 *   gdn__fmin/fmax    C99's fmin/fmax, between +0 and -0 the second
 * NaN in gives NaN out.  Accuracy (tests/test_gmath.c, against
 * libquadmath): below 1 ulp from the exact value, hence at most 1 ulp from
 * the correctly rounded result; worst measured over 10^7 points each
 * (`test_gmath --measure 10000000`): exp 0.751, expm1 0.658, log 0.858,
 * log1p 0.827 ulp; pow_pos 0.75 ulp (0.54 where the result is normal: the
 * rest is the subnormal range's second rounding), for any exponent, beta^k
 * up to k = 1e7 included; hypot 0.75 ulp (at a subnormal result).
 * Bit-identical only when compiled without contraction (-ffp-contract=off,
 * as gandyn is): a compiler that fuses a * b + c into an fma changes bits.
 *
 * exp/expm1: k = round(x / ln 2), r = x - k ln 2 as r + c (Cody-Waite, two
 * constants, the rounding error of the subtraction kept in c), |r| <=
 * ln(2)/2; e^r = (1 + r) + (r^2/2 + r^3 q(r) + c (1 + r)), q the Taylor
 * series to r^14 (exp); e^r - 1 = r + r^2/2 + r^3 q(r) with r^2 split
 * exactly (Dekker), so that e^r - 1 is known as a pair to ~2^-58 (expm1);
 * 2^k applied as two exact power-of-two factors.
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

#include "simd.h"

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

/* Selects in bit operations, c 0 or 1: a lane loop's
 * "x[b] = c ? v : x[b]" is compiled into a masked store (if-conversion of
 * what the compiler sees as a conditional store), which is slow on some
 * CPUs (AMD Zen 1: about ten cycles per vector); an unconditional store of
 * a blend is not. */
static inline double gdn__sel(int64_t c, double a, double b)
{
    uint64_t m = (uint64_t)0 - (uint64_t)c;
    return gdn__from_bits((gdn__to_bits(a) & m) | (gdn__to_bits(b) & ~m));
}

static inline int64_t gdn__seli(int64_t c, int64_t a, int64_t b)
{
    int64_t m = -c;
    return (a & m) | (b & ~m);
}

/* fmin and fmax as C99 has them (a NaN argument is ignored) and, between
 * equal arguments (+0 and -0), the second, as glibc's x86-64 fmin and fmax
 * (minsd, maxsd) give it: one definition whatever the libm, in the selects
 * above, so that lane loops vectorise without masked stores. */
static inline double gdn__fmin(double a, double b)
{
    return gdn__sel(b != b, a, gdn__sel(a < b, a, b));
}

static inline double gdn__fmax(double a, double b)
{
    return gdn__sel(b != b, a, gdn__sel(a > b, a, b));
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
    /* e^(r + c) = (1 + r) + (r^2/2 + r^3 q(r) + c (1 + r)), 1 + r exactly
     * as a + b (Fast2Sum), the rest (< 0.07, to ~2^-56) added to b: fewer
     * operations than gdn__expm1_pair's exact r^2, still below 1 ulp */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double a0 = 1.0 / 6.0 + r * (1.0 / 24.0);
    double a1 = 1.0 / 120.0 + r * (1.0 / 720.0);
    double a2 = 1.0 / 5040.0 + r * (1.0 / 40320.0);
    double a3 = 1.0 / 362880.0 + r * (1.0 / 3628800.0);
    double a4 = 1.0 / 39916800.0 + r * (1.0 / 479001600.0);
    double a5 = 1.0 / 6227020800.0 + r * (1.0 / 87178291200.0);
    double q = (a0 + r2 * a1) + r4 * (a2 + r2 * a3) + r8 * (a4 + r2 * a5);
    double a = 1.0 + r;
    double b = (1.0 - a) + r;
    double p = a + (b + (0.5 * r2 + ((r2 * r) * q + c * (1.0 + r))));
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

/* (h + l) b as a pair (h, *l) to ~2^-104 relative: the running power
 * beta^k of Adam's debiasing, whose k products then stay far below half
 * an ulp of the double they round to (for k up to ~1e12, and while the
 * power is normal). */
static inline double gdn__dd_mul(double h, double l, double b, double *lo)
{
    double e, p = gdn__two_prod(h, b, &e);
    e += l * b;
    double r = p + e; /* Fast2Sum: |e| <= ulp(p) */
    *lo = e - (r - p);
    return r;
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

/* The table of gdn__log_pair (generated with Python's decimal module at 60
 * digits): for the 128 cells of z in [0x1.6955p-1, 0x1.6955p0) (z's bits
 * minus 0x3fe6955500000000, bits 45..51), invc ~ 1/(cell's midpoint)
 * rounded to 21 bits (1 in the cell of 1), and log(1/invc) as hi + lo. */
static const double gdn__log_tab[128][3] = { /* invc, log(1/invc) hi, lo */
    {0x1.69be900000000p+0, -0x1.620f038f249b8p-2, 0x1.e45f5026e74a6p-56},
    {0x1.67c2300000000p+0, -0x1.5c6bfa5e6fb89p-2, -0x1.ba1e6556a11e1p-57},
    {0x1.65cb600000000p+0, -0x1.56d0dff3783a1p-2, 0x1.d590706664ad0p-61},
    {0x1.63da000000000p+0, -0x1.513d84f358bb8p-2, -0x1.013d03e8ac381p-59},
    {0x1.61ee100000000p+0, -0x1.4bb214f4166d7p-2, 0x1.5d89dc852cc29p-56},
    {0x1.6007600000000p+0, -0x1.462e3045547a7p-2, 0x1.b44fd690cc798p-56},
    {0x1.5e25e00000000p+0, -0x1.40b1d223bc132p-2, -0x1.7052008da6641p-56},
    {0x1.5c49800000000p+0, -0x1.3b3cf521c8b25p-2, -0x1.6d1d8a7fc009ap-58},
    {0x1.5a72200000000p+0, -0x1.35cf63db4cf74p-2, 0x1.072625070f468p-58},
    {0x1.589fc00000000p+0, -0x1.30694653ab33dp-2, -0x1.54d6b45e5df37p-56},
    {0x1.56d2400000000p+0, -0x1.2b0a6549730d9p-2, -0x1.dca161fb54635p-56},
    {0x1.5509900000000p+0, -0x1.25b2b7d4b220ep-2, 0x1.481358a81d2ddp-57},
    {0x1.5345a00000000p+0, -0x1.2062345aa64cfp-2, -0x1.c74b81adaa90ep-56},
    {0x1.5186400000000p+0, -0x1.1b186f76d2e20p-2, -0x1.aa9a86f276ae1p-56},
    {0x1.4fcb900000000p+0, -0x1.15d5ef0417968p-2, 0x1.69625178e0354p-59},
    {0x1.4e15500000000p+0, -0x1.109a14e5deedep-2, -0x1.df72dc3d54035p-57},
    {0x1.4c63900000000p+0, -0x1.0b6535bbf4425p-2, 0x1.1600626b106c0p-56},
    {0x1.4ab6300000000p+0, -0x1.063712cbc19ebp-2, -0x1.61405c927c464p-57},
    {0x1.490d100000000p+0, -0x1.010f6b9ee8b1cp-2, -0x1.01538a25cce79p-58},
    {0x1.4768400000000p+0, -0x1.f7dd2843c3c80p-3, 0x1.de40493bcad04p-57},
    {0x1.45c7a00000000p+0, -0x1.eda8954555ae8p-3, -0x1.6bc28197a851ep-57},
    {0x1.442b100000000p+0, -0x1.e380975ef35f8p-3, -0x1.7c0246c55e95dp-58},
    {0x1.4292a00000000p+0, -0x1.d965d4eae79b7p-3, -0x1.5fd654d4a843bp-60},
    {0x1.40fe200000000p+0, -0x1.cf575e699c4f2p-3, -0x1.311914b37a3edp-60},
    {0x1.3f6da00000000p+0, -0x1.c555d929cc434p-3, -0x1.6f4378300cfb7p-58},
    {0x1.3de1000000000p+0, -0x1.bb60b7b0df893p-3, -0x1.08ac063494006p-59},
    {0x1.3c58300000000p+0, -0x1.b177d08def7b9p-3, -0x1.3572aea630bafp-60},
    {0x1.3ad3200000000p+0, -0x1.a79af8c23330ap-3, 0x1.5c4f68ca44f8fp-57},
    {0x1.3951d00000000p+0, -0x1.9dca6c542404cp-3, -0x1.039d698038f38p-58},
    {0x1.37d4300000000p+0, -0x1.9405fea2b3ef3p-3, 0x1.c846c60ec3862p-57},
    {0x1.365a200000000p+0, -0x1.8a4d17e3384d9p-3, -0x1.261af20c6566fp-58},
    {0x1.34e3b00000000p+0, -0x1.80a05af4ad121p-3, 0x1.064faa239c387p-61},
    {0x1.3370b00000000p+0, -0x1.76fec2c871d17p-3, 0x1.47d5353435665p-57},
    {0x1.3201300000000p+0, -0x1.6d68f10af26e9p-3, 0x1.d14dbcf77a1ddp-57},
    {0x1.3095200000000p+0, -0x1.63deb2a1cf5c5p-3, -0x1.e48307f30dbc3p-57},
    {0x1.2f2c700000000p+0, -0x1.5a5fd2d4a70a3p-3, -0x1.33fefadc4b84cp-57},
    {0x1.2dc7100000000p+0, -0x1.50ec1b4b49c0fp-3, -0x1.f2929b5094402p-59},
    {0x1.2c64f00000000p+0, -0x1.4783540bf4d79p-3, -0x1.6895ceb302a4dp-57},
    {0x1.2b06100000000p+0, -0x1.3e25b10ee9b2bp-3, -0x1.4f8a36b582ee0p-58},
    {0x1.29aa600000000p+0, -0x1.34d2f8921935cp-3, -0x1.64d96329be027p-60},
    {0x1.2851d00000000p+0, -0x1.2b8aef2ccfdadp-3, -0x1.dc88e5aba8823p-60},
    {0x1.26fc600000000p+0, -0x1.224dc6e36c03ap-3, 0x1.db36ac21bcfd6p-57},
    {0x1.25aa000000000p+0, -0x1.191b427b2420fp-3, -0x1.c21bcefcfe7e9p-59},
    {0x1.245aa00000000p+0, -0x1.0ff3230dcffd3p-3, 0x1.5ee7814b5f90bp-57},
    {0x1.230e400000000p+0, -0x1.06d5989db8c66p-3, -0x1.b04921f8272b8p-57},
    {0x1.21c4c00000000p+0, -0x1.fb83e2a84f077p-4, 0x1.74f627f6d614fp-59},
    {0x1.207e400000000p+0, -0x1.e9727bffd2d9dp-4, -0x1.a85546c11e277p-58},
    {0x1.1f3a900000000p+0, -0x1.d774b2a7e71abp-4, -0x1.ed1b227e22bc3p-58},
    {0x1.1df9b00000000p+0, -0x1.c58ae021465f5p-4, -0x1.062dd98462e62p-59},
    {0x1.1cbba00000000p+0, -0x1.b3b55e84cda83p-4, -0x1.30169a1072d4cp-58},
    {0x1.1b80500000000p+0, -0x1.a1f3a15635039p-4, 0x1.02eb781b9e6c1p-58},
    {0x1.1a47b00000000p+0, -0x1.904518ac219abp-4, 0x1.2c391fcdb7dd1p-58},
    {0x1.1911c00000000p+0, -0x1.7eaa1a58421bap-4, -0x1.3f5aae5a151bdp-60},
    {0x1.17de800000000p+0, -0x1.6d22fcba35cf4p-4, -0x1.8170afebef155p-58},
    {0x1.16add00000000p+0, -0x1.5bae4067cc19dp-4, -0x1.8bdbae9810755p-60},
    {0x1.157fc00000000p+0, -0x1.4a4d22ffef949p-4, -0x1.601324c95e67fp-59},
    {0x1.1454300000000p+0, -0x1.38fe1f28645fap-4, -0x1.a932ef00e456dp-58},
    {0x1.132b300000000p+0, -0x1.27c2728b75db6p-4, -0x1.592781be51f46p-60},
    {0x1.1204a00000000p+0, -0x1.169891d5c747bp-4, 0x1.aefef122e442ep-58},
    {0x1.10e0900000000p+0, -0x1.0581bab4222fdp-4, -0x1.46af2285d9723p-59},
    {0x1.0fbee00000000p+0, -0x1.e8f8b7a2aa925p-5, -0x1.c654606dbb850p-59},
    {0x1.0e9fa00000000p+0, -0x1.c71365a845176p-5, -0x1.0d88a9bc6743cp-60},
    {0x1.0d82c00000000p+0, -0x1.a552370fac3c1p-5, -0x1.3ac44c58cb649p-60},
    {0x1.0c68300000000p+0, -0x1.83b3dc5f4ef7bp-5, -0x1.413548deb0d95p-63},
    {0x1.0b4fe00000000p+0, -0x1.6236ff097c966p-5, -0x1.49c2ffac99738p-59},
    {0x1.0a39e00000000p+0, -0x1.40de1a131f6aap-5, 0x1.95f06650d1a5cp-59},
    {0x1.0926300000000p+0, -0x1.1fa9c31022468p-5, 0x1.b2d34c2acd08ep-63},
    {0x1.0814a00000000p+0, -0x1.fd297eea1db3ap-6, -0x1.eb11bdf5d78aap-62},
    {0x1.0705500000000p+0, -0x1.bb46f27be8043p-6, 0x1.513c976483178p-63},
    {0x1.05f8300000000p+0, -0x1.79a91c80bb417p-6, -0x1.ad744bb2a506ep-60},
    {0x1.04ed200000000p+0, -0x1.38493da502a39p-6, 0x1.57ba70f5906a8p-61},
    {0x1.03e4400000000p+0, -0x1.ee6075c992397p-7, -0x1.2f7d7c61ea6e0p-62},
    {0x1.02dd700000000p+0, -0x1.6cae905fdffd5p-7, -0x1.fb9e1e069c599p-61},
    {0x1.01d8c00000000p+0, -0x1.d70d943907f52p-8, -0x1.cf77b3b4911e2p-62},
    {0x1.00d6100000000p+0, -0x1.ab6d64c8aef4fp-9, 0x1.baa70941a0c69p-64},
    {0x1.0000000000000p+0, 0x0.0p+0, 0x0.0p+0},
    {0x1.fb60300000000p-1, 0x1.294c373c437d6p-7, 0x1.9f0fdb887d2f9p-61},
    {0x1.f77a500000000p-1, 0x1.13018def80d73p-6, -0x1.1f58fc614496bp-60},
    {0x1.f3a3b00000000p-1, 0x1.90644f4b891f4p-6, 0x1.af63b6a6b5cf2p-62},
    {0x1.efdbe00000000p-1, 0x1.066a938312848p-5, 0x1.06bde7bea2984p-59},
    {0x1.ec22a00000000p-1, 0x1.442a7c57410d5p-5, -0x1.aa751e58f3dd3p-59},
    {0x1.e877a00000000p-1, 0x1.817375b021b0dp-5, -0x1.6d37158a2fa52p-59},
    {0x1.e4da800000000p-1, 0x1.be483f3211bf3p-5, 0x1.429c88bc11536p-61},
    {0x1.e14af00000000p-1, 0x1.faaaae3aaa2c3p-5, -0x1.4d0cd7bd7ef92p-59},
    {0x1.ddc8b00000000p-1, 0x1.1b4dd215a3608p-4, -0x1.8c7f1eae099b5p-58},
    {0x1.da53700000000p-1, 0x1.390e96adb5a08p-4, -0x1.a47e0f9705bcep-58},
    {0x1.d6eae00000000p-1, 0x1.5698ba8455c29p-4, 0x1.4d9cab0038b83p-58},
    {0x1.d38ed00000000p-1, 0x1.73ec4a7764842p-4, 0x1.940825e167e97p-59},
    {0x1.d03ee00000000p-1, 0x1.910b02994cca1p-4, -0x1.ee6018570d97cp-60},
    {0x1.ccfaf00000000p-1, 0x1.adf47a25773abp-4, 0x1.3745d46c0ca0cp-58},
    {0x1.c9c2a00000000p-1, 0x1.caaa88f3817d0p-4, 0x1.dd5090a019d53p-58},
    {0x1.c695d00000000p-1, 0x1.e72cda3ee4305p-4, 0x1.f49ffe26b226dp-59},
    {0x1.c374200000000p-1, 0x1.01beb10c0ee22p-3, -0x1.0c0f02069f2c8p-59},
    {0x1.c05d700000000p-1, 0x1.0fcdf01534e36p-3, 0x1.86602d9ff38aap-57},
    {0x1.bd51800000000p-1, 0x1.1dc49f6adb233p-3, 0x1.61552721ef35ap-57},
    {0x1.ba50100000000p-1, 0x1.2ba33a793efd2p-3, 0x1.5b4e6ea1acf12p-57},
    {0x1.b759000000000p-1, 0x1.3969adca628f2p-3, 0x1.bf0195c6e5f07p-57},
    {0x1.b46c000000000p-1, 0x1.4718c97c71c29p-3, 0x1.f8cf49274eea8p-58},
    {0x1.b188f00000000p-1, 0x1.54b0834d24f78p-3, -0x1.cc1ba5424ef4cp-57},
    {0x1.aeaf900000000p-1, 0x1.62316b8f60b66p-3, 0x1.549cc3d77c6d4p-58},
    {0x1.abdfb00000000p-1, 0x1.6f9bcc75dad17p-3, -0x1.914452653ae11p-57},
    {0x1.a919300000000p-1, 0x1.7cefa79d5f8d9p-3, 0x1.3b91bb96d0855p-57},
    {0x1.a65be00000000p-1, 0x1.8a2d4ec16de48p-3, 0x1.63780714282b2p-57},
    {0x1.a3a7800000000p-1, 0x1.97556645d77eep-3, -0x1.acf5280d07af1p-62},
    {0x1.a0fbf00000000p-1, 0x1.a467fc00158ddp-3, -0x1.c7881f065d52dp-57},
    {0x1.9e59100000000p-1, 0x1.b165206af76e4p-3, -0x1.09e5d4e46ec8cp-60},
    {0x1.9bbea00000000p-1, 0x1.be4d85da08693p-3, 0x1.94435c4f15c10p-57},
    {0x1.992c800000000p-1, 0x1.cb21452cb6b6ep-3, -0x1.591c0ff7bb384p-58},
    {0x1.96a2900000000p-1, 0x1.d7e07a012ed0dp-3, 0x1.068f8b833b60dp-58},
    {0x1.9420a00000000p-1, 0x1.e48b93d1a341ep-3, 0x1.1a4ecfdbf5255p-58},
    {0x1.91a6a00000000p-1, 0x1.f12263bc03c1ap-3, -0x1.33a9ae365df09p-58},
    {0x1.8f34400000000p-1, 0x1.fda604096e191p-3, -0x1.a6dbb72a004f6p-57},
    {0x1.8cc9800000000p-1, 0x1.050afd7abc70dp-2, 0x1.fea8906e207cdp-56},
    {0x1.8a66400000000p-1, 0x1.0b3939e541f48p-2, 0x1.28c196c8843d2p-57},
    {0x1.880a400000000p-1, 0x1.115e21f444356p-2, -0x1.be294790964f4p-56},
    {0x1.85b5700000000p-1, 0x1.1779a5b089a97p-2, -0x1.eda36f8441fcap-59},
    {0x1.8367b00000000p-1, 0x1.1d8bdfe97e682p-2, 0x1.dd3253a1d358ep-57},
    {0x1.8120e00000000p-1, 0x1.2394eceda7631p-2, -0x1.699f353d9531cp-56},
    {0x1.7ee0e00000000p-1, 0x1.2994ea8da7d6fp-2, -0x1.e87d3da21e414p-56},
    {0x1.7ca7900000000p-1, 0x1.2f8bf81f3022bp-2, -0x1.0e991098eb283p-61},
    {0x1.7a74d00000000p-1, 0x1.357a367fd6f5bp-2, 0x1.2bc2cc35d2394p-57},
    {0x1.7848900000000p-1, 0x1.3b5f9c8d33c19p-2, -0x1.2ad7d9100b6ebp-57},
    {0x1.7622a00000000p-1, 0x1.413c79478b982p-2, -0x1.e1b280fe8ab41p-57},
    {0x1.7402f00000000p-1, 0x1.4710c629c71dfp-2, 0x1.6da7af165a2b5p-56},
    {0x1.71e9600000000p-1, 0x1.4cdca98bf89b5p-2, 0x1.e5eb71388e865p-62},
    {0x1.6fd5e00000000p-1, 0x1.52a01ed07f8f4p-2, 0x1.02bdfcf9f2a7fp-59},
    {0x1.6dc8500000000p-1, 0x1.585b4ebbc2490p-2, 0x1.d83805c03775fp-58},
    {0x1.6bc0900000000p-1, 0x1.5e0e63abd7da7p-2, 0x1.3e31003276341p-57},
};

/* log x = h + l for x > 0 finite (subnormals ok) to 2^-67.9 relative, for
 * gdn__pow_pos (with gdn__pow_pos_sel the functions here with a table and
 * integer conversions; gdn__pow_pos_sel is the same operations in selects:
 * keep the two in step, test_dopri5_lanes holds them bit for bit).  x = 2^k z, z in a cell of the table,
 * log x = k ln2 + log c + log1p(r), r = z invc - 1 computed exactly as
 * rhi + rlo (z split in 21 + 32 bits: zhi invc and zlo invc are exact),
 * |r| < 2^-7.6;
 * (rhi, rlo) renormalised, so that the powers of r need rhi alone;
 * log1p(r) = r - r^2/2 (r^2 an exact pair) + r^3 q(r), q Taylor to r^10
 * (truncation 2^-72).  Other x: h = log x (inf, -inf, NaN), l = 0. */
static inline double gdn__log_pair(double x, double *lo)
{
    int reg = x > 0 && x < INFINITY;
    double xs = reg ? x : 1.0;
    int sub = xs < 0x1p-1022;
    uint64_t ix = gdn__to_bits(sub ? xs * 0x1p52 : xs) - (sub ? 52ull << 52 : 0);
    uint64_t tmp = ix - 0x3fe6955500000000ull;
    int i = (int)((tmp >> 45) & 127);
    int64_t k = (int64_t)tmp >> 52; /* arithmetic shift (C11: gcc, clang) */
    double z = gdn__from_bits(ix - (tmp & 0xfffull << 52));
    double kd = (double)k;
    double invc = gdn__log_tab[i][0];
    double zhi = gdn__from_bits(gdn__to_bits(z) & ~0xffffffffull), zlo = z - zhi;
    double r1 = zhi * invc - 1.0; /* exact (Sterbenz) */
    double rlo, rhi = gdn__two_sum(r1, zlo * invc, &rlo); /* r exactly */
    double e, p = gdn__two_prod(rhi, rhi, &e); /* r^2 = p + e (+ 2 rhi rlo) */
    double r2 = p, r4 = r2 * r2;
    double q = ((1.0 / 3 - rhi * 0.25) + r2 * (0.2 - rhi * (1.0 / 6))) +
               r4 * ((1.0 / 7 - rhi * 0.125) + r2 * (1.0 / 9 - rhi * 0.1));
    double ea, A = gdn__two_sum(kd * 0x1.62e42fefa3800p-1, gdn__log_tab[i][1], &ea);
    double eb, B = gdn__two_sum(A, rhi, &eb);
    double ec, C = gdn__two_sum(B, -0.5 * p, &ec);
    double rest = (ea + eb + ec) + (kd * 0x1.ef35793c76730p-45 + gdn__log_tab[i][2]) +
                  (rlo - 0.5 * e - rhi * rlo) + r2 * rhi * q;
    double h = C + rest;
    double l = rest - (h - C);
    h = reg ? h : (x == 0 ? -INFINITY : (x < 0 ? NAN : x));
    *lo = reg ? l : 0.0;
    return h;
}

/* 2^(j/64), j = 0..63, as hi + lo (Python's decimal module, 60 digits),
 * for the exp of gdn__pow_pos */
static const double gdn__exp2_tab[64][2] = { /* 2^(j/64) as hi + lo */
    {0x1.0000000000000p+0, 0x0.0p+0},
    {0x1.02c9a3e778061p+0, -0x1.19083535b085dp-56},
    {0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55},
    {0x1.0874518759bc8p+0, 0x1.186be4bb284ffp-57},
    {0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54},
    {0x1.0e3ec32d3d1a2p+0, 0x1.03a1727c57b53p-59},
    {0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54},
    {0x1.1429aaea92de0p+0, -0x1.32fbf9af1369ep-54},
    {0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55},
    {0x1.1a35beb6fcb75p+0, 0x1.e5b4c7b4968e4p-55},
    {0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54},
    {0x1.2063b88628cd6p+0, 0x1.dc775814a8495p-55},
    {0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54},
    {0x1.26b4565e27cddp+0, 0x1.2bd339940e9d9p-55},
    {0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55},
    {0x1.2d285a6e4030bp+0, 0x1.0024754db41d5p-54},
    {0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55},
    {0x1.33c08b26416ffp+0, 0x1.32721843659a6p-54},
    {0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54},
    {0x1.3a7db34e59ff7p+0, -0x1.5e436d661f5e3p-56},
    {0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55},
    {0x1.4160a21f72e2ap+0, -0x1.ef3691c309278p-58},
    {0x1.44e086061892dp+0, 0x1.89b7a04ef80d0p-59},
    {0x1.486a2b5c13cd0p+0, 0x1.3c1a3b69062f0p-56},
    {0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56},
    {0x1.4f9b2769d2ca7p+0, -0x1.4b309d25957e3p-54},
    {0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55},
    {0x1.56f4736b527dap+0, 0x1.9bb2c011d93adp-54},
    {0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54},
    {0x1.5e76f15ad2148p+0, 0x1.ba6f93080e65ep-54},
    {0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54},
    {0x1.6623882552225p+0, -0x1.bb60987591c34p-54},
    {0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54},
    {0x1.6dfb23c651a2fp+0, -0x1.bbe3a683c88abp-57},
    {0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55},
    {0x1.75feb564267c9p+0, -0x1.0245957316dd3p-54},
    {0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55},
    {0x1.7e2f336cf4e62p+0, 0x1.05d02ba15797ep-56},
    {0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54},
    {0x1.868d99b4492edp+0, -0x1.fc6f89bd4f6bap-54},
    {0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54},
    {0x1.8f1ae99157736p+0, 0x1.5cc13a2e3976cp-55},
    {0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57},
    {0x1.97d829fde4e50p+0, -0x1.d185b7c1b85d1p-54},
    {0x1.9c49182a3f090p+0, 0x1.c7c46b071f2bep-56},
    {0x1.a0c667b5de565p+0, -0x1.359495d1cd533p-54},
    {0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54},
    {0x1.a9e6b5579fdbfp+0, 0x1.0fac90ef7fd31p-54},
    {0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54},
    {0x1.b33a2b84f15fbp+0, -0x1.2805e3084d708p-57},
    {0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56},
    {0x1.bcc1e904bc1d2p+0, 0x1.23dd07a2d9e84p-55},
    {0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55},
    {0x1.c67f12e57d14bp+0, 0x1.2884dff483cadp-54},
    {0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56},
    {0x1.d072d4a07897cp+0, -0x1.cbc3743797a9cp-54},
    {0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55},
    {0x1.da9e603db3285p+0, 0x1.c2300696db532p-54},
    {0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54},
    {0x1.e502ee78b3ff6p+0, 0x1.39e8980a9cc8fp-55},
    {0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54},
    {0x1.efa1bee615a27p+0, 0x1.dc7f486a4b6b0p-54},
    {0x1.f50765b6e4540p+0, 0x1.9d3e12dd8a18bp-54},
    {0x1.fa7c1819e90d8p+0, 0x1.74853f3a5931ep-55},
};

/* x^y for x > 0 (err^-0.2, gram^0.25, beta^k, lo (hi/lo)^u, 10^j):
 * exp(y log x) with log x as a pair (gdn__log_pair), z = y log x as a pair
 * (exact product), then e^z = 2^m 2^(j/64) e^r, z = (64 m + j) ln2/64 + r,
 * |r| <= ln2/128 (Cody-Waite, three constants, z's low part added to r),
 * e^r - 1 by its Taylor series to r^6 (truncation 2^-65): within 0.75 ulp
 * (0.54 for normal results, tests/test_gmath.c), exact results exact.
 * Scalar (two table look-ups).  NaN for x < 0, pow(0, y) = 0 or inf,
 * pow(0, 0) = pow(inf, 0) = NaN, pow(1, y) = 1 for finite y. */
static inline double gdn__pow_pos(double x, double y)
{
    double ll, lh = gdn__log_pair(x, &ll);
    double e, zh = gdn__two_prod(y, lh, &e);
    double zl = e + y * ll;
    int reg = zh > -1100 && zh < 1100; /* else 0, inf or NaN: zh decides */
    zl = reg ? zl : 0.0;
    zh = zh > 1100 ? 1100 : (zh < -1100 ? -1100 : zh);
    const double magic = 0x1.8p52;
    double t = zh * 0x1.71547652b82fep+6 + magic; /* 64/ln2 */
    double kd = t - magic;                        /* |kd| < 2^17 */
    int j = (int)(gdn__to_bits(t) & 63);          /* kd mod 64 */
    double r0 = zh - kd * 0x1.62e42fefa0000p-7;   /* exact: 36-bit ln2/64 */
    double c, r = gdn__two_sum(r0, -kd * 0x1.cf79abc9e3b3ap-46, &c);
    c += zl + kd * 0x1.ff0342542fc33p-100;
    double r2 = r * r;
    double P = r + (r2 * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))) +
                    c * (1.0 + r));
    double Th = gdn__exp2_tab[j][0], Tl = gdn__exp2_tab[j][1];
    double q = Th + (Tl + Th * P);
    double md = (kd - (double)j) * (1.0 / 64); /* exact */
    double k1 = (md * 0.5 + magic) - magic, k2 = md - k1;
    return q * gdn__pow2i(k1) * gdn__pow2i(k2);
}

/* gdn__pow_pos for loops over lanes, the same bits: the same operations,
 * with the branches as selects and the integer <-> double conversions as
 * exact bit operations, so that it vectorises (the table look-ups become
 * gathers).  (double)k of the exponent k in [-2048, 2047]: its 12 bits u,
 * then u - 4096 above 2047; (double)j for j = 0..63: 2^52 + j - 2^52. */
static inline double gdn__small_uint_to_double(uint64_t u) /* u < 2^52 */
{
    return gdn__from_bits(u | 0x4330000000000000ull) - 0x1p52;
}

/* (always inlined into the lane loops, or they do not vectorise) */
static GDN_ALWAYS_INLINE double gdn__pow_pos_sel(double x, double y)
{
    /* gdn__log_pair */
    int reg = (x > 0) & (x < INFINITY);
    double xs = gdn__sel(reg, x, 1.0);
    int sub = xs < 0x1p-1022;
    uint64_t ix = gdn__to_bits(gdn__sel(sub, xs * 0x1p52, xs)) -
                  (uint64_t)gdn__seli(sub, 52ll << 52, 0);
    uint64_t tmp = ix - 0x3fe6955500000000ull;
    uint64_t i = (tmp >> 45) & 127;
    uint64_t ku = tmp >> 52;
    double kd = gdn__small_uint_to_double(ku);
    kd = gdn__sel(ku >= 2048, kd - 4096.0, kd);
    double z = gdn__from_bits(ix - (tmp & 0xfffull << 52));
    double invc = gdn__log_tab[i][0];
    double zhi = gdn__from_bits(gdn__to_bits(z) & ~0xffffffffull), zlo = z - zhi;
    double r1 = zhi * invc - 1.0;
    double rlo, rhi = gdn__two_sum(r1, zlo * invc, &rlo);
    double e, p = gdn__two_prod(rhi, rhi, &e);
    double r2 = p, r4 = r2 * r2;
    double q = ((1.0 / 3 - rhi * 0.25) + r2 * (0.2 - rhi * (1.0 / 6))) +
               r4 * ((1.0 / 7 - rhi * 0.125) + r2 * (1.0 / 9 - rhi * 0.1));
    double ea, A = gdn__two_sum(kd * 0x1.62e42fefa3800p-1, gdn__log_tab[i][1], &ea);
    double eb, Bs = gdn__two_sum(A, rhi, &eb);
    double ec, C = gdn__two_sum(Bs, -0.5 * p, &ec);
    double rest = (ea + eb + ec) + (kd * 0x1.ef35793c76730p-45 + gdn__log_tab[i][2]) +
                  (rlo - 0.5 * e - rhi * rlo) + r2 * rhi * q;
    double h = C + rest;
    double l = rest - (h - C);
    double lh = gdn__sel(reg, h, gdn__sel(x == 0, -INFINITY, gdn__sel(x < 0, NAN, x)));
    double ll = gdn__sel(reg, l, 0.0);
    /* gdn__pow_pos */
    double e2, zh = gdn__two_prod(y, lh, &e2);
    double zl = e2 + y * ll;
    int zreg = (zh > -1100) & (zh < 1100);
    zl = gdn__sel(zreg, zl, 0.0);
    zh = gdn__sel(zh > 1100, 1100, gdn__sel(zh < -1100, -1100, zh));
    const double magic = 0x1.8p52;
    double t = zh * 0x1.71547652b82fep+6 + magic;
    double kk = t - magic;
    uint64_t j = gdn__to_bits(t) & 63;
    double r0 = zh - kk * 0x1.62e42fefa0000p-7;
    double c, r = gdn__two_sum(r0, -kk * 0x1.cf79abc9e3b3ap-46, &c);
    c += zl + kk * 0x1.ff0342542fc33p-100;
    double rr = r * r;
    double P = r + (rr * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))) +
                    c * (1.0 + r));
    double Th = gdn__exp2_tab[j][0], Tl = gdn__exp2_tab[j][1];
    double qq = Th + (Tl + Th * P);
    double md = (kk - gdn__small_uint_to_double(j)) * (1.0 / 64);
    double k1 = (md * 0.5 + magic) - magic, k2 = md - k1;
    return qq * gdn__pow2i(k1) * gdn__pow2i(k2);
}

#endif
