/*
 * test_dynamics.c - integrators, optimizers, sampling, averages and run
 * outcomes (gandyn/run.h, src/dynamics/ode.h), checked against exact
 * invariants and closed-form solutions rather than against the program's
 * own output.
 *
 * Closed form used throughout: wgan-gp with c = 0 is linear,
 *     phi' = -theta - 2 lambda phi,  theta' = phi      (per component)
 * i.e. y' = A y with A = [[-2l, -1], [1, 0]].  With B = A + l I one has
 * B^2 = (l^2 - 1) I, so exp(A t) = e^{-l t} (C(t) I + S(t) B) where
 * C = cos(w t), S = sin(w t)/w (w^2 = 1 - l^2 > 0), or cosh/sinh with
 * k^2 = l^2 - 1 > 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gmath.h"
#include "models/norm.h"
#include "dynamics/ode.h"
#include "gandyn/diagnose.h"
#include "gandyn/run.h"
#include "gandyn/system.h"
#include "gandyn/traj.h"
#include "check.h"

/* A method's parameter by key (tables are not indexed by position). */
#define PAR(o, key) ((o).par[gdn_param_index((o).opt->params, (key))])

#define NMAX 5
#define MMAX (2 * NMAX)

#define CHECK_RANGE(got, lo, hi)                                             \
    do {                                                                     \
        double g_ = (got);                                                   \
        if (!(g_ >= (lo) && g_ <= (hi))) {                                   \
            print_error("%s:%d: [%s] %s = %.6g not in [%g, %g]\n", __FILE__, \
                        __LINE__, where, #got, g_, (double)(lo),             \
                        (double)(hi));                                       \
            fail();                                                          \
        }                                                                    \
    } while (0)

/* The seed's start (phi, theta) = (0.1, 0.2, 0.2, 0.1), and a 5-D one. */
static const double SEED2[4] = {0.1, 0.2, 0.2, 0.1};
static const double X5[10] = {0.3,  -0.2, 0.5,  0.1, -0.4,
                              0.2,  0.4,  -0.1, 0.3, 0.25};

/* ---------------------------------------------------------------- helpers */

static void make_sys(gdn_system *sys, const char *model, size_t n, double p0,
                     double p1)
{
    const gdn_term_type *m = gdn_term_find(gdn_models, model);
    assert_non_null(m);
    assert_int_equal(gdn_system_init(sys, n, m, NULL), GDN_OK);
    if (!isnan(p0))
        sys->model.par[0] = p0;
    if (!isnan(p1))
        sys->model.par[1] = p1;
}

static void add_reg(gdn_system *sys, const char *name, double p0)
{
    const gdn_term_type *r = gdn_term_find(gdn_regularizers, name);
    assert_non_null(r);
    int k = gdn_system_add_reg(sys, r, NULL);
    assert_true(k >= 0);
    sys->reg[k].par[0] = p0;
}

static void flow_opts(gdn_run_opts *o, double t_end, double dt)
{
    gdn_run_opts_init(o, gdn_opt_find("flow"));
    o->t_end = t_end;
    o->dt = dt;
}

/* Runs to the end and records every sample; returns the final status. */
static int collect(const gdn_system *sys, const gdn_run_opts *o,
                   const double *x0, gdn_traj *tr, gdn_run_info *info)
{
    gdn_error err;
    gdn_run *run = gdn_run_new(sys, o, x0, &err);
    if (!run)
        print_error("gdn_run_new: %s\n", err.msg);
    assert_non_null(run);
    gdn_traj_init(tr, sys->n, gdn_run_navg(run), !gdn_run_opts_is_flow(o));
    int rc = gdn_run_collect(run, tr, &err);
    if (info)
        gdn_run_get_info(run, info);
    gdn_run_free(run);
    return rc;
}

/* Gamma = |phi ^ theta|^2 = sum_{i<j} (phi_i theta_j - phi_j theta_i)^2,
 * computed independently of the library (and without cancellation). */
static double gram_wedge(size_t n, const double *x)
{
    const double *p = x, *q = x + n;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double w = p[i] * q[j] - p[j] * q[i];
            s += w * w;
        }
    return s;
}

static double dot(size_t n, const double *u, const double *v)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += u[i] * v[i];
    return s;
}

static double sigmoid(double u) { return 1.0 / (1.0 + exp(-u)); }

/* Closed-form state of wgan-gp c = 0 at time t (see the file comment). */
static void lin_exact(double lam, double t, size_t n, const double *x0,
                      double *x)
{
    double C, S, k2 = lam * lam - 1;
    if (k2 > 0) {
        double k = sqrt(k2);
        C = cosh(k * t), S = sinh(k * t) / k;
    } else if (k2 < 0) {
        double w = sqrt(-k2);
        C = cos(w * t), S = sin(w * t) / w;
    } else {
        C = 1, S = t;
    }
    double e = exp(-lam * t);
    for (size_t i = 0; i < n; i++) {
        double p = x0[i], q = x0[n + i];
        x[i] = e * (C * p + S * (-lam * p - q));
        x[n + i] = e * (C * q + S * (p + lam * q));
    }
}

/* EMA e' = (x - e)/tau from e(0) = e0 along the linear solution:
 * e(t) = e^{-t/tau} e0 + (1/tau) M^{-1} (x(t) - e^{-t/tau} x0),
 * M = A + I/tau. */
static void lin_ema(double lam, double tau, double t, size_t n,
                    const double *x0, const double *e0, double *e)
{
    double x[MMAX], r = 1.0 / tau, d = exp(-t * r);
    lin_exact(lam, t, n, x0, x);
    double m11 = -2 * lam + r, m12 = -1, m21 = 1, m22 = r;
    double det = m11 * m22 - m12 * m21;
    for (size_t i = 0; i < n; i++) {
        double u = x[i] - d * x0[i], v = x[n + i] - d * x0[n + i];
        double iu = (m22 * u - m12 * v) / det, iv = (-m21 * u + m11 * v) / det;
        e[i] = d * e0[i] + r * iu;
        e[n + i] = d * e0[n + i] + r * iv;
    }
}

/* Uniform average (1/t) int_0^t x = (1/t) A^{-1} (x(t) - x0),
 * A^{-1} = [[0, 1], [-1, -2 lambda]]. */
static void lin_uniform(double lam, double t, size_t n, const double *x0,
                        double *u)
{
    double x[MMAX];
    lin_exact(lam, t, n, x0, x);
    for (size_t i = 0; i < n; i++) {
        double dp = x[i] - x0[i], dq = x[n + i] - x0[n + i];
        u[i] = dq / t;
        u[n + i] = (-dp - 2 * lam * dq) / t;
    }
}

/* --------------------------------------------- Gram determinant: the flow */

/* Gamma is conserved by gan, nsgan and gan-qp (F_a + G_b = 0).  Bound: the
 * dopri5 defaults (rtol 1e-10, atol 1e-12) keep each step's local error
 * below ~1e-10 |x|; Gamma is quadratic in phi and in theta, so its relative
 * drift is at most ~4x the state's relative global error.  Over T = 100
 * we allow 2e-8 relative, i.e. 200 rtol; the observed drift is printed. */
static void test_gram_conserved_by_flow(void **state)
{
    (void)state;
    static const char *models[] = {"gan", "nsgan", "gan-qp"};
    for (int mi = 0; mi < 3; mi++)
        for (int d = 0; d < 2; d++) {
            size_t n = d ? 5 : 2;
            const double *x0 = d ? X5 : SEED2;
            gdn_system sys;
            make_sys(&sys, models[mi], n, NAN, NAN);
            gdn_run_opts o;
            flow_opts(&o, 100.0, 0.1);
            gdn_traj tr;
            assert_int_equal(collect(&sys, &o, x0, &tr, NULL), GDN_DONE);
            assert_int_equal(tr.count, 1001);
            double g0 = gram_wedge(n, x0), worst = 0, emin = INFINITY,
                   emax = 0;
            assert_true(g0 > 1e-4);
            snprintf(where, sizeof where, "%s n=%zu", models[mi], n);
            for (size_t k = 0; k < tr.count; k++) {
                const double *x = tr.x + k * 2 * n;
                double g = gram_wedge(n, x);
                CHECK_CLOSE(g / g0, 1.0, 2e-8);
                worst = fmax(worst, fabs(g / g0 - 1));
                double E = 0.5 * dot(2 * n, x, x);
                emin = fmin(emin, E), emax = fmax(emax, E);
            }
            /* the state really moved (not a trivially constant run) */
            assert_true(fabs(tr.x[(tr.count - 1) * 2 * n + n] - x0[n]) +
                            fabs(tr.x[(tr.count / 3) * 2 * n] - x0[0]) >
                        1e-2);
            if (mi == 0) /* gan also conserves E */
                CHECK_CLOSE(emax / emin, 1.0, 2e-8);
            print_message("%-12s max |Gamma/Gamma0 - 1| over T=100: %.2e\n",
                          where, worst);
            gdn_traj_release(&tr);
        }
}

