/*
 * test_system.c - the reduced (t, a, b) dynamics of docs/specification.md §1
 * against the full flow.
 *
 * Under the flow phi' = -eta_D xi_phi, theta' = -eta_G xi_theta, the
 * invariants t = theta.phi, a = |phi|^2, b = |theta|^2 obey a closed 3-D ODE
 * whatever n is.  We integrate that ODE (gdn_system_reduced) with our own
 * classic RK4, h = 1e-3 (global error ~ h^4 = 1e-12 times a modest
 * constant), and compare it with the invariants of a library flow run in
 * n = 5 (dopri5, default rtol 1e-10, atol 1e-12) at every output time.
 * The bound 1e-8 is set by the library's integrator tolerances, not by our
 * RK4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gandyn/run.h"
#include "gandyn/system.h"
#include "gandyn/traj.h"
#include "check.h"

/* A method's parameter by key (tables are not indexed by position). */
#define PAR(o, key) ((o).par[gdn_param_index((o).opt->params, (key))])

#define NMAX 5
#define MMAX (2 * NMAX)

/* A fixed, generic start in n = 5 (phi and theta far from parallel). */
static const double X5[10] = {0.3,  -0.2, 0.5,  0.1, -0.4,
                              0.2,  0.4,  -0.1, 0.3, 0.25};

typedef struct scenario {
    const char *model;
    double p0, p1;     /* model parameters (NAN: default) */
    const char *reg;   /* NULL or a regulariser */
    double rp0;        /* its first parameter */
} scenario;

static const scenario SCENARIOS[] = {
    {"nsgan", NAN, NAN, NULL, 0},
    {"gan-qp", NAN, NAN, NULL, 0},
    {"gan-qp", 0.37, NAN, NULL, 0},
    {"wgan-gp", 0.3, 0.6, NULL, 0},
    {"nsgan", NAN, NAN, "l2", 0.29},
};
#define NSCEN (sizeof SCENARIOS / sizeof SCENARIOS[0])

static void make_system(const scenario *sc, size_t n, gdn_system *sys)
{
    const gdn_term_type *m = gdn_term_find(gdn_models, sc->model);
    assert_non_null(m);
    assert_int_equal(gdn_system_init(sys, n, m, NULL), GDN_OK);
    if (!isnan(sc->p0))
        sys->model.par[0] = sc->p0;
    if (!isnan(sc->p1))
        sys->model.par[1] = sc->p1;
    if (sc->reg) {
        const gdn_term_type *r = gdn_term_find(gdn_regularizers, sc->reg);
        assert_non_null(r);
        int k = gdn_system_add_reg(sys, r, NULL);
        assert_true(k >= 0);
        sys->reg[k].par[0] = sc->rp0;
    }
}

/* Runs the library's flow and records every sample. */
static void run_flow(const gdn_system *sys, const double *x0, double t_end,
                     double dt, double eta_d, double eta_g, gdn_traj *tr)
{
    gdn_run_opts o;
    gdn_error err;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    o.t_end = t_end;
    o.dt = dt;
    PAR(o, "lr_d") = eta_d;
    PAR(o, "lr_g") = eta_g;
    gdn_run *run = gdn_run_new(sys, &o, x0, &err);
    if (!run)
        print_error("gdn_run_new: %s\n", err.msg);
    assert_non_null(run);
    gdn_traj_init(tr, sys->n, 0, 0);
    assert_int_equal(gdn_run_collect(run, tr, &err), GDN_DONE);
    gdn_run_free(run);
}

/* Our RK4 on the reduced ODE. */
static void rk4_reduced(const gdn_system *sys, double eta_d, double eta_g,
                        double h, double *y)
{
    double k1[3], k2[3], k3[3], k4[3], yt[3];
    assert_true(gdn_system_reduced(sys, eta_d, eta_g, y, k1) != GDN_PT_UNDEFINED);
    for (int i = 0; i < 3; i++)
        yt[i] = y[i] + 0.5 * h * k1[i];
    assert_true(gdn_system_reduced(sys, eta_d, eta_g, yt, k2) != GDN_PT_UNDEFINED);
    for (int i = 0; i < 3; i++)
        yt[i] = y[i] + 0.5 * h * k2[i];
    assert_true(gdn_system_reduced(sys, eta_d, eta_g, yt, k3) != GDN_PT_UNDEFINED);
    for (int i = 0; i < 3; i++)
        yt[i] = y[i] + h * k3[i];
    assert_true(gdn_system_reduced(sys, eta_d, eta_g, yt, k4) != GDN_PT_UNDEFINED);
    for (int i = 0; i < 3; i++)
        y[i] += h / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
}

