/*
 * test_dopri5_lanes.c - what the batched dopri5 controller is built on.
 *
 * gdn__pow_pos_sel (src/core/gmath.h), the select form of gdn__pow_pos that
 * the controller vectorises over lanes, must give gdn__pow_pos's bits for
 * every input: at the controller's exponent -0.2 and at others, over
 * random bit patterns (normal, subnormal, huge, tiny), the error norms the
 * controller sees, and the special values; once called on one value, once
 * in a loop compiled for the vector units (GDN_VECTOR_CLONES).  The
 * batched integration itself is compared with single runs in test_lanes.c
 * and test_sweep.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/gmath.h"
#include "dynamics/vector.h"

static uint64_t next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The same bits; two NaNs agree whatever their payloads (none reaches the
 * controller: its error norms are never NaN). */
static int same(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

#define N 4096

GDN_VECTOR_CLONES
static void pow_lanes(size_t n, const double *restrict x,
                      const double *restrict y,
                      double *restrict out)
{
    for (size_t b = 0; b < n; b++)
        out[b] = gdn__pow_pos_sel(x[b], y[b]);
}

static long check(size_t n, const double *x, const double *y)
{
    static double out[N];
    long bad = 0;
    pow_lanes(n, x, y, out);
    for (size_t b = 0; b < n; b++) {
        double want = gdn__pow_pos(x[b], y[b]);
        double one = gdn__pow_pos_sel(x[b], y[b]);
        if (!same(want, out[b]) || !same(want, one)) {
            if (bad++ < 5)
                print_message("pow_pos(%a, %a) = %a, lanes %a, one %a\n",
                              x[b], y[b], want, out[b], one);
        }
    }
    return bad;
}

static void test_pow_sel_special(void **state)
{
    (void)state;
    const double inf = INFINITY;
    const double xs[] = {0.0, -0.0, 0x1p-1074, 0x1p-1073, 0x1.fffffffffffffp-1023,
                         0x1p-1022, 0x1.0000000000001p-1022, 0x1p-600, 1e-300,
                         1e-20, 1e-10, 1e-5, 0.1, 0.2, 0.5, 0x1.fffffffffffffp-1,
                         1.0, 0x1.0000000000001p0, 1.5, 2.0, 3.0, 4.0, 10.0,
                         1e10, 1e100, 1e300, 0x1.fffffffffffffp1023, inf,
                         -1.0, -inf, NAN, 0x1.6a09e667f3bcdp-1,
                         0x1.6955500000000p-1, 0x1.6955400000000p-1,
                         0x1.6955600000000p-1};
    const double ys[] = {-0.2, 0.2, 0.25, 0.5, 1.0, 2.0, -1.0, 0.0, -0.0, 3.0,
                         -3.0, 1e7, -1e7, 1024.0, -1075.0, 1e300, -1e300,
                         0.1, 1.0 / 3, inf, -inf, NAN};
    static double x[N], y[N];
    size_t n = 0;
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        for (size_t j = 0; j < sizeof ys / sizeof *ys; j++)
            x[n] = xs[i], y[n] = ys[j], n++;
    assert_true(n <= N);
    assert_int_equal(check(n, x, y), 0);
    /* the special values the controller meets: err = 0 (inf), err = inf */
    assert_true(gdn__pow_pos_sel(0.0, -0.2) == inf);
    assert_true(gdn__pow_pos_sel(inf, -0.2) == 0.0);
    assert_true(gdn__pow_pos_sel(1.0, -0.2) == 1.0);
    assert_true(gdn__pow_pos_sel(32.0, -0.2) == 0.5);
}

static void test_pow_sel_random(void **state)
{
    (void)state;
    static double x[N], y[N];
    uint64_t s = 12345;
    long bad = 0, rounds = 200;
    for (long r = 0; r < rounds; r++) {
        for (size_t b = 0; b < N; b++) {
            uint64_t u = next(&s);
            switch (r % 4) {
            case 0: /* any positive double, any exponent in [-4, 4] */
                x[b] = gdn__from_bits(u >> 1);
                y[b] = (double)(int64_t)(next(&s) >> 11) * 0x1p-50 - 4.0;
                break;
            case 1: /* the controller: error norms, exponent -0.2 */
                x[b] = (double)(u >> 11) * 0x1p-53 * 4.0;
                y[b] = -0.2;
                break;
            case 2: /* norms over many decades, exponent -0.2 */
                x[b] = pow(10.0, (double)(u >> 11) * 0x1p-53 * 40.0 - 30.0);
                y[b] = -0.2;
                break;
            default: /* subnormal and tiny x, exponents of any size */
                x[b] = gdn__from_bits((u >> 12) | (u & 1 ? 0 : 0x0010000000000000ull));
                y[b] = gdn__from_bits(next(&s) >> 2) * (u & 2 ? 1.0 : -1.0);
                break;
            }
        }
        bad += check(N, x, y);
    }
    print_message("gdn__pow_pos_sel: %ld of %ld points differ\n", bad,
                  rounds * N);
    assert_int_equal(bad, 0);
}

/* The test can fail: a select form one rounding off is caught. */
static void test_pow_sel_catches(void **state)
{
    (void)state;
    double x = 0.37, y = -0.2, p = gdn__pow_pos(x, y);
    double off = gdn__from_bits(gdn__to_bits(p) + 1);
    assert_false(same(p, off));
    assert_true(same(p, gdn__pow_pos_sel(x, y)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pow_sel_special),
        cmocka_unit_test(test_pow_sel_random),
        cmocka_unit_test(test_pow_sel_catches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