/* l2 (gamma) on nsgan: Gamma' = -2 gamma Gamma exactly. */
static void test_gram_decay_with_l2(void **state)
{
    (void)state;
    static const double gammas[] = {0.05, 0.29};
    static const double horizons[] = {100.0, 20.0};
    for (int g = 0; g < 2; g++)
        for (int d = 0; d < 2; d++) {
            size_t n = d ? 5 : 2;
            const double *x0 = d ? X5 : SEED2;
            gdn_system sys;
            make_sys(&sys, "nsgan", n, NAN, NAN);
            add_reg(&sys, "l2", gammas[g]);
            gdn_run_opts o;
            flow_opts(&o, horizons[g], 0.1);
            gdn_traj tr;
            assert_int_equal(collect(&sys, &o, x0, &tr, NULL), GDN_DONE);
            double g0 = gram_wedge(n, x0), worst = 0;
            snprintf(where, sizeof where, "nsgan+l2 %g n=%zu", gammas[g], n);
            for (size_t k = 0; k < tr.count; k++) {
                double want = g0 * exp(-2 * gammas[g] * tr.t[k]);
                double got = gram_wedge(n, tr.x + k * 2 * n);
                CHECK_CLOSE(got / want, 1.0, 1e-7);
                worst = fmax(worst, fabs(got / want - 1));
            }
            print_message("%-20s max rel. error of Gamma0 exp(-2 gamma t) "
                          "(to %g): %.2e\n",
                          where, exp(-2 * gammas[g] * horizons[g]), worst);
            gdn_traj_release(&tr);
        }
}

/* -------------------------------------------- Gram determinant: discrete */

/* altgd is a composition of shears phi <- phi - h s theta and
 * theta <- theta + h s' phi, each of which keeps phi ^ theta: Gamma is
 * conserved exactly, up to rounding. */
static void test_altgd_conserves_gram(void **state)
{
    (void)state;
    const gdn_opt_type *alt = gdn_opt_find("altgd");
    assert_non_null(alt);
    for (int order = 0; order < 2; order++)
        for (int nd = 0; nd < 2; nd++)
            for (int d = 0; d < 2; d++)
                for (int ttur = 0; ttur < 2; ttur++) {
                    size_t n = d ? 5 : 2;
                    const double *x0 = d ? X5 : SEED2;
                    gdn_system sys;
                    make_sys(&sys, "nsgan", n, NAN, NAN);
                    gdn_run_opts o;
                    gdn_run_opts_init(&o, alt);
                    PAR(o, "lr") = 0.1;
                    if (ttur)
                        PAR(o, "lr_d") = 0.37, PAR(o, "lr_g") = 0.06;
                    PAR(o, "order") = order ? GDN_ORDER_GD : GDN_ORDER_DG;
                    PAR(o, "ndis") = nd ? 3 : 1;
                    o.steps = 2000;
                    o.every = 10;
                    gdn_traj tr;
                    assert_int_equal(collect(&sys, &o, x0, &tr, NULL),
                                     GDN_DONE);
                    assert_int_equal(tr.count, 201);
                    double g0 = gram_wedge(n, x0), worst = 0;
                    snprintf(where, sizeof where,
                             "altgd order=%s ndis=%d n=%zu ttur=%d",
                             order ? "gd" : "dg", nd ? 3 : 1, n, ttur);
                    for (size_t k = 0; k < tr.count; k++) {
                        double g = gram_wedge(n, tr.x + k * 2 * n);
                        CHECK_CLOSE(g / g0, 1.0, 1e-12);
                        worst = fmax(worst, fabs(g / g0 - 1));
                    }
                    assert_true(tr.t[tr.count - 1] == 2000.0);
                    if (order == 0 && nd == 0 && ttur == 0)
                        print_message("%-36s max |Gamma/Gamma0 - 1| after 2000 "
                                      "steps: %.2e\n",
                                      where, worst);
                    gdn_traj_release(&tr);
                }
}

/* simgd: phi1 = phi - h_D s theta, theta1 = theta + h_G (1 - s) phi with
 * s = sigma(t).  Then phi1 ^ theta1 = (1 + h_D h_G s (1 - s)) phi ^ theta,
 * so each step multiplies Gamma by (1 + h_D h_G s(1-s))^2 > 1. */
static void test_simgd_gram_growth(void **state)
{
    (void)state;
    const gdn_opt_type *sim = gdn_opt_find("simgd");
    assert_non_null(sim);
    static const double lrs[][2] = {{0.1, 0.1}, {0.5, 0.5}, {0.37, 0.06}};
    for (int l = 0; l < 3; l++)
        for (int d = 0; d < 2; d++) {
            size_t n = d ? 5 : 2, m = 2 * n;
            const double *x0 = d ? X5 : SEED2;
            gdn_system sys;
            make_sys(&sys, "nsgan", n, NAN, NAN);
            gdn_run_opts o;
            gdn_run_opts_init(&o, sim);
            PAR(o, "lr") = lrs[l][0];
            PAR(o, "lr_d") = lrs[l][0];
            PAR(o, "lr_g") = lrs[l][1];
            o.steps = 500;
            gdn_traj tr;
            assert_int_equal(collect(&sys, &o, x0, &tr, NULL), GDN_DONE);
            assert_int_equal(tr.count, 501);
            snprintf(where, sizeof where, "simgd lr=(%g,%g) n=%zu", lrs[l][0],
                     lrs[l][1], n);
            double worst = 0;
            for (size_t k = 0; k + 1 < tr.count; k++) {
                const double *x = tr.x + k * m, *y = x + m;
                double s = sigmoid(dot(n, x, x + n));
                double f = 1 + lrs[l][0] * lrs[l][1] * s * (1 - s);
                double g0 = gram_wedge(n, x), g1 = gram_wedge(n, y);
                assert_true(g1 > g0);
                CHECK_CLOSE(g1 / g0, f * f, 1e-12);
                worst = fmax(worst, fabs(g1 / g0 / (f * f) - 1));
            }
            print_message("%-28s per-step factor: max rel. error %.2e; "
                          "Gamma grew x%.4g\n",
                          where, worst,
                          gram_wedge(n, tr.x + (tr.count - 1) * m) /
                              gram_wedge(n, x0));
            gdn_traj_release(&tr);
        }
}

/* -------------------------------------------- wgan-gp c = 0: closed form */

static void test_wgan_gp_linear_closed_form(void **state)
{
    (void)state;
    static const double lams[] = {0.1, 0.7, 1.3};
    for (int l = 0; l < 3; l++)
        for (int d = 0; d < 2; d++) {
            size_t n = d ? 5 : 2, m = 2 * n;
            const double *x0 = d ? X5 : SEED2;
            gdn_system sys;
            make_sys(&sys, "wgan-gp", n, lams[l], 0.0);
            gdn_run_opts o;
            flow_opts(&o, 40.0, 0.1);
            gdn_traj tr;
            assert_int_equal(collect(&sys, &o, x0, &tr, NULL), GDN_DONE);
            assert_int_equal(tr.count, 401);
            snprintf(where, sizeof where, "wgan-gp lambda=%g c=0 n=%zu",
                     lams[l], n);
            double worst = 0, x[MMAX];
            for (size_t k = 0; k < tr.count; k++) {
                lin_exact(lams[l], tr.t[k], n, x0, x);
                for (size_t i = 0; i < m; i++) {
                    CHECK_CLOSE(tr.x[k * m + i], x[i], 1e-9);
                    worst = fmax(worst, fabs(tr.x[k * m + i] - x[i]));
                }
            }
            print_message("%-28s max |flow - exact| over T=40: %.2e\n", where,
                          worst);
            gdn_traj_release(&tr);
        }
}

