/*
 * check.h - the checks the cmocka tests share: bitwise equality of
 * doubles, and CHECK_* macros that say what was being checked (the string
 * `where`, which a test sets with snprintf) and the numbers when they fail.
 *
 * Header-only, after <cmocka.h> (print_error, fail), <math.h>, <stdio.h>
 * and <string.h>.  Everything is static and marked unused, so a test that
 * uses only part of it is not warned about the rest.
 */
#ifndef GANDYN_TESTS_CHECK_H
#define GANDYN_TESTS_CHECK_H

/* what is being checked, printed on failure */
__attribute__((unused)) static char where[512];

/* a and b the same bits; any NaN matches any NaN: IEEE 754 leaves the
 * sign and payload a NaN result carries unspecified when both operands
 * could supply it, and the compiler may commute a * b */
__attribute__((unused)) static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

#define CHECK_CLOSE(got, want, tol)                                          \
    do {                                                                     \
        double g_ = (got), w_ = (want), t_ = (tol);                          \
        if (!(fabs(g_ - w_) <= t_)) {                                        \
            print_error("%s:%d: [%s] %s = %.17g, expected %.17g "            \
                        "(|diff| %.3g > tol %.3g)\n",                        \
                        __FILE__, __LINE__, where, #got, g_, w_,             \
                        fabs(g_ - w_), t_);                                  \
            fail();                                                          \
        }                                                                    \
    } while (0)

#define CHECK_SAME(got, want)                                                \
    do {                                                                     \
        double g_ = (got), w_ = (want);                                      \
        if (!same(g_, w_)) {                                                 \
            print_error("%s:%d: [%s] %s = %a, expected %a\n", __FILE__,      \
                        __LINE__, where, #got, g_, w_);                      \
            fail();                                                          \
        }                                                                    \
    } while (0)

#define CHECK_INT(got, want)                                                 \
    do {                                                                     \
        int g_ = (got), w_ = (want);                                         \
        if (g_ != w_) {                                                      \
            print_error("%s:%d: [%s] %s = %d, expected %d\n", __FILE__,      \
                        __LINE__, where, #got, g_, w_);                      \
            fail();                                                          \
        }                                                                    \
    } while (0)

#define CHECK_TRUE(cond)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            print_error("%s:%d: [%s] %s is false\n", __FILE__, __LINE__,     \
                        where, #cond);                                       \
            fail();                                                          \
        }                                                                    \
    } while (0)

#endif