static void tab_of(size_t n, const double *x, double *tab)
{
    gdn_invariants inv;
    gdn_invariants_of(n, x, &inv);
    tab[0] = inv.t, tab[1] = inv.a, tab[2] = inv.b;
}

/* Max |reduced - invariants of the flow| over every sample. */
static double compare_reduced(const gdn_system *sys, const double *x0,
                              double eta_d, double eta_g, double t_end,
                              double dt, double tol)
{
    gdn_traj tr;
    run_flow(sys, x0, t_end, dt, eta_d, eta_g, &tr);
    size_t n = sys->n, m = 2 * n;
    long per = 100; /* RK4 steps of 1e-3 per output interval 0.1 */
    double h = dt / (double)per, y[3], maxerr = 0;
    tab_of(n, x0, y);
    assert_true(tr.count == (size_t)(t_end / dt + 0.5) + 1);
    for (size_t k = 0; k < tr.count; k++) {
        if (k > 0)
            for (long s = 0; s < per; s++)
                rk4_reduced(sys, eta_d, eta_g, h, y);
        CHECK_CLOSE(tr.t[k], (double)k * dt, 1e-12);
        double lib[3];
        tab_of(n, tr.x + k * m, lib);
        for (int i = 0; i < 3; i++) {
            CHECK_CLOSE(lib[i], y[i], tol);
            maxerr = fmax(maxerr, fabs(lib[i] - y[i]));
        }
    }
    /* the run moved: the check compared something non-trivial */
    double last[3];
    tab_of(n, tr.x + (tr.count - 1) * m, last);
    double y0[3];
    tab_of(n, x0, y0);
    assert_true(fabs(last[0] - y0[0]) + fabs(last[1] - y0[1]) +
                    fabs(last[2] - y0[2]) > 1e-2);
    gdn_traj_release(&tr);
    return maxerr;
}

static void check_all(double eta_d, double eta_g)
{
    for (size_t s = 0; s < NSCEN; s++) {
        gdn_system sys;
        make_system(&SCENARIOS[s], 5, &sys);
        snprintf(where, sizeof where, "%s(%g,%g)%s%s eta=(%g,%g) n=5",
                 SCENARIOS[s].model, sys.model.par[0], sys.model.par[1],
                 SCENARIOS[s].reg ? "+" : "",
                 SCENARIOS[s].reg ? SCENARIOS[s].reg : "", eta_d, eta_g);
        double e = compare_reduced(&sys, X5, eta_d, eta_g, 20.0, 0.1, 1e-8);
        print_message("%-40s max |reduced - flow| = %.2e\n", where, e);
    }
}

static void test_reduced_vs_flow(void **state)
{
    (void)state;
    check_all(1.0, 1.0);
}

static void test_reduced_vs_flow_ttur(void **state)
{
    (void)state;
    check_all(1.7, 0.6);
}

/* The reduced flow does not depend on n: a 2-D start with the same
 * (t, a, b) as X5 gives the same invariants at every sample. */
static void test_reduced_independent_of_n(void **state)
{
    (void)state;
    double tab[3], x2[4];
    tab_of(5, X5, tab);
    x2[0] = sqrt(tab[1]);
    x2[1] = 0.0;
    x2[2] = tab[0] / x2[0];
    x2[3] = sqrt(tab[2] - x2[2] * x2[2]);
    for (size_t s = 0; s < NSCEN; s++) {
        gdn_system s2, s5;
        make_system(&SCENARIOS[s], 2, &s2);
        make_system(&SCENARIOS[s], 5, &s5);
        snprintf(where, sizeof where, "%s n=2 vs n=5", SCENARIOS[s].model);
        gdn_traj t2, t5;
        run_flow(&s2, x2, 10.0, 0.1, 1.7, 0.6, &t2);
        run_flow(&s5, X5, 10.0, 0.1, 1.7, 0.6, &t5);
        assert_int_equal(t2.count, t5.count);
        for (size_t k = 0; k < t2.count; k++) {
            double a2[3], a5[3];
            tab_of(2, t2.x + 4 * k, a2);
            tab_of(5, t5.x + 10 * k, a5);
            for (int i = 0; i < 3; i++)
                CHECK_CLOSE(a2[i], a5[i], 1e-8);
        }
        gdn_traj_release(&t2);
        gdn_traj_release(&t5);
    }
}