/* ------------------------------------------------- orders of accuracy */

/* Test problem 0: harmonic oscillator y = (cos t, -sin t).
 * Test problem 1 (nonlinear, made autonomous): s' = 1, u' = cos(s) u with
 * s = t, u = exp(sin t). */
static int f_osc(void *ctx, const double *y, double *dy, int *st)
{
    (void)ctx;
    st[0] = 0;
    dy[0] = y[1];
    dy[1] = -y[0];
    return 0;
}

static void exact_osc(double t, double *y) { y[0] = cos(t), y[1] = -sin(t); }

static int f_nonlin(void *ctx, const double *y, double *dy, int *st)
{
    (void)ctx;
    st[0] = 0;
    dy[0] = 1.0;
    dy[1] = cos(y[0]) * y[1];
    return 0;
}

static void exact_nonlin(double t, double *y)
{
    y[0] = t;
    y[1] = exp(sin(t));
}

/* Fixed-step dopri5 to T with N steps; returns the max error at the step
 * ends (*end_err) and at interior dense-output points (*dense_err). */
static void dopri5_fixed(int problem, double T, int N, double *end_err,
                         double *dense_err, double *est_first)
{
    gdn__ode ode = {2, 1, problem ? f_nonlin : f_osc, NULL};
    void (*exact)(double, double *) = problem ? exact_nonlin : exact_osc;
    double mem[13 * 2 + 2 + GDN__DOPRI5_SPARE(2)], y0[2], y1[2], ye[2], yd[2];
    int ist[1], st[1];
    gdn__dopri5 w;
    assert_true(gdn__dopri5_size(2, 1) <= sizeof mem / sizeof *mem);
    gdn__dopri5_bind(&w, 2, 1, mem, ist);
    exact(0.0, y0);
    ode.f(NULL, y0, w.k[0], st);
    double h = T / N, t = 0, e_end = 0, e_dense = 0;
    static const double thetas[] = {0.25, 0.5, 0.8};
    for (int s = 0; s < N; s++) {
        double err;
        gdn__dopri5_try(&w, &ode, &h, y0, y1, 0.0, 1.0, &err, st);
        if (s == 0)
            *est_first = err; /* RMS of the embedded estimate (atol 1) */
        gdn__dopri5_dense_lanes(&w, NULL, &t, &h, y0, y1);
        for (int j = 0; j < 3; j++) {
            double tj = t + thetas[j] * h;
            gdn__dopri5_eval(&w, 0, tj, yd);
            exact(tj, ye);
            for (int i = 0; i < 2; i++)
                e_dense = fmax(e_dense, fabs(yd[i] - ye[i]));
        }
        /* the dense output reproduces the step ends */
        gdn__dopri5_eval(&w, 0, t + h, yd);
        CHECK_CLOSE(yd[0], y1[0], 1e-14 * (1 + fabs(y1[0])));
        gdn__dopri5_eval(&w, 0, t, yd);
        CHECK_CLOSE(yd[1], y0[1], 1e-14 * (1 + fabs(y0[1])));
        t = s == N - 1 ? T : t + h;
        exact(t, ye);
        for (int i = 0; i < 2; i++)
            e_end = fmax(e_end, fabs(y1[i] - ye[i]));
        y0[0] = y1[0], y0[1] = y1[1];
        w.k[0][0] = w.k[6][0], w.k[0][1] = w.k[6][1]; /* FSAL */
        /* k[6] really is f(y1) */
        double fy[2];
        ode.f(NULL, y1, fy, st);
        CHECK_CLOSE(w.k[0][0], fy[0], 0.0);
    }
    *end_err = e_end;
    *dense_err = e_dense;
}

static void test_dopri5_order(void **state)
{
    (void)state;
    static const double Ts[] = {4.0, 10.0};
    for (int p = 0; p < 2; p++) {
        double e[4], ed[4], est[4];
        int N0 = p ? 40 : 20;
        for (int r = 0; r < 4; r++)
            dopri5_fixed(p, Ts[p], N0 << r, &e[r], &ed[r], &est[r]);
        snprintf(where, sizeof where, "dopri5 %s",
                 p ? "u' = cos(t) u" : "oscillator");
        for (int r = 0; r + 1 < 4; r++) {
            double q = log2(e[r] / e[r + 1]);
            double qd = log2(ed[r] / ed[r + 1]);
            double qe = log2(est[r] / est[r + 1]);
            print_message("%-26s N=%3d: global %.3e (order %.3f), dense "
                          "%.3e (order %.3f), estimate order %.3f\n",
                          where, N0 << (r + 1), e[r + 1], q, ed[r + 1], qd, qe);
            CHECK_RANGE(q, 4.7, 5.3);
            CHECK_RANGE(qd, 4.0, 6.0);
            /* the embedded estimate is a local error of order 5 */
            CHECK_RANGE(qe, 4.5, 5.5);
        }
        assert_true(e[3] > 1e-12); /* still well above rounding */
    }
}

/* Fixed-step RK4 / Euler through the run API on the linear wgan-gp. */
static double fixed_run_error(int method, double h, double lam)
{
    gdn_system sys;
    make_sys(&sys, "wgan-gp", 2, lam, 0.0);
    gdn_run_opts o;
    flow_opts(&o, 5.0, 0.5);
    PAR(o, "method") = method;
    PAR(o, "h") = h;
    gdn_traj tr;
    gdn_run_info info;
    assert_int_equal(collect(&sys, &o, SEED2, &tr, &info), GDN_DONE);
    assert_int_equal(tr.count, 11);
    /* equal substeps of at most h per output interval */
    assert_int_equal(info.accepted, 10 * (unsigned long)ceil(0.5 / h - 1e-9));
    double worst = 0, x[4];
    for (size_t k = 0; k < tr.count; k++) {
        lin_exact(lam, tr.t[k], 2, SEED2, x);
        for (int i = 0; i < 4; i++)
            worst = fmax(worst, fabs(tr.x[k * 4 + (size_t)i] - x[i]));
    }
    gdn_traj_release(&tr);
    return worst;
}

static void test_rk4_euler_order(void **state)
{
    (void)state;
    static const double lams[] = {0.1, 1.3};
    for (int l = 0; l < 2; l++) {
        double er[4], ee[4];
        for (int r = 0; r < 4; r++) {
            double h = 0.05 / (double)(1 << r);
            er[r] = fixed_run_error(GDN_FLOW_RK4, h, lams[l]);
            ee[r] = fixed_run_error(GDN_FLOW_EULER, h, lams[l]);
        }
        for (int r = 0; r + 1 < 4; r++) {
            double qr = log2(er[r] / er[r + 1]), qe = log2(ee[r] / ee[r + 1]);
            snprintf(where, sizeof where, "wgan-gp lambda=%g h=%g", lams[l],
                     0.05 / (double)(2 << r));
            print_message("%-28s rk4 %.3e (order %.3f), euler %.3e "
                          "(order %.3f)\n",
                          where, er[r + 1], qr, ee[r + 1], qe);
            CHECK_RANGE(qr, 3.8, 4.2);
            CHECK_RANGE(qe, 0.9, 1.1);
        }
    }
}

/* -------------------------------------------- Euler flow is simgd */

