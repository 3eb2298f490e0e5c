/*
 * test_scan.c - gdn_scan (stability over a grid of parameters) against
 * closed forms (docs/specification.md §4; see test_stability.c):
 *   simgd on nsgan + l2 gamma, 1-D: rho^2 = 1 - gamma h + h^2/4 (gamma < 1),
 *     stable iff h < 4 gamma;
 *   the flow of wgan-gp with c = 0: max Re mu = -lambda (lambda < 1),
 *     -lambda + sqrt(lambda^2 - 1) above;
 * the bisected boundary against h = 4 gamma, the traced one against the
 * same line, and the refusals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gandyn.h"

typedef struct fixture {
    gdn_sweep sw; /* the system and options the axes are parsed against */
} fixture;

static void setup_sys(fixture *fx, const char *model, const char *reg,
                      const char *opt)
{
    gdn_error err;
    memset(fx, 0, sizeof *fx);
    assert_int_equal(gdn_system_from_specs(&fx->sw.sys, 1, model, &reg,
                                           reg ? 1 : 0, NULL, NULL, &err),
                     GDN_OK);
    gdn_run_opts_init(&fx->sw.opts, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt(opt, &fx->sw.opts, NULL, &err), GDN_OK);
    assert_int_equal(gdn_run_opts_check(&fx->sw.opts, &err), GDN_OK);
}

static void axis(const fixture *fx, const char *text, gdn_sweep_axis *ax)
{
    gdn_error err;
    int rc = gdn_sweep_axis_parse(text, &fx->sw, ax, &err);
    if (rc)
        fail_msg("%s: %s", text, err.msg);
}

/* simgd on nsgan + l2:gamma=0.1 over h: rho at every point, the boundary
 * h = 4 gamma = 0.4 (stable below). */
static void test_scan_1d_simgd_l2(void **state)
{
    (void)state;
    fixture fx;
    gdn_scan sc;
    gdn_error err;
    const double gam = 0.1;
    setup_sys(&fx, "nsgan", "l2:gamma=0.1", "simgd");
    gdn_sweep_axis ax;
    axis(&fx, "lr=0.05:1:18", &ax);
    assert_int_equal(gdn_scan_init(&sc, &ax, 1, &err), GDN_OK);
    assert_int_equal(gdn_scan_run(&sc, &fx.sw.sys, &fx.sw.opts, NULL, 0, &err),
                     GDN_OK);
    assert_int_equal(sc.discrete, 1);
    assert_int_equal(sc.n0, 18);
    assert_int_equal(sc.n1, 1);
    for (long i = 0; i < 18; i++) {
        double h = 0.05 + (1 - 0.05) * (double)i / 17;
        double rho = sqrt(1 - gam * h + h * h / 4);
        if (fabs(sc.f[i] + 1 - rho) > 1e-12)
            fail_msg("h = %g: rho %.17g, closed form %.17g", h, sc.f[i] + 1,
                     rho);
        assert_int_equal(sc.verdict[i],
                         h < 4 * gam ? GDN_STAB_STABLE : GDN_STAB_UNSTABLE);
    }
    assert_int_equal(sc.nbounds, 1);
    if (fabs(sc.bounds[0] - 4 * gam) > 1e-12)
        fail_msg("boundary %.17g, closed form %.17g", sc.bounds[0], 4 * gam);
    assert_int_equal(sc.stable_above[0], 0);
    assert_int_equal(sc.ncontour, 0);
    gdn_scan_release(&sc);
    gdn_scan_release(&sc); /* twice: harmless */
}

/* The flow of wgan-gp (c = 0) over lambda: max Re against its closed form,
 * no boundary (stable everywhere in the range). */
static void test_scan_1d_flow(void **state)
{
    (void)state;
    fixture fx;
    gdn_scan sc;
    gdn_error err;
    setup_sys(&fx, "wgan-gp:c=0", NULL, "flow");
    gdn_sweep_axis ax;
    axis(&fx, "lambda=log:0.01:10:13", &ax);
    assert_int_equal(gdn_scan_init(&sc, &ax, 1, &err), GDN_OK);
    assert_int_equal(gdn_scan_run(&sc, &fx.sw.sys, &fx.sw.opts, NULL, 0, &err),
                     GDN_OK);
    assert_int_equal(sc.discrete, 0);
    for (long i = 0; i < 13; i++) {
        double lam = 0.01 * pow(1000.0, (double)i / 12);
        double want = lam < 1 ? -lam : -lam + sqrt(lam * lam - 1);
        if (fabs(sc.f[i] - want) > 1e-12 * fmax(1, fabs(want)) + 1e-13)
            fail_msg("lambda = %g: max Re %.17g, closed form %.17g", lam,
                     sc.f[i], want);
        assert_int_equal(sc.verdict[i], GDN_STAB_STABLE);
    }
    assert_int_equal(sc.nbounds, 0);
    gdn_scan_release(&sc);
}