/* gdn_system_reduced against the chain rule on gdn_system_grad:
 * t' = theta.phi' + phi.theta', a' = 2 phi.phi', b' = 2 theta.theta'. */
static void test_reduced_rhs_chain_rule(void **state)
{
    (void)state;
    static const double etas[][2] = {{1, 1}, {1.7, 0.6}, {0.3, 2.9}};
    for (size_t s = 0; s < NSCEN; s++)
        for (size_t n = 1; n <= NMAX; n += 2)
            for (int e = 0; e < 3; e++) {
                gdn_system sys;
                make_system(&SCENARIOS[s], n, &sys);
                double x[MMAX], xi[MMAX], tab[3], d[3];
                for (size_t i = 0; i < n; i++) {
                    x[i] = X5[i] + 0.1 * (double)e;
                    x[n + i] = X5[5 + i] - 0.05 * (double)e;
                }
                double ed = etas[e][0], eg = etas[e][1];
                tab_of(n, x, tab);
                assert_int_equal(gdn_system_grad(&sys, x, xi), GDN_PT_OK);
                assert_int_equal(gdn_system_reduced(&sys, ed, eg, tab, d),
                                 GDN_PT_OK);
                double dt = 0, da = 0, db = 0;
                for (size_t i = 0; i < n; i++) {
                    double dphi = -ed * xi[i], dth = -eg * xi[n + i];
                    dt += x[n + i] * dphi + x[i] * dth;
                    da += 2 * x[i] * dphi;
                    db += 2 * x[n + i] * dth;
                }
                snprintf(where, sizeof where, "%s n=%zu eta=(%g,%g)",
                         SCENARIOS[s].model, n, ed, eg);
                CHECK_CLOSE(d[0], dt, 1e-14 * (1 + fabs(dt)));
                CHECK_CLOSE(d[1], da, 1e-14 * (1 + fabs(da)));
                CHECK_CLOSE(d[2], db, 1e-14 * (1 + fabs(db)));
            }
}

/* Invariants of a state, and Gamma >= 0 after rounding. */
static void test_invariants_of(void **state)
{
    (void)state;
    double x[6] = {1, 2, -2, 3, 0.5, 4}; /* phi = (1,2,-2), theta = (3,.5,4) */
    gdn_invariants inv;
    gdn_invariants_of(3, x, &inv);
    strcpy(where, "invariants");
    CHECK_CLOSE(inv.t, 3 + 1 - 8, 0.0);
    CHECK_CLOSE(inv.a, 9, 0.0);
    CHECK_CLOSE(inv.b, 9 + 0.25 + 16, 0.0);
    CHECK_CLOSE(inv.energy, 0.5 * (9 + 25.25), 0.0);
    CHECK_CLOSE(inv.gram, 9 * 25.25 - 16, 1e-13);
    CHECK_CLOSE(inv.phi_norm, 3, 0.0);
    CHECK_CLOSE(inv.theta_norm, sqrt(25.25), 1e-15);
    /* parallel: Gamma = 0 exactly (clamped), never negative */
    double p[4] = {0.1, 0.3, 0.7, 2.1};
    gdn_invariants_of(2, p, &inv);
    assert_true(inv.gram >= 0.0 && inv.gram <= 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invariants_of),
        cmocka_unit_test(test_reduced_rhs_chain_rule),
        cmocka_unit_test(test_reduced_vs_flow),
        cmocka_unit_test(test_reduced_vs_flow_ttur),
        cmocka_unit_test(test_reduced_independent_of_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