static void test_euler_flow_is_simgd(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    gdn_run_opts of, od;
    flow_opts(&of, 50.0, 0.1);
    PAR(of, "method") = GDN_FLOW_EULER;
    PAR(of, "h") = 0.1;
    gdn_run_opts_init(&od, gdn_opt_find("simgd"));
    PAR(od, "lr") = 0.1;
    od.steps = 500;
    gdn_traj tf, td;
    gdn_run_info inf;
    assert_int_equal(collect(&sys, &of, SEED2, &tf, &inf), GDN_DONE);
    assert_int_equal(collect(&sys, &od, SEED2, &td, NULL), GDN_DONE);
    assert_int_equal(tf.count, 501);
    assert_int_equal(td.count, 501);
    assert_int_equal(inf.accepted, 500); /* one Euler step per sample */
    size_t first = tf.count, ndiff = 0;
    double worst = 0;
    for (size_t k = 0; k < tf.count; k++)
        if (memcmp(tf.x + 4 * k, td.x + 4 * k, 4 * sizeof(double)) != 0) {
            if (first == tf.count)
                first = k;
            ndiff++;
            for (int i = 0; i < 4; i++)
                worst = fmax(worst, fabs(tf.x[4 * k + (size_t)i] -
                                         td.x[4 * k + (size_t)i]));
        }
    if (ndiff)
        print_error("euler flow != simgd: %zu of %zu samples differ, first "
                    "at k = %zu, max |diff| %.3g\n",
                    ndiff, tf.count, first, worst);
    assert_int_equal(ndiff, 0);
    /* and they are the same as our own simgd recursion */
    double x[4] = {SEED2[0], SEED2[1], SEED2[2], SEED2[3]};
    for (int k = 0; k < 500; k++) {
        double t = x[0] * x[2] + x[1] * x[3];
        double s = 1.0 / (1.0 + exp(-t)), sm = 1.0 / (1.0 + exp(t));
        double y[4] = {x[0] - 0.1 * (s * x[2]), x[1] - 0.1 * (s * x[3]),
                       x[2] + 0.1 * (sm * x[0]), x[3] + 0.1 * (sm * x[1])};
        memcpy(x, y, sizeof x);
    }
    strcpy(where, "simgd vs hand recursion, step 500");
    for (int i = 0; i < 4; i++)
        CHECK_CLOSE(td.x[4 * 500 + i], x[i], 1e-13);
    gdn_traj_release(&tf);
    gdn_traj_release(&td);
}

/* ---------------------------------------------------- sample times */

static void check_times(double t_end, double dt, int method, size_t want)
{
    gdn_system sys;
    make_sys(&sys, "wgan-gp", 2, 0.7, 0.0);
    gdn_run_opts o;
    flow_opts(&o, t_end, dt);
    PAR(o, "method") = method;
    PAR(o, "h") = 0.001;
    gdn_traj tr;
    assert_int_equal(collect(&sys, &o, SEED2, &tr, NULL), GDN_DONE);
    snprintf(where, sizeof where, "t_end=%g dt=%g method=%d", t_end, dt,
             method);
    if (tr.count != want)
        print_error("[%s] %zu samples, expected %zu\n", where, tr.count, want);
    assert_int_equal(tr.count, want);
    for (size_t k = 0; k + 1 < tr.count; k++)
        CHECK_CLOSE(tr.t[k], (double)k * dt, 0.0);
    CHECK_CLOSE(tr.t[tr.count - 1], t_end, 0.0);
    /* the samples are the states at those times, not merely labelled so */
    double x[4];
    double tol = method == GDN_FLOW_DOPRI5 ? 1e-9 : 1e-10;
    for (size_t k = 0; k < tr.count; k++) {
        lin_exact(0.7, tr.t[k], 2, SEED2, x);
        for (int i = 0; i < 4; i++)
            CHECK_CLOSE(tr.x[4 * k + (size_t)i], x[i], tol);
    }
    gdn_traj_release(&tr);
}

static void test_sample_times(void **state)
{
    (void)state;
    for (int method = 0; method < 2; method++) {
        check_times(1.05, 0.1, method, 12); /* 0, 0.1, .., 1.0, 1.05 */
        check_times(0.3, 0.1, method, 4);   /* 3 dt != 0.3 in binary */
        check_times(1.0, 0.1, method, 11);
        check_times(50.0, 0.1, method, 501);
        check_times(0.05, 0.1, method, 2); /* t_end < dt: 0, t_end */
        check_times(2.0, 0.3, method, 8);  /* 0, .3, .., 1.8, 2 */
    }
    /* discrete: multiples of 'every' and the last step */
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    static const long steps[] = {10, 9, 0, 1, 7};
    static const long every[] = {3, 3, 5, 4, 1};
    static const double want[][9] = {{0, 3, 6, 9, 10},
                                     {0, 3, 6, 9},
                                     {0},
                                     {0, 1},
                                     {0, 1, 2, 3, 4, 5, 6, 7}};
    static const size_t nwant[] = {5, 4, 1, 2, 8};
    for (int c = 0; c < 5; c++) {
        gdn_run_opts o;
        gdn_run_opts_init(&o, gdn_opt_find("simgd"));
        o.steps = steps[c];
        o.every = every[c];
        gdn_traj tr;
        assert_int_equal(collect(&sys, &o, SEED2, &tr, NULL), GDN_DONE);
        snprintf(where, sizeof where, "simgd steps=%ld every=%ld", steps[c],
                 every[c]);
        assert_int_equal(tr.count, nwant[c]);
        for (size_t k = 0; k < tr.count; k++)
            CHECK_CLOSE(tr.t[k], want[c][k], 0.0);
        gdn_traj_release(&tr);
    }
}

/* ------------------------------------------------------------- averages */

static void test_discrete_ema_and_uniform(void **state)
{
    (void)state;
    static const double betas[] = {0.9, 0.99, 0.37};
    for (int d = 0; d < 2; d++)
        for (int debias = 0; debias < 2; debias++) {
            size_t n = d ? 5 : 2, m = 2 * n;
            const double *x0 = d ? X5 : SEED2;
            gdn_system sys;
            make_sys(&sys, "nsgan", n, NAN, NAN);
            gdn_run_opts o;
            gdn_run_opts_init(&o, gdn_opt_find("altgd"));
            PAR(o, "lr") = 0.3;
            o.steps = 300;
            o.nema = 3;
            for (int j = 0; j < 3; j++)
                o.ema[j].beta = betas[j];
            o.ema_debias = debias;
            o.uniform = 1;
            gdn_traj tr;
            assert_int_equal(collect(&sys, &o, x0, &tr, NULL), GDN_DONE);
            assert_int_equal(tr.count, 301);
            assert_int_equal(tr.ngroups, 4);
            snprintf(where, sizeof where, "discrete averages n=%zu debias=%d",
                     n, debias);
            /* the hand recursion on the recorded states */
            double e[3][MMAX], bk[3] = {1, 1, 1}, sum[MMAX];
            for (size_t i = 0; i < m; i++) {
                for (int j = 0; j < 3; j++)
                    e[j][i] = debias ? 0.0 : x0[i];
                sum[i] = x0[i];
            }
            size_t mismatches = 0;
            for (size_t k = 0; k < tr.count; k++) {
                const double *x = tr.x + k * m;
                if (k > 0) {
                    for (int j = 0; j < 3; j++) {
                        for (size_t i = 0; i < m; i++)
                            e[j][i] = betas[j] * e[j][i] +
                                      (1.0 - betas[j]) * x[i];
                        bk[j] *= betas[j];
                        /* beta^k: the running product agrees to its k
                         * roundings (gdn__pow_pos itself: test_gmath) */
                        double pk = gdn__pow_pos(betas[j], (double)k);
                        assert_true(fabs(pk - bk[j]) <= (double)k * 0x1p-53 * pk);
                    }
                    for (size_t i = 0; i < m; i++)
                        sum[i] += x[i];
                }
                for (int j = 0; j < 4; j++) {
                    const double *avg = tr.avg + (k * 4 + (size_t)j) * m;
                    for (size_t i = 0; i < m; i++) {
                        double want;
                        if (j == 3)
                            want = sum[i] / (double)(k + 1);
                        else if (!debias)
                            want = e[j][i];
                        else
                            want = k == 0 ? x0[i]
                                          : e[j][i] / (1.0 - gdn__pow_pos(betas[j], (double)k));
                        if (avg[i] != want) {
                            if (!mismatches)
                                print_error("[%s] k=%zu group %d i=%zu: %.17g "
                                            "!= %.17g\n",
                                            where, k, j, i, avg[i], want);
                            mismatches++;
                        }
                    }
                }
            }
            assert_int_equal(mismatches, 0);
            /* debiased EMA at step 1 is x1 itself, whatever beta */
            if (debias)
                for (size_t i = 0; i < m; i++)
                    CHECK_CLOSE(tr.avg[(1 * 4 + 1) * m + i], tr.x[m + i],
                                1e-15 * fabs(tr.x[m + i]));
            /* a subsampled run (every 7) reports the same averages */
            gdn_traj t7;
            o.every = 7;
            assert_int_equal(collect(&sys, &o, x0, &t7, NULL), GDN_DONE);
            assert_int_equal(t7.count, 44);
            for (size_t k = 0; k < t7.count; k++) {
                size_t step = (size_t)t7.t[k];
                assert_true(step == (k < 43 ? 7 * k : 300));
                assert_memory_equal(t7.avg + k * 4 * m, tr.avg + step * 4 * m,
                                    4 * m * sizeof(double));
                assert_memory_equal(t7.x + k * m, tr.x + step * m,
                                    m * sizeof(double));
            }
            gdn_traj_release(&t7);
            gdn_traj_release(&tr);
        }
}

