/*
 * test_fastexp.c - gdn__exp_neg, the exponential the sigmoid GANs and the
 * sweep kernels share, against libm's exp: within 1 ulp on [-745, 0],
 * exact at 0, 0 below the subnormals, NaN kept.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "models/fastexp.h"

/* Distance from a to b in units of b's ulp. */
static double ulps(double a, double b)
{
    if (a == b)
        return 0;
    double u = nextafter(b, INFINITY) - b;
    return fabs(a - b) / u;
}

static void test_random_points(void **state)
{
    (void)state;
    uint64_t s = 0x2545F4914F6CDD1Dull;
    double worst = 0;
    for (long i = 0; i < 4000000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u = (double)(s >> 11) * 0x1p-53;
        /* a quarter near 0 (where sigmoids live), the rest over the range */
        double x = i % 4 == 0 ? -2 * u : -745 * u;
        worst = fmax(worst, ulps(gdn__exp_neg(x), exp(x)));
    }
    print_message("gdn__exp_neg: worst %.3f ulp from libm over 4e6 points\n",
                  worst);
    assert_true(worst <= 1.0);
}

static void test_special_values(void **state)
{
    (void)state;
    assert_true(gdn__exp_neg(0.0) == 1.0);
    assert_true(gdn__exp_neg(-0.0) == 1.0);
    assert_true(gdn__exp_neg(1.0) == 1.0); /* x > 0 is treated as 0 */
    assert_true(gdn__exp_neg(-746.0) == 0.0);
    assert_true(gdn__exp_neg(-1e300) == 0.0);
    assert_true(gdn__exp_neg(-INFINITY) == 0.0);
    assert_true(isnan(gdn__exp_neg(NAN)));
    /* the subnormal range rounds once: equal to libm there */
    for (double x = -708.5; x > -745; x -= 1.37)
        assert_true(ulps(gdn__exp_neg(x), exp(x)) <= 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_points),
        cmocka_unit_test(test_special_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
