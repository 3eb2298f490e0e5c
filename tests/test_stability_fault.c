/*
 * test_stability_fault.c - fault injection: LAPACK's dgeev fails (this
 * program defines LAPACKE_dgeev, which takes the place of liblapacke's for
 * the library linked into it), and the analysis must say which parameters
 * the failing matrix came from, in one line, with no result.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <lapacke.h>

#include "gandyn/spec.h"
#include "gandyn/stability.h"

static int calls;

lapack_int LAPACKE_dgeev(int layout, char jobvl, char jobvr, lapack_int n,
                         double *a, lapack_int lda, double *wr, double *wi,
                         double *vl, lapack_int ldvl, double *vr,
                         lapack_int ldvr)
{
    (void)layout, (void)jobvl, (void)jobvr, (void)a, (void)lda, (void)vl,
        (void)ldvl, (void)vr, (void)ldvr;
    for (lapack_int i = 0; i < n; i++)
        wr[i] = wi[i] = NAN; /* what a failed call may leave */
    calls++;
    return 3; /* the QR algorithm failed to converge */
}

static void contains(const char *msg, const char *needle)
{
    if (!strstr(msg, needle)) {
        print_error("message '%s' lacks '%s'\n", msg, needle);
        fail();
    }
}

static void test_dgeev_failure_named(void **state)
{
    (void)state;
    gdn_error err;
    gdn_system sys;
    const char *reg = "l2:gamma=0.7";
    assert_int_equal(gdn_system_from_specs(&sys, 2, "nsgan", &reg, 1, NULL,
                                           NULL, &err), GDN_OK);
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt("simgd:lr=0.3", &o, NULL, &err), GDN_OK);
    gdn_stability st;
    calls = 0;
    assert_int_equal(gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err),
                     GDN_EINVAL);
    assert_int_equal(calls, 1);
    assert_null(strchr(err.msg, '\n'));
    contains(err.msg, "simgd:lr=0.3");
    contains(err.msg, "nsgan");
    contains(err.msg, "l2:gamma=0.7");
    contains(err.msg, "one step");
    contains(err.msg, "(4 x 4)");
    contains(err.msg, "dgeev failed (info 3)");
    assert_null(st.matrix);
    assert_null(st.eig);

    /* the flow, with its learning rates */
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt("flow:lr_d=2", &o, NULL, &err), GDN_OK);
    assert_int_equal(gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err),
                     GDN_EINVAL);
    contains(err.msg, "Jacobian of the flow");
    contains(err.msg, "lr_d=2");
    contains(err.msg, "l2:gamma=0.7");
    contains(err.msg, "dgeev failed (info 3)");

    /* gdn_eigenvalues itself */
    double a[4] = {1, 2, 3, 4};
    gdn_eig e[2];
    assert_int_equal(gdn_eigenvalues(2, a, e, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "eigenvalues: LAPACK dgeev failed (info 3)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dgeev_failure_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