/* Flow EMA (tau) and uniform average along the linear wgan-gp solution. */
static void test_flow_ema_closed_form(void **state)
{
    (void)state;
    static const double lams[] = {0.1, 1.3};
    for (int l = 0; l < 2; l++)
        for (int debias = 0; debias < 2; debias++) {
            double lam = lams[l];
            size_t n = 5, m = 10;
            gdn_system sys;
            make_sys(&sys, "wgan-gp", n, lam, 0.0);
            gdn_run_opts o;
            flow_opts(&o, 30.0, 0.1);
            o.nema = 3;
            o.ema[0].tau = 0.7;
            o.ema[1].tau = 4.3;
            o.ema[2].beta = 0.9; /* tau = dt/(1 - beta) = 1 */
            o.ema_debias = debias;
            o.uniform = 1;
            gdn_traj tr;
            assert_int_equal(collect(&sys, &o, X5, &tr, NULL), GDN_DONE);
            assert_int_equal(tr.ngroups, 4);
            double taus[3] = {0.7, 4.3, 0.1 / (1.0 - 0.9)};
            double zero[MMAX] = {0}, want[MMAX], wrong[MMAX], worst = 0,
                   sep = 0;
            snprintf(where, sizeof where, "flow EMA lambda=%g debias=%d", lam,
                     debias);
            for (size_t k = 1; k < tr.count; k++) {
                double t = tr.t[k];
                for (int j = 0; j < 4; j++) {
                    const double *avg = tr.avg + (k * 4 + (size_t)j) * m;
                    if (j == 3) {
                        lin_uniform(lam, t, n, X5, want);
                    } else {
                        lin_ema(lam, taus[j], t, n, X5, debias ? zero : X5,
                                want);
                        if (debias) {
                            double c = 1 - exp(-t / taus[j]);
                            for (size_t i = 0; i < m; i++)
                                want[i] /= c;
                        }
                    }
                    for (size_t i = 0; i < m; i++) {
                        CHECK_CLOSE(avg[i], want[i], 1e-8);
                        worst = fmax(worst, fabs(avg[i] - want[i]));
                    }
                    if (j == 2 && !debias) { /* tau = 1/(1 - beta) is wrong */
                        lin_ema(lam, 1.0 / (1.0 - 0.9), t, n, X5, X5, wrong);
                        for (size_t i = 0; i < m; i++)
                            sep = fmax(sep, fabs(avg[i] - wrong[i]));
                    }
                }
            }
            if (!debias)
                assert_true(sep > 1e-3);
            /* at t = 0 every average is x0 */
            assert_memory_equal(tr.avg, X5, m * sizeof(double));
            print_message("%-30s max |avg - closed form| %.2e\n", where,
                          worst);
            gdn_traj_release(&tr);
        }
}

/* --------------------------------------------------------------- outcomes */

static void test_simgd_diverges(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("simgd"));
    PAR(o, "lr") = 50.0;
    o.blowup = 1e6;
    gdn_traj tr;
    gdn_run_info info;
    int rc = collect(&sys, &o, SEED2, &tr, &info);
    strcpy(where, "simgd lr=50 blowup=1e6");
    assert_int_equal(rc, GDN_EDIVERGED);
    assert_int_equal(info.status, GDN_EDIVERGED);
    print_message("why: %s (step %ld, %zu samples)\n", info.why, info.step,
                  tr.count);
    const char *p = strstr(info.why, "step");
    assert_non_null(p);
    long at = strtol(p + 4, NULL, 10);
    assert_int_equal(at, info.step);
    assert_true(info.step >= 1 && info.step < 1000);
    /* samples 0 .. step-1, the last finite and within the bound */
    assert_int_equal(tr.count, (size_t)info.step);
    const double *last = tr.x + (tr.count - 1) * 4;
    CHECK_CLOSE(tr.t[tr.count - 1], (double)(info.step - 1), 0.0);
    for (int i = 0; i < 4; i++)
        assert_true(isfinite(last[i]) && fabs(last[i]) <= 1e6);
    /* one more simgd step from there (by hand) leaves the range */
    double t = last[0] * last[2] + last[1] * last[3];
    double s = 1.0 / (1.0 + exp(-t)), sm = 1.0 / (1.0 + exp(t));
    double y[4] = {last[0] - 50 * s * last[2], last[1] - 50 * s * last[3],
                   last[2] + 50 * sm * last[0], last[3] + 50 * sm * last[1]};
    double ymax = 0;
    for (int i = 0; i < 4; i++)
        ymax = fmax(ymax, fabs(y[i]));
    assert_true(!(ymax <= 1e6));
    gdn_traj_release(&tr);
}

static void test_undefined_start(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "wgan", 2, NAN, NAN);
    double x0[4] = {0.0, 0.0, 0.2, 0.1};
    static const char *opts[] = {"flow", "simgd", "altgd"};
    for (int k = 0; k < 3; k++) {
        gdn_run_opts o;
        gdn_error err;
        gdn_run_opts_init(&o, gdn_opt_find(opts[k]));
        gdn_error_clear(&err);
        gdn_run *run = gdn_run_new(&sys, &o, x0, &err);
        assert_null(run);
        assert_int_equal(err.code, GDN_EINVAL);
        assert_true(strlen(err.msg) > 0);
        /* one step away from phi = 0 it is fine */
        double x1[4] = {1e-3, 0.0, 0.2, 0.1};
        run = gdn_run_new(&sys, &o, x1, &err);
        assert_non_null(run);
        gdn_run_free(run);
    }
}

/* gdn_run_opts_check must reject o, with a message naming 'key'. */
static void expect_einval(const gdn_run_opts *o, const char *key)
{
    gdn_error err;
    gdn_error_clear(&err);
    int rc = gdn_run_opts_check(o, &err);
    if (rc != GDN_EINVAL)
        print_error("[%s] gdn_run_opts_check returned %d (%s), expected "
                    "GDN_EINVAL\n",
                    where, rc, gdn_err_name(rc));
    assert_int_equal(rc, GDN_EINVAL);
    assert_int_equal(err.code, GDN_EINVAL);
    if (key && !strstr(err.msg, key)) {
        print_error("[%s] message '%s' does not name '%s'\n", where, err.msg,
                    key);
        fail();
    }
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    assert_null(gdn_run_new(&sys, o, SEED2, &err));
    assert_int_equal(err.code, GDN_EINVAL);
}

static void test_bad_options(void **state)
{
    (void)state;
    gdn_run_opts o;
    gdn_error err;
    const gdn_opt_type *flow = gdn_opt_find("flow"),
                       *sim = gdn_opt_find("simgd");
    assert_non_null(flow);
    assert_non_null(sim);
    /* the defaults are valid */
    gdn_run_opts_init(&o, flow);
    assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);
    assert_true(PAR(o, "rtol") == GDN_FLOW_RTOL_DEFAULT);
    assert_true(PAR(o, "atol") == GDN_FLOW_ATOL_DEFAULT);
    gdn_run_opts_init(&o, sim);
    assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);

    strcpy(where, "dt <= 0");
    static const double dts[] = {0.0, -0.1};
    for (int k = 0; k < 2; k++) {
        gdn_run_opts_init(&o, flow);
        o.dt = dts[k];
        expect_einval(&o, "dt");
    }
    strcpy(where, "t_end <= 0");
    gdn_run_opts_init(&o, flow);
    o.t_end = 0.0;
    expect_einval(&o, NULL);
    strcpy(where, "every = 0");
    gdn_run_opts_init(&o, sim);
    o.every = 0;
    expect_einval(&o, "every");
    strcpy(where, "steps < 0");
    gdn_run_opts_init(&o, sim);
    o.steps = -1;
    expect_einval(&o, "steps");
    strcpy(where, "ema beta = 1");
    gdn_run_opts_init(&o, sim);
    o.nema = 1;
    o.ema[0].beta = 1.0;
    expect_einval(&o, NULL);
    gdn_run_opts_init(&o, flow);
    o.nema = 1;
    o.ema[0].beta = 1.0;
    expect_einval(&o, NULL);
    strcpy(where, "ema tau on a discrete method");
    gdn_run_opts_init(&o, sim);
    o.nema = 1;
    o.ema[0].tau = 2.0;
    expect_einval(&o, "tau");
    strcpy(where, "blowup <= 0");
    gdn_run_opts_init(&o, sim);
    o.blowup = 0;
    expect_einval(&o, "blowup");
    strcpy(where, "lr_d NaN-inherited from NaN lr");
    gdn_run_opts_init(&o, sim);
    PAR(o, "lr") = NAN;
    expect_einval(&o, NULL);
}