/* Two parameters (h, gamma): stability at each grid point by h < 4 gamma,
 * and every traced boundary point near the line h = 4 gamma (linear
 * interpolation of rho - 1 between neighbours: off by at most a fraction
 * of a cell). */
static void test_scan_2d_boundary(void **state)
{
    (void)state;
    fixture fx;
    gdn_scan sc;
    gdn_error err;
    setup_sys(&fx, "nsgan", "l2", "simgd");
    gdn_sweep_axis ax[2];
    axis(&fx, "lr=0.013:1.5:21", &ax[0]);
    axis(&fx, "gamma=0.011:0.35:17", &ax[1]);
    assert_int_equal(gdn_scan_init(&sc, ax, 2, &err), GDN_OK);
    assert_int_equal(gdn_scan_run(&sc, &fx.sw.sys, &fx.sw.opts, NULL, 0, &err),
                     GDN_OK);
    double dh = (1.5 - 0.013) / 20;
    for (long j = 0; j < 17; j++)
        for (long i = 0; i < 21; i++) {
            double h = 0.013 + dh * (double)i;
            double g = 0.011 + (0.35 - 0.011) * (double)j / 16;
            double rho = sqrt(1 - g * h + h * h / 4);
            assert_true(fabs(sc.f[j * 21 + i] + 1 - rho) < 1e-12);
            assert_int_equal(sc.verdict[j * 21 + i], h < 4 * g
                                                         ? GDN_STAB_STABLE
                                                         : GDN_STAB_UNSTABLE);
        }
    assert_true(sc.ncontour >= 3 * 10);
    assert_int_equal(sc.ncontour % 3, 0);
    for (size_t k = 0; k < sc.ncontour; k += 3) {
        for (size_t e = 0; e < 2; e++) {
            double h = sc.contour[2 * (k + e)], g = sc.contour[2 * (k + e) + 1];
            if (fabs(h - 4 * g) > 0.5 * dh)
                fail_msg("boundary point (%g, %g) is %g from h = 4 gamma", h,
                         g, fabs(h - 4 * g));
        }
        assert_true(isnan(sc.contour[2 * (k + 2)]));
    }
    gdn_scan_release(&sc);
}

/* A scan point is the analysis with the parameters set: against
 * gdn_stability_analyze of the system built with them. */
static void test_scan_point(void **state)
{
    (void)state;
    fixture fx, direct;
    gdn_error err;
    gdn_stability a, b;
    double f;
    setup_sys(&fx, "nsgan", "l2:gamma=0.3", "altgd:lr=0.1");
    setup_sys(&direct, "nsgan", "l2:gamma=0.7", "altgd:lr=0.9");
    gdn_sweep_axis ax[2];
    axis(&fx, "lr=0.1:1:3", &ax[0]);
    axis(&fx, "gamma=0.1:1:3", &ax[1]);
    double v[2] = {0.9, 0.7};
    assert_int_equal(gdn_scan_point(ax, 2, v, &fx.sw.sys, &fx.sw.opts, NULL,
                                    0, &a, &f, &err),
                     GDN_OK);
    assert_int_equal(gdn_stability_analyze(&direct.sw.sys, &direct.sw.opts,
                                           NULL, 0, &b, &err),
                     GDN_OK);
    assert_int_equal(a.verdict, b.verdict);
    assert_true(a.rho == b.rho);
    assert_true(f == b.rho - 1);
    gdn_stability_release(&a), gdn_stability_release(&b);
}

static void test_scan_refused(void **state)
{
    (void)state;
    fixture fx;
    gdn_scan sc;
    gdn_error err;
    setup_sys(&fx, "nsgan", "l2", "simgd");
    gdn_sweep_axis ax[3];
    axis(&fx, "theta1=0:1:3", &ax[0]);
    assert_int_equal(gdn_scan_init(&sc, ax, 1, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "theta1"));
    gdn_scan_release(&sc);
    axis(&fx, "lr=0.1:1:3", &ax[0]);
    assert_int_equal(gdn_scan_init(&sc, ax, 0, &err), GDN_EINVAL);
    gdn_scan_release(&sc);
    axis(&fx, "lr=0.1:1:2001", &ax[0]);
    axis(&fx, "gamma=0:1:2000", &ax[1]);
    assert_int_equal(gdn_scan_init(&sc, ax, 2, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "4002000 points"));
    gdn_scan_release(&sc);
    /* not prepared */
    memset(&sc, 0, sizeof sc);
    assert_int_equal(gdn_scan_run(&sc, &fx.sw.sys, &fx.sw.opts, NULL, 0, &err),
                     GDN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_1d_simgd_l2),
        cmocka_unit_test(test_scan_1d_flow),
        cmocka_unit_test(test_scan_2d_boundary),
        cmocka_unit_test(test_scan_point),
        cmocka_unit_test(test_scan_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
