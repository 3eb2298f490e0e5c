/*
 * test_stability_fault.c - fault injection: the eigenvalue solver fails,
 * and the analysis must say which parameters the failing matrix came
 * from, in one line, with no result.
 *
 * The failure is the solver's own: this program is built with a second
 * copy of src/analysis/eig.c whose gdn__eig_values is renamed
 * real_eig_values (tests/CMakeLists.txt), and defines gdn__eig_values
 * itself, taking the place of the library's (the static library's eig.o
 * is then never linked), as the real solver with a budget of one QR sweep:
 * not enough for any matrix that needs an iteration.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/eig.h"
#include "gandyn/spec.h"
#include "gandyn/stability.h"

int real_eig_values(size_t n, const double *a, double *wr, double *wi,
                    unsigned balance, long max_iter, double *work,
                    long *iterations, gdn_error *err);

static int calls;

int gdn__eig_values(size_t n, const double *a, double *wr, double *wi,
                    unsigned balance, long max_iter, double *work,
                    long *iterations, gdn_error *err)
{
    (void)max_iter;
    calls++;
    return real_eig_values(n, a, wr, wi, balance, 1, work, iterations, err);
}

static void contains(const char *msg, const char *needle)
{
    if (!strstr(msg, needle)) {
        print_error("message '%s' lacks '%s'\n", msg, needle);
        fail();
    }
}

static void test_solver_failure_named(void **state)
{
    (void)state;
    gdn_error err;
    gdn_system sys;
    const char *reg = "l2:gamma=0.7";
    assert_int_equal(gdn_system_from_specs(&sys, 2, "nsgan", &reg, 1, NULL,
                                           NULL, &err), GDN_OK);
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    /* (simgd's step Jacobian at the equilibrium is 2 x 2 blocks that split
     * off without a sweep; momentum's are 4 x 4) */
    assert_int_equal(gdn_spec_opt("momentum:lr=0.3,beta=0.5", &o, NULL, &err),
                     GDN_OK);
    gdn_stability st;
    calls = 0;
    assert_int_equal(gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err),
                     GDN_EINVAL);
    assert_int_equal(calls, 1);
    assert_null(strchr(err.msg, '\n'));
    contains(err.msg, "momentum:lr=0.3,");
    contains(err.msg, "beta=0.5");
    contains(err.msg, "nsgan");
    contains(err.msg, "l2:gamma=0.7");
    contains(err.msg, "one step");
    contains(err.msg, "(8 x 8)");
    contains(err.msg, "QR iteration did not converge in 1 sweeps");
    assert_null(st.matrix);
    assert_null(st.eig);

    /* the flow, with its learning rates, away from the equilibrium (where
     * the coordinates couple) */
    const double x[4] = {0.3, -0.2, 0.5, 0.1};
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt("flow:lr_d=2", &o, NULL, &err), GDN_OK);
    assert_int_equal(gdn_stability_analyze(&sys, &o, x, 0, &st, &err),
                     GDN_EINVAL);
    contains(err.msg, "Jacobian of the flow");
    contains(err.msg, "lr_d=2");
    contains(err.msg, "l2:gamma=0.7");
    contains(err.msg, "QR iteration did not converge in 1 sweeps");

    /* gdn_eigenvalues itself, on the companion matrix of x^3 - 2 (a 2 x 2
     * block splits off without a sweep: 3 x 3 is the smallest failure) */
    double a[9] = {0, 0, 2, 1, 0, 0, 0, 1, 0};
    gdn_eig e[3];
    assert_int_equal(gdn_eigenvalues(3, a, e, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "eigenvalues: QR iteration did not converge "
                                 "in 1 sweeps (3 of 3 eigenvalues not found)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_solver_failure_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