/* rtol <= 0 through opts.par: the flow's parameter table says rtol is in
 * (0, 1); the check must enforce it (and the other declared ranges). */
static void test_bad_parameter_values(void **state)
{
    (void)state;
    gdn_run_opts o;
    const gdn_opt_type *flow = gdn_opt_find("flow"),
                       *sim = gdn_opt_find("simgd"),
                       *alt = gdn_opt_find("altgd");
    static const double rtols[] = {0.0, -1e-8, 1.0};
    for (int k = 0; k < 3; k++) {
        snprintf(where, sizeof where, "flow rtol=%g", rtols[k]);
        gdn_run_opts_init(&o, flow);
        PAR(o, "rtol") = rtols[k];
        expect_einval(&o, "rtol");
    }
    strcpy(where, "flow atol=0");
    gdn_run_opts_init(&o, flow);
    PAR(o, "atol") = 0.0;
    expect_einval(&o, "atol");
    strcpy(where, "flow h=0 (rk4)");
    gdn_run_opts_init(&o, flow);
    PAR(o, "method") = GDN_FLOW_RK4;
    PAR(o, "h") = 0.0;
    expect_einval(&o, "h");
    strcpy(where, "flow method=3");
    gdn_run_opts_init(&o, flow);
    PAR(o, "method") = 3;
    expect_einval(&o, "method");
    strcpy(where, "simgd lr=0");
    gdn_run_opts_init(&o, sim);
    PAR(o, "lr") = 0.0;
    expect_einval(&o, "lr");
    strcpy(where, "simgd lr_g=-0.1");
    gdn_run_opts_init(&o, sim);
    PAR(o, "lr_g") = -0.1;
    expect_einval(&o, "lr_g");
    strcpy(where, "altgd ndis=0");
    gdn_run_opts_init(&o, alt);
    PAR(o, "ndis") = 0;
    expect_einval(&o, "ndis");
    strcpy(where, "altgd ndis=1.5");
    gdn_run_opts_init(&o, alt);
    PAR(o, "ndis") = 1.5;
    expect_einval(&o, "ndis");
}


/* ------------------------------------------------- bounded, defined work */

/* Runs to the end, returns the status; info and diagnosis filled. */
static int run_diag(const gdn_system *sys, const gdn_run_opts *o,
                    const double *x0, gdn_run_info *info, gdn_diagnosis *d,
                    gdn_traj *tr)
{
    int rc = collect(sys, o, x0, tr, info);
    gdn_diag_opts dopts;
    gdn_diag_opts_init(&dopts);
    gdn_diagnose(tr, info, &dopts, d);
    /* rule 1 of run.c: every sample finite, averages included */
    size_t m = 2 * sys->n;
    for (size_t k = 0; k < tr->count * m; k++)
        assert_true(isfinite(tr->x[k]));
    for (size_t k = 0; k < tr->count * tr->ngroups * m; k++)
        assert_true(isfinite(tr->avg[k]));
    return rc;
}

/* rk4/euler: the steps of a run are counted before it starts (in double:
 * h = 1e-300 once cast 1e302 to long) and checked against max_steps. */
static void test_fixed_step_budget(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    static const int methods[] = {GDN_FLOW_RK4, GDN_FLOW_EULER};
    for (int k = 0; k < 2; k++) {
        gdn_run_opts o;
        /* T = 100, dt = 0.1: 1000 intervals of ceil(0.1 / h) steps */
        static const double tiny[] = {1e-300, 1e-12, 4.9e-324};
        for (int j = 0; j < 3; j++) {
            snprintf(where, sizeof where, "method %d h=%g", methods[k],
                     tiny[j]);
            flow_opts(&o, 100, 0.1);
            PAR(o, "method") = methods[k];
            PAR(o, "h") = tiny[j];
            expect_einval(&o, "max_steps");
            PAR(o, "max_steps") = 1e15; /* the most there is */
            if (j == 1) /* 1e14 steps: within that budget */
                assert_int_equal(gdn_run_opts_check(&o, NULL), GDN_OK);
            else
                expect_einval(&o, "h=");
        }
        /* T = 1.05, dt = 0.1, h = 0.03: 10 intervals of ceil(0.1/0.03) = 4
         * steps, then 0.05 in ceil(0.05/0.03) = 2: 42 steps exactly */
        snprintf(where, sizeof where, "method %d: 42 steps", methods[k]);
        flow_opts(&o, 1.05, 0.1);
        PAR(o, "method") = methods[k];
        PAR(o, "h") = 0.03;
        PAR(o, "max_steps") = 41;
        expect_einval(&o, "42 steps");
        PAR(o, "max_steps") = 42;
        gdn_traj tr;
        gdn_run_info info;
        assert_int_equal(collect(&sys, &o, SEED2, &tr, &info), GDN_DONE);
        assert_int_equal(info.accepted, 42);
        assert_int_equal(tr.count, 12); /* t = 0, 0.1, .., 1, 1.05 */
        gdn_traj_release(&tr);
        /* the default run: 100 / 0.01 = 1e4 steps, well inside 1e8 */
        flow_opts(&o, 100, 0.1);
        PAR(o, "method") = methods[k];
        assert_int_equal(gdn_run_opts_check(&o, NULL), GDN_OK);
        PAR(o, "max_steps") = 9999;
        expect_einval(&o, "1e+04 steps");
        PAR(o, "max_steps") = 10000;
        assert_int_equal(gdn_run_opts_check(&o, NULL), GDN_OK);
    }
}

/* |R(-z)| of RK4 and Euler on y' = -y / tau, z = h / tau. */
static double amp_rk4(double z)
{
    return fabs(1 - z + z * z / 2 - z * z * z / 6 + z * z * z * z / 24);
}

/* An EMA of time constant tau is e' = (x - e) / tau: stiff for small tau.
 * Refused when the integrator cannot follow it. */
static void test_ema_too_fast_refused(void **state)
{
    (void)state;
    gdn_run_opts o;
    /* dopri5: tau = 1e-20 and 1e-300 need steps below 1e-14 (its smallest);
     * tau = 1e-8 needs > 100 / 3.307e-8 = 3.0e9 steps (budget 1e8) */
    static const double taus[] = {1e-20, 1e-300, 1e-8, 4.9e-324};
    for (int j = 0; j < 4; j++) {
        snprintf(where, sizeof where, "dopri5 ema tau=%g", taus[j]);
        flow_opts(&o, 100, 0.1);
        o.nema = 1;
        o.ema[0].tau = taus[j];
        expect_einval(&o, "ema tau=");
    }
    strcpy(where, "dopri5 ema tau=1e-8, max_steps=1e10");
    flow_opts(&o, 100, 0.1);
    o.nema = 1;
    o.ema[0].tau = 1e-8;
    PAR(o, "max_steps") = 1e10;
    assert_int_equal(gdn_run_opts_check(&o, NULL), GDN_OK);
    /* rk4 and euler with h = 0.01: stable while h / tau <= 2.7853 / 2,
     * the real stability limits (|R(-z)| = 1, checked here) */
    assert_true(amp_rk4(2.7852) < 1 && amp_rk4(2.7854) > 1);
    static const struct { int method; double zlo, zhi; } lim[] = {
        {GDN_FLOW_RK4, 2.7852, 2.7854}, {GDN_FLOW_EULER, 1.9999, 2.0001}};
    for (int k = 0; k < 2; k++) {
        flow_opts(&o, 1, 0.1);
        PAR(o, "method") = lim[k].method;
        PAR(o, "h") = 0.01;
        o.nema = 1;
        snprintf(where, sizeof where, "method %d unstable EMA", lim[k].method);
        o.ema[0].tau = 0.01 / lim[k].zhi;
        expect_einval(&o, "unstable");
        o.ema[0].tau = 0.01 / lim[k].zlo;
        assert_int_equal(gdn_run_opts_check(&o, NULL), GDN_OK);
        /* an EMA by its decay has tau = dt / (1 - beta) >= dt >= h */
        o.ema[0].tau = 0, o.ema[0].beta = 0;
        assert_int_equal(gdn_run_opts_check(&o, NULL), GDN_OK);
    }
}

/* dopri5's steps cannot stay above its stability limit 3.307 tau on an EMA:
 * the refusal's bound t_end / (3.307 tau) is a lower bound of the work, and
 * a budget between it and the real need ends "step budget exhausted", not
 * "diverged".  The averages stay finite throughout. */
static void test_ema_stiff_budget(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    gdn_run_opts o;
    flow_opts(&o, 1, 0.1);
    o.nema = 1;
    o.ema[0].tau = 1e-4;
    gdn_traj tr;
    gdn_run_info info;
    gdn_diagnosis d;
    strcpy(where, "dopri5 tau=1e-4 T=1");
    assert_int_equal(run_diag(&sys, &o, SEED2, &info, &d, &tr), GDN_DONE);
    double bound = 1 / (3.307 * 1e-4);
    print_message("steps %lu + %lu rejected, bound %.1f\n", info.accepted,
                  info.rejected, bound);
    CHECK_RANGE((double)(info.accepted + info.rejected), bound, 2 * bound);
    gdn_traj_release(&tr);
    /* refused just below the bound, run out of steps just above it */
    PAR(o, "max_steps") = floor(bound) - 1;
    expect_einval(&o, "max_steps");
    PAR(o, "max_steps") = ceil(bound);
    assert_int_equal(run_diag(&sys, &o, SEED2, &info, &d, &tr), GDN_EBUDGET);
    assert_int_equal(info.status, GDN_EBUDGET);
    assert_int_equal(info.accepted + info.rejected, (unsigned long)ceil(bound));
    assert_non_null(strstr(info.why, "step budget exhausted at t = "));
    assert_int_equal(d.label, GDN_DIAG_UNDECIDED);
    assert_non_null(strstr(d.text, "step budget exhausted"));
    CHECK_RANGE(d.stop_t, 0.1, 1.0); /* it got some way */
    gdn_traj_release(&tr);
    /* the same budget outcome without an EMA: a tiny max_steps */
    flow_opts(&o, 100, 0.1);
    PAR(o, "max_steps") = 5;
    assert_int_equal(run_diag(&sys, &o, SEED2, &info, &d, &tr), GDN_EBUDGET);
    assert_int_equal(info.accepted + info.rejected, 5);
    assert_int_equal(d.label, GDN_DIAG_UNDECIDED);
    gdn_traj_release(&tr);
    /* a stiff EMA that is accepted (tau = 1e-9 to T = 1e-3: 3e5 steps)
     * runs with finite averages (run_diag checks) and agrees with the
     * closed form of an EMA of a nearly constant path: e ~ x */
    flow_opts(&o, 1e-3, 1e-4);
    o.nema = 1;
    o.ema[0].tau = 1e-9;
    assert_int_equal(run_diag(&sys, &o, SEED2, &info, &d, &tr), GDN_DONE);
    for (size_t i = 0; i < 4; i++)
        CHECK_CLOSE(tr.avg[(tr.count - 1) * 4 + i], tr.x[(tr.count - 1) * 4 + i],
                    1e-8);
    gdn_traj_release(&tr);
}

/* f for the NaN block test: the second block of y' is NaN. */
static int nan_block_rhs(void *ctx, const double *y, double *dy, int *st)
{
    (void)ctx;
    st[0] = 0;
    dy[0] = -y[1], dy[1] = y[0];
    dy[2] = dy[3] = NAN;
    return 0;
}

/* A NaN in one block of the error norm rejects the step (fmax dropped it:
 * the source of --ema tau=1e-300's -nan rows). */
static void test_dopri5_nan_block_rejects(void **state)
{
    (void)state;
    double mem[14 * 4], y0[4] = {1, 0, 0, 0}, y1[4], err, h = 0.01;
    int ist[1], st[1];
    gdn__dopri5 w;
    gdn__ode ode = {4, 1, nan_block_rhs, NULL};
    gdn__dopri5_bind(&w, 4, 1, mem, ist);
    w.group = 2;
    nan_block_rhs(NULL, y0, w.k[0], st);
    gdn__dopri5_try(&w, &ode, &h, y0, y1, 1e-10, 1e-12, &err, st);
    assert_true(isinf(err) && err > 0);
}

/* Outcomes that are not divergence: a first step out of range (overflow),
 * a step size underflow; and divergence itself stays divergence. */
static void test_outcomes_not_divergence(void **state)
{
    (void)state;
    gdn_system sys;
    gdn_run_opts o;
    gdn_traj tr;
    gdn_run_info info;
    gdn_diagnosis d;
    /* wgan-gp lambda = 1e300: |xi(x0)| = 2 lambda (1 - |phi|) ~ 1.55e300 */
    make_sys(&sys, "wgan-gp", 2, 1e300, NAN);
    static const char *opt[] = {"simgd", "altgd", "flow"};
    for (int k = 0; k < 4; k++) {
        snprintf(where, sizeof where, "wgan-gp lambda=1e300, %s%s",
                 opt[k < 3 ? k : 2], k == 3 ? " rk4" : "");
        gdn_run_opts_init(&o, gdn_opt_find(opt[k < 3 ? k : 2]));
        if (k == 3)
            PAR(o, "method") = GDN_FLOW_RK4;
        int rc = run_diag(&sys, &o, SEED2, &info, &d, &tr);
        print_message("%s: %s\n", where, info.why);
        assert_int_equal(d.label, GDN_DIAG_UNDECIDED);
        if (k == 2) { /* dopri5 shrinks its step to nothing at t = 0 */
            assert_int_equal(rc, GDN_ESTEP);
            assert_non_null(strstr(info.why, "step size underflow at t = 0 "));
        } else {
            assert_int_equal(rc, GDN_EOVERFLOW);
            assert_non_null(strstr(info.why, "overflow: the first step"));
            double xi = 2 * 1e300 * (1 - sqrt(0.05)) /* |phi| = sqrt(0.05) */;
            char want[64];
            snprintf(want, sizeof want, "|xi(x0)| = %.4g", xi);
            assert_non_null(strstr(info.why, want));
        }
        assert_int_equal(tr.count, 1); /* the start, nothing else */
        assert_memory_equal(tr.x, SEED2, sizeof SEED2);
        gdn_traj_release(&tr);
    }
    /* a real divergence: simgd lr = 50 leaves |x_i| <= 1e6 after steps */
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    gdn_run_opts_init(&o, gdn_opt_find("simgd"));
    PAR(o, "lr") = 50.0;
    o.blowup = 1e6;
    assert_int_equal(run_diag(&sys, &o, SEED2, &info, &d, &tr), GDN_EDIVERGED);
    assert_true(info.step > 1);
    assert_int_equal(d.label, GDN_DIAG_DIVERGES);
    gdn_traj_release(&tr);
}

/* A start beyond the divergence range is refused; the bound itself is in. */
static void test_start_beyond_range(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "nsgan", 2, NAN, NAN);
    static const char *opt[] = {"flow", "simgd"};
    for (int k = 0; k < 2; k++) {
        gdn_run_opts o;
        gdn_error err;
        gdn_run_opts_init(&o, gdn_opt_find(opt[k]));
        double x0[4] = {0.1, 0.2, -1.0000000000000001e101, 0.1};
        gdn_run *run = gdn_run_new(&sys, &o, x0, &err);
        assert_null(run);
        assert_int_equal(err.code, GDN_EINVAL);
        assert_non_null(strstr(err.msg, "initial value 3"));
        x0[2] = -1e100;
        run = gdn_run_new(&sys, &o, x0, &err);
        assert_non_null(run);
        gdn_run_free(run);
    }
}

/* Gamma = sum_{i<j} (p_i q_j - p_j q_i)^2 in long double (x86-64: 64-bit
 * mantissa, exponents to 1e4932): an independent reference at any scale. */
static long double gram_ld(size_t n, const double *x)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            long double w = (long double)x[i] * x[n + j] -
                            (long double)x[j] * x[n + i];
            s += w * w;
        }
    return s;
}

static long double norm_ld(size_t m, const double *x)
{
    long double s = 0;
    for (size_t i = 0; i < m; i++)
        s += (long double)x[i] * x[i];
    return sqrtl(s);
}

#define CHECK_REL(got, want, tol)                                            \
    CHECK_CLOSE((got) / (double)(want), 1.0, tol)

/* The invariants at huge and tiny scales: exact under powers of two (both
 * Gamma formulas: n <= 32 and n > 32), within 1e-15 of long double at
 * decimal scales, never NaN. */
static void test_invariants_scaled(void **state)
{
    (void)state;
    enum { N = 40 };
    static double x[2 * N], y[2 * N];
    static const size_t dims[] = {2, 5, N};
    for (int nd = 0; nd < 3; nd++) {
        size_t n = dims[nd];
        for (size_t i = 0; i < n; i++) { /* a start with Gamma > 0 */
            x[i] = n == 2 ? SEED2[i] : 0.3 * sin(1.0 + (double)i);
            x[n + i] = n == 2 ? SEED2[2 + i] : 0.2 * cos(2.5 * (double)i);
        }
        gdn_invariants v0, v;
        gdn_invariants_of(n, x, &v0);
        CHECK_REL(v0.gram, gram_ld(n, x), 1e-13);
        /* player scales 2^kp, 2^kt: t ~ 2^(kp+kt), a ~ 2^(2kp), Gamma ~
         * 2^(2kp+2kt), all representable here */
        static const int ks[][2] = {{600, -590}, {-700, 690}, {250, 0},
                                    {0, -250}, {240, 240}, {-240, -240},
                                    {500, -10}};
        for (int s = 0; s < 7; s++) {
            int kp = ks[s][0], kt = ks[s][1];
            snprintf(where, sizeof where, "n = %zu, 2^%d, 2^%d", n, kp, kt);
            for (size_t i = 0; i < n; i++)
                y[i] = ldexp(x[i], kp), y[n + i] = ldexp(x[n + i], kt);
            gdn_invariants_of(n, y, &v);
            assert_true(v.t == ldexp(v0.t, kp + kt));
            assert_true(v.phi_norm == ldexp(v0.phi_norm, kp));
            assert_true(v.theta_norm == ldexp(v0.theta_norm, kt));
            if (2 * kp < 1000 && 2 * kt < 1000) {
                assert_true(v.a == ldexp(v0.a, 2 * kp));
                assert_true(v.b == ldexp(v0.b, 2 * kt));
            }
            if (n <= 32) /* the wedge sum commutes with scaling exactly */
                assert_true(v.gram == ldexp(v0.gram, 2 * (kp + kt)));
            else
                CHECK_REL(v.gram, ldexp(v0.gram, 2 * (kp + kt)), 1e-15);
            CHECK_REL(v.gram, gram_ld(n, y), 1e-13);
            CHECK_REL(v.norm, norm_ld(2 * n, y), 1e-15);
            if (kp == kt)
                assert_true(v.norm == ldexp(v0.norm, kp));
        }
        /* decimal scales: each value rounds, so compare with long double */
        static const double ds[][2] = {{1e300, 1e300}, {1e-160, 1e-160},
                                       {1e200, 1e-200}, {1e-300, 1e290},
                                       {1e76, 1e76}};
        for (int s = 0; s < 5; s++) {
            snprintf(where, sizeof where, "n = %zu, %g, %g", n, ds[s][0],
                     ds[s][1]);
            for (size_t i = 0; i < n; i++)
                y[i] = x[i] * ds[s][0], y[n + i] = x[n + i] * ds[s][1];
            gdn_invariants_of(n, y, &v);
            CHECK_REL(v.phi_norm, norm_ld(n, y), 1e-15);
            CHECK_REL(v.theta_norm, norm_ld(n, y + n), 1e-15);
            CHECK_REL(v.norm, norm_ld(2 * n, y), 1e-15);
            long double g = gram_ld(n, y);
            assert_false(isnan(v.gram) || isnan(v.energy) || isnan(v.t));
            if (g < 1e300L && g > 1e-300L) /* representable: accurate */
                CHECK_REL(v.gram, g, n <= 32 ? 1e-15 : 1e-13);
            else if (g >= 1e300L) /* too large for a double: inf */
                assert_true(v.gram > 1e300);
            long double e = 0.5L * norm_ld(2 * n, y) * norm_ld(2 * n, y);
            if (e < 1e300L && e > 1e-300L)
                CHECK_REL(v.energy, e, 1e-15);
        }
    }
    /* the seed's start times 1e300 (the issue's --init 1e300,..): finite
     * norms, Gamma too large for a double (1e600) but not NaN */
    double big[4];
    for (int i = 0; i < 4; i++)
        big[i] = SEED2[i] * 1e300;
    gdn_invariants v;
    gdn_invariants_of(2, big, &v);
    CHECK_REL(v.phi_norm, 1e300 * sqrt(0.05), 1e-15);
    assert_true(isinf(v.gram) && v.gram > 0);
    /* gdn__norm: the same rule */
    CHECK_REL(gdn__norm(big, 4), 1e300 * sqrt(0.1), 1e-15);
    double tiny[4] = {3e-200, 4e-200, 0, 0};
    CHECK_REL(gdn__norm(tiny, 4), 5e-200, 1e-15);
    double zero[3] = {0, 0, 0};
    assert_true(gdn__norm(zero, 3) == 0);
}

/* ---------------------------------------------------------- reproducible */

static void same_traj(const gdn_traj *a, const gdn_traj *b)
{
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->ngroups, b->ngroups);
    size_t m = 2 * a->n;
    assert_memory_equal(a->t, b->t, a->count * sizeof(double));
    assert_memory_equal(a->x, b->x, a->count * m * sizeof(double));
    if (a->ngroups)
        assert_memory_equal(a->avg, b->avg,
                            a->count * a->ngroups * m * sizeof(double));
}

static void test_reproducible(void **state)
{
    (void)state;
    gdn_system sys;
    make_sys(&sys, "gan-qp", 5, 0.37, NAN);
    add_reg(&sys, "l2", 0.29);
    static const char *opts[] = {"flow", "simgd", "altgd"};
    for (int k = 0; k < 3; k++) {
        gdn_run_opts o;
        gdn_run_opts_init(&o, gdn_opt_find(opts[k]));
        o.t_end = 30;
        o.nema = 2;
        o.ema[0].beta = 0.9;
        o.ema[1].beta = 0.995;
        o.uniform = 1;
        gdn_traj a, b;
        gdn_run_info ia, ib;
        int ra = collect(&sys, &o, X5, &a, &ia);
        int rb = collect(&sys, &o, X5, &b, &ib);
        assert_int_equal(ra, GDN_DONE);
        assert_int_equal(rb, GDN_DONE);
        same_traj(&a, &b);
        assert_true(ia.nevals == ib.nevals && ia.accepted == ib.accepted &&
                    ia.rejected == ib.rejected && ia.h_last == ib.h_last);
        assert_true(ia.nevals > 0);
        gdn_traj_release(&a);
        gdn_traj_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gram_conserved_by_flow),
        cmocka_unit_test(test_gram_decay_with_l2),
        cmocka_unit_test(test_altgd_conserves_gram),
        cmocka_unit_test(test_simgd_gram_growth),
        cmocka_unit_test(test_wgan_gp_linear_closed_form),
        cmocka_unit_test(test_dopri5_order),
        cmocka_unit_test(test_rk4_euler_order),
        cmocka_unit_test(test_euler_flow_is_simgd),
        cmocka_unit_test(test_sample_times),
        cmocka_unit_test(test_discrete_ema_and_uniform),
        cmocka_unit_test(test_flow_ema_closed_form),
        cmocka_unit_test(test_simgd_diverges),
        cmocka_unit_test(test_undefined_start),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_bad_parameter_values),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_fixed_step_budget),
        cmocka_unit_test(test_ema_too_fast_refused),
        cmocka_unit_test(test_ema_stiff_budget),
        cmocka_unit_test(test_dopri5_nan_block_rejects),
        cmocka_unit_test(test_outcomes_not_divergence),
        cmocka_unit_test(test_start_beyond_range),
        cmocka_unit_test(test_invariants_scaled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
