/*
 * test_stability.c - gdn_stability_analyze against the closed forms of
 * docs/specification.md §4, the discrete maps against maps built here from the
 * Jacobian and against companion-matrix roots derived by hand, the spectral
 * radius against the rate of simulated runs, a stability boundary against
 * its closed form, and the cases that are not differentiable or are bad
 * input.
 *
 * Closed forms used below (f'(0) = 1/2 for the sigmoid losses), with the
 * flow matrix A = -J_xi at the equilibrium, in 1-D:
 *   gan, nsgan            A = [[0, -1/2], [1/2, 0]]            mu = +-i/2
 *   wgan-gp, c = 0        A = [[-2 lam, -1], [1, 0]]           mu = -lam +- sqrt(lam^2 - 1)
 *   nsgan + l2/r1 gamma   A = [[-gam, -1/2], [1/2, 0]]         mu = -gam/2 +- sqrt(gam^2/4 - 1/4)
 *   + noise sigma         F_a = sigma^2/4                      mu = -sigma^2/4 +- sqrt(sigma^4/16 - 1/4)
 *   f-GANs                A = [[0, -h'(0)], [g'(0), 0]]        mu = +-i sqrt(h'(0) g'(0))
 * and, for the discrete maps of nsgan (K = H J_xi, J_xi = [[0, 1/2], [-1/2, 0]]):
 *   simgd          I - K = [[1, -h_d/2], [h_g/2, 1]]           rho^2 = 1 + h_d h_g / 4
 *   altgd (dg)     [[1, -h_d/2], [h_g/2, 1 - h_d h_g/4]]       det 1, trace 2 - h_d h_g/4
 *   extragradient  I - K + K^2 = (1 - h^2/4) I - K             rho^2 = 1 - h^2/4 + h^4/16
 *   ogda           [[I - 2K, H], [J_xi, 0]] on (x, xi(x_prev)): for an
 *                  eigenvalue nu = +-i/2 of J_xi, lambda^2 - (1 - 2 h nu) lambda
 *                  - h nu = 0, whose discriminant is 1 - h^2, so
 *                  lambda = (1 +- sqrt(1 - h^2))/2 -+ i h/2,
 *                  rho = sqrt((1 + sqrt(1 - h^2))/2) for h <= 1
 *   simgd + l2     eigenvalues 1 - h (gam/2 +- i b), |.|^2 = 1 - gam h + h^2/4
 *                  (gam < 1: gam^2/4 + b^2 = 1/4): stable iff h < 4 gam.
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

/* ------------------------------------------------------------- helpers */

#define CLOSE(got, want, tol, ...)                                           \
    close_at((got), (want), (tol), __FILE__, __LINE__, __VA_ARGS__)

/* Fails unless |got - want| <= tol, printing both and a description. */
static void close_at(double got, double want, double tol, const char *file,
                     int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static void close_at(double got, double want, double tol, const char *file,
                     int line, const char *fmt, ...)
{
    if (fabs(got - want) <= tol)
        return;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    print_error("%s: got %.17g, expected %.17g (|diff| = %.3g > %.3g)\n",
                what, got, want, fabs(got - want), tol);
    _fail(file, line);
}

static void mk_sys(gdn_system *sys, size_t n, const char *model,
                   const char *reg)
{
    gdn_error err;
    const char *regs[1] = {reg};
    int rc = gdn_system_from_specs(sys, n, model, regs, reg ? 1 : 0, NULL,
                                   NULL, &err);
    if (rc)
        print_error("system %s + %s: %s\n", model, reg ? reg : "-", err.msg);
    assert_int_equal(rc, GDN_OK);
}

static void mk_opts(gdn_run_opts *o, const char *spec)
{
    gdn_error err;
    gdn_run_opts_init(o, gdn_opt_find("flow"));
    int rc = gdn_spec_opt(spec, o, NULL, &err);
    if (rc == GDN_OK)
        rc = gdn_run_opts_check(o, &err);
    if (rc)
        print_error("optimizer %s: %s\n", spec, err.msg);
    assert_int_equal(rc, GDN_OK);
}

/* Analyses model + reg (reg may be NULL) under opt at the equilibrium. */
static void analyze(size_t n, const char *model, const char *reg,
                    const char *opt, double tol, gdn_stability *st)
{
    gdn_system sys;
    gdn_run_opts o;
    gdn_error err;
    mk_sys(&sys, n, model, reg);
    mk_opts(&o, opt);
    int rc = gdn_stability_analyze(&sys, &o, NULL, tol, st, &err);
    if (rc)
        print_error("analyze %s + %s, %s: %s\n", model, reg ? reg : "-", opt,
                    err.msg);
    assert_int_equal(rc, GDN_OK);
}

/* Roots of mu^2 + p mu + q = 0, the one with the larger real part (then
 * the positive imaginary part) first. */
static void quad_roots(double p, double q, gdn_eig r[2])
{
    double d = p * p / 4 - q;
    if (d >= 0) {
        r[0] = (gdn_eig){-p / 2 + sqrt(d), 0};
        r[1] = (gdn_eig){-p / 2 - sqrt(d), 0};
    } else {
        r[0] = (gdn_eig){-p / 2, sqrt(-d)};
        r[1] = (gdn_eig){-p / 2, -sqrt(-d)};
    }
}

/* want[0 .. 2n): n copies of r[0], then n copies of r[1]. */
static void repeat_pair(const gdn_eig r[2], size_t n, gdn_eig *want)
{
    for (size_t i = 0; i < n; i++)
        want[i] = r[0], want[n + i] = r[1];
}

/* Every wanted eigenvalue (with multiplicity) is matched by a distinct
 * computed one within tol (absolute, in the complex plane). */
static void assert_spectrum(const gdn_stability *st, const gdn_eig *want,
                            size_t count, double tol, const char *what)
{
    assert_non_null(st->eig);
    assert_int_equal(st->dim, count);
    unsigned char used[64] = {0};
    assert_true(count <= sizeof used);
    for (size_t k = 0; k < count; k++) {
        size_t best = count;
        double bd = INFINITY;
        for (size_t i = 0; i < count; i++) {
            double d = hypot(st->eig[i].re - want[k].re,
                             st->eig[i].im - want[k].im);
            if (!used[i] && d < bd)
                bd = d, best = i;
        }
        if (!(bd <= tol)) {
            print_error("%s: no eigenvalue within %.3g of %.17g %+.17gi "
                        "(nearest at %.3g); computed:\n",
                        what, tol, want[k].re, want[k].im, bd);
            for (size_t i = 0; i < count; i++)
                print_error("    %.17g %+.17gi\n", st->eig[i].re,
                            st->eig[i].im);
            fail();
        }
        used[best] = 1;
    }
}

/* Determinant by Gaussian elimination with partial pivoting (N <= 16). */
static double det_of(size_t N, const double *a)
{
    double m[256], det = 1;
    assert_true(N <= 16);
    memcpy(m, a, N * N * sizeof *m);
    for (size_t c = 0; c < N; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < N; r++)
            if (fabs(m[r * N + c]) > fabs(m[p * N + c]))
                p = r;
        if (m[p * N + c] == 0)
            return 0;
        if (p != c) {
            for (size_t j = 0; j < N; j++) {
                double t = m[c * N + j];
                m[c * N + j] = m[p * N + j], m[p * N + j] = t;
            }
            det = -det;
        }
        det *= m[c * N + c];
        for (size_t r = c + 1; r < N; r++) {
            double f = m[r * N + c] / m[c * N + c];
            for (size_t j = c; j < N; j++)
                m[r * N + j] -= f * m[c * N + j];
        }
    }
    return det;
}

static double trace_of(size_t N, const double *a)
{
    double s = 0;
    for (size_t i = 0; i < N; i++)
        s += a[i * N + i];
    return s;
}

static double max_abs_re(const gdn_stability *st)
{
    double m = 0;
    for (size_t i = 0; i < st->dim; i++)
        m = fmax(m, fabs(st->eig[i].re));
    return m;
}

/* ------------------------------------------------------ verdict names */

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(gdn_stab_verdict_name(GDN_STAB_STABLE), "stable");
    assert_string_equal(gdn_stab_verdict_name(GDN_STAB_UNSTABLE), "unstable");
    assert_string_equal(gdn_stab_verdict_name(GDN_STAB_NEUTRAL), "neutral");
    assert_string_equal(gdn_stab_verdict_name(GDN_STAB_NONDIFF),
                        "not differentiable");
    assert_string_equal(gdn_stab_verdict_name(GDN_STAB_NOTCOMP),
                        "not computable");
    assert_string_equal(gdn_stab_verdict_name(42), "?");
}

/* ------------------------------------------------------------ the flow */

/* gan and nsgan: +-i/2, n times each; the matrix itself; neutral with the
 * conserved Gram determinant.  Time scales multiply the rotation speed by
 * sqrt(eta_d eta_g). */
static void test_flow_gan_nsgan(void **state)
{
    (void)state;
    const char *models[] = {"gan", "nsgan"};
    for (size_t mi = 0; mi < 2; mi++)
        for (size_t n = 1; n <= 2; n++) {
            gdn_stability st;
            gdn_eig r[2] = {{0, 0.5}, {0, -0.5}}, want[4];
            analyze(n, models[mi], NULL, "flow", 0, &st);
            assert_int_equal(st.discrete, 0);
            assert_int_equal(st.dim, 2 * n);
            repeat_pair(r, n, want);
            assert_spectrum(&st, want, 2 * n, 1e-12, models[mi]);
            assert_true(max_abs_re(&st) < 1e-15);
            CLOSE(st.max_re, 0, 1e-15, "%s n=%zu max_re", models[mi], n);
            CLOSE(st.tol, 1e-10, 0, "%s default tol", models[mi]);
            assert_int_equal(st.verdict, GDN_STAB_NEUTRAL);
            assert_non_null(strstr(st.text, "neutral"));
            assert_int_equal(st.gram_kind, 0);
            CLOSE(st.gram_rate, 0, 0, "%s gram_rate", models[mi]);
            /* A = [[0, -I/2], [I/2, 0]] */
            size_t m = 2 * n;
            for (size_t i = 0; i < m; i++)
                for (size_t j = 0; j < m; j++) {
                    double a = 0;
                    if (i < n && j == i + n)
                        a = -0.5;
                    if (i >= n && j == i - n)
                        a = 0.5;
                    CLOSE(st.matrix[i * m + j], a, 1e-15, "%s n=%zu A[%zu][%zu]",
                          models[mi], n, i, j);
                }
            gdn_stability_release(&st);
            assert_null(st.matrix);
            assert_null(st.eig);
        }
    /* time scales: +-i sqrt(eta_d eta_g)/2 = +-0.75i */
    gdn_stability st;
    gdn_eig want[2] = {{0, 0.75}, {0, -0.75}};
    analyze(1, "nsgan", NULL, "flow:lr_d=3,lr_g=0.75", 0, &st);
    assert_spectrum(&st, want, 2, 1e-12, "nsgan, eta_d = 3, eta_g = 0.75");
    CLOSE(st.matrix[1], -1.5, 1e-15, "A[0][1] = -eta_d/2");
    CLOSE(st.matrix[2], 0.375, 1e-15, "A[1][0] = eta_g/2");
    assert_int_equal(st.verdict, GDN_STAB_NEUTRAL);
    gdn_stability_release(&st);
}

/* A 2x2 flow with a double root: trace and determinant exactly, the
 * eigenvalues only to ~sqrt(eps) (a defective eigenvalue is ill-
 * conditioned), the verdict stable with rate -root. */
static void check_double_root(const gdn_stability *st, double trace,
                              double det, double root, const char *what)
{
    assert_int_equal(st->dim, 2);
    CLOSE(trace_of(2, st->matrix), trace, 1e-12, "%s: trace", what);
    CLOSE(det_of(2, st->matrix), det, 1e-12, "%s: det", what);
    gdn_eig want[2] = {{root, 0}, {root, 0}};
    assert_spectrum(st, want, 2, 1e-7, what);
    assert_int_equal(st->verdict, GDN_STAB_STABLE);
    CLOSE(st->rate, -root, 1e-7, "%s: rate", what);
}

static void test_flow_wgan_gp_c0(void **state)
{
    (void)state;
    const double lams[] = {0.1, 0.37, 1.9, 3};
    for (size_t k = 0; k < sizeof lams / sizeof *lams; k++) {
        char spec[64];
        double lam = lams[k];
        snprintf(spec, sizeof spec, "wgan-gp:lambda=%.17g,c=0", lam);
        for (size_t n = 1; n <= 2; n++) {
            gdn_stability st;
            gdn_eig r[2], want[4];
            analyze(n, spec, NULL, "flow", 0, &st);
            quad_roots(2 * lam, 1, r); /* -lam +- sqrt(lam^2 - 1) */
            repeat_pair(r, n, want);
            assert_spectrum(&st, want, 2 * n, 1e-12, spec);
            assert_int_equal(st.verdict, GDN_STAB_STABLE);
            CLOSE(st.max_re, r[0].re, 1e-12, "%s max Re", spec);
            CLOSE(st.rate, -r[0].re, 1e-12, "%s rate", spec);
            gdn_stability_release(&st);
        }
    }
    gdn_stability st;
    analyze(1, "wgan-gp:lambda=1,c=0", NULL, "flow", 0, &st);
    check_double_root(&st, -2, 1, -1, "wgan-gp lambda = 1, c = 0");
    gdn_stability_release(&st);
}

static void test_flow_l2_r1(void **state)
{
    (void)state;
    const char *regs[] = {"l2", "r1"};
    const double gams[] = {0.1, 0.3, 0.5, 1.5, 3};
    for (size_t ri = 0; ri < 2; ri++)
        for (size_t k = 0; k < sizeof gams / sizeof *gams; k++)
            for (size_t n = 1; n <= 2; n++) {
                char spec[64];
                double g = gams[k];
                snprintf(spec, sizeof spec, "%s:gamma=%.17g", regs[ri], g);
                gdn_stability st;
                gdn_eig r[2], want[4];
                analyze(n, "nsgan", spec, "flow", 0, &st);
                quad_roots(g, 0.25, r); /* -g/2 +- sqrt(g^2/4 - 1/4) */
                repeat_pair(r, n, want);
                assert_spectrum(&st, want, 2 * n, 1e-12, spec);
                assert_int_equal(st.verdict, GDN_STAB_STABLE);
                CLOSE(st.rate, -r[0].re, 1e-12, "%s rate", spec);
                /* F_a = g/2: Gamma decays like exp(-2 g t) */
                assert_int_equal(st.gram_kind, -1);
                CLOSE(st.gram_rate, -2 * g, 1e-15, "%s gram_rate", spec);
                gdn_stability_release(&st);
            }
    for (size_t ri = 0; ri < 2; ri++) {
        char spec[32];
        snprintf(spec, sizeof spec, "%s:gamma=1", regs[ri]);
        gdn_stability st;
        analyze(1, "nsgan", spec, "flow", 0, &st);
        check_double_root(&st, -1, 0.25, -0.5, spec);
        gdn_stability_release(&st);
    }
}

static void test_flow_instance_noise(void **state)
{
    (void)state;
    const char *models[] = {"gan", "nsgan"};
    const double sigmas[] = {0.3, 1, 1.3, 2, 2.5};
    for (size_t mi = 0; mi < 2; mi++)
        for (size_t k = 0; k < sizeof sigmas / sizeof *sigmas; k++) {
            char spec[64], what[96];
            double s = sigmas[k];
            snprintf(spec, sizeof spec, "noise:sigma=%.17g", s);
            snprintf(what, sizeof what, "%s + %s", models[mi], spec);
            gdn_stability st;
            gdn_eig r[2];
            analyze(1, models[mi], spec, "flow", 0, &st);
            /* -s^2/4 +- sqrt(s^4/16 - 1/4) */
            quad_roots(s * s / 2, 0.25, r);
            assert_spectrum(&st, r, 2, 1e-12, what);
            assert_int_equal(st.verdict, GDN_STAB_STABLE);
            CLOSE(st.rate, -r[0].re, 1e-12, "%s rate", what);
            gdn_stability_release(&st);
        }
}

/* Every unregularised f-GAN: +-i sqrt(h'(0) g'(0)), real parts 0, neutral,
 * Gamma conserved (the losses depend on t alone). */
static void test_flow_fgans(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double hp, gp_ns; /* h'(0); g'(0) of the nonsaturating loss */
    } fg[] = {{"fgan-kl", 0.36787944117144233, 1}, /* exp(-1) */
              {"fgan-rkl", 1, 1},
              {"fgan-pearson", 1, 1},
              {"fgan-hellinger", 1, 1},
              {"fgan-js", 0.5, 0.5}};
    const char *gens[] = {"saturating", "nonsaturating"};
    for (size_t k = 0; k < sizeof fg / sizeof *fg; k++)
        for (size_t gi = 0; gi < 2; gi++) {
            char spec[64];
            snprintf(spec, sizeof spec, "%s:gen=%s", fg[k].name, gens[gi]);
            double w = sqrt(fg[k].hp * (gi ? fg[k].gp_ns : fg[k].hp));
            gdn_stability st;
            gdn_eig want[2] = {{0, w}, {0, -w}};
            analyze(1, spec, NULL, "flow", 0, &st);
            if (!(max_abs_re(&st) < 1e-15))
                print_error("%s: |Re| = %.3g\n", spec, max_abs_re(&st));
            assert_true(max_abs_re(&st) < 1e-15);
            assert_spectrum(&st, want, 2, 1e-12, spec);
            assert_int_equal(st.verdict, GDN_STAB_NEUTRAL);
            assert_int_equal(st.gram_kind, 0);
            assert_non_null(strstr(st.invariant, "conserved"));
            gdn_stability_release(&st);
        }
}

/* ------------------------------------------------------ discrete maps */

static void test_simgd(void **state)
{
    (void)state;
    const double hs[] = {0.01, 0.1, 0.37, 1.3, 3};
    for (size_t k = 0; k < sizeof hs / sizeof *hs; k++)
        for (size_t n = 1; n <= 2; n++) {
            char spec[64];
            double h = hs[k], rho = sqrt(1 + h * h / 4);
            snprintf(spec, sizeof spec, "simgd:lr=%.17g", h);
            gdn_stability st;
            gdn_eig r[2] = {{1, h / 2}, {1, -h / 2}}, want[4];
            analyze(n, "nsgan", NULL, spec, 0, &st);
            assert_int_equal(st.discrete, 1);
            assert_int_equal(st.dim, 2 * n);
            repeat_pair(r, n, want);
            assert_spectrum(&st, want, 2 * n, 1e-12, spec);
            CLOSE(st.rho, rho, 1e-12, "%s rho", spec);
            CLOSE(st.rate, -log(rho), 1e-12, "%s rate", spec);
            assert_int_equal(st.verdict, GDN_STAB_UNSTABLE);
            assert_non_null(strstr(st.text, "diverges"));
            gdn_stability_release(&st);
        }
}

/* Two time-scale simgd: rho = sqrt(1 + h_d h_g / 4), still > 1. */
static void test_simgd_ttur(void **state)
{
    (void)state;
    const double hh[][2] = {{0.1, 0.4}, {1, 0.05}, {2, 3}, {0.01, 2}};
    for (size_t k = 0; k < sizeof hh / sizeof *hh; k++) {
        char spec[96];
        double hd = hh[k][0], hg = hh[k][1];
        snprintf(spec, sizeof spec, "simgd:lr_d=%.17g,lr_g=%.17g", hd, hg);
        gdn_stability st;
        analyze(1, "nsgan", NULL, spec, 0, &st);
        CLOSE(st.matrix[1], -hd / 2, 1e-15, "%s M[0][1]", spec);
        CLOSE(st.matrix[2], hg / 2, 1e-15, "%s M[1][0]", spec);
        CLOSE(st.rho, sqrt(1 + hd * hg / 4), 1e-12, "%s rho", spec);
        assert_true(st.rho > 1);
        assert_int_equal(st.verdict, GDN_STAB_UNSTABLE);
        gdn_stability_release(&st);
    }
}

/* altgd: det 1 and unit-modulus eigenvalues while h_d h_g < 16 (trace
 * 2 - h_d h_g/4 in (-2, 2)): neutral.  Also order=gd and ndis=2 (trace
 * 2 - h^2/2). */
static void check_altgd_neutral(size_t n, const char *spec, double trace1)
{
    gdn_stability st;
    analyze(n, "nsgan", NULL, spec, 0, &st);
    assert_int_equal(st.dim, 2 * n);
    CLOSE(det_of(st.dim, st.matrix), 1, 1e-12, "%s n=%zu det", spec, n);
    for (size_t i = 0; i < st.dim; i++)
        CLOSE(hypot(st.eig[i].re, st.eig[i].im), 1, 1e-12,
              "%s n=%zu |lambda_%zu|", spec, n, i);
    /* the pair is trace1/2 +- i sqrt(1 - trace1^2/4) */
    gdn_eig r[2] = {{trace1 / 2, sqrt(1 - trace1 * trace1 / 4)},
                    {trace1 / 2, -sqrt(1 - trace1 * trace1 / 4)}},
            want[4];
    repeat_pair(r, n, want);
    assert_spectrum(&st, want, 2 * n, 1e-12, spec);
    CLOSE(st.rho, 1, 1e-12, "%s rho", spec);
    assert_int_equal(st.verdict, GDN_STAB_NEUTRAL);
    assert_non_null(strstr(st.text, "neutral"));
    gdn_stability_release(&st);
}

static void test_altgd(void **state)
{
    (void)state;
    const double hs[] = {0.1, 1, 2.5};
    for (size_t k = 0; k < sizeof hs / sizeof *hs; k++)
        for (size_t n = 1; n <= 2; n++) {
            char spec[96];
            double h = hs[k];
            snprintf(spec, sizeof spec, "altgd:lr=%.17g", h);
            check_altgd_neutral(n, spec, 2 - h * h / 4);
            snprintf(spec, sizeof spec, "altgd:lr=%.17g,order=gd", h);
            check_altgd_neutral(n, spec, 2 - h * h / 4);
            snprintf(spec, sizeof spec, "altgd:lr=%.17g,ndis=2", h);
            check_altgd_neutral(n, spec, 2 - h * h / 2);
        }
    /* the dg map itself */
    gdn_stability st;
    analyze(1, "nsgan", NULL, "altgd:lr=1", 0, &st);
    const double m[4] = {1, -0.5, 0.5, 0.75};
    for (size_t i = 0; i < 4; i++)
        CLOSE(st.matrix[i], m[i], 1e-15, "altgd lr=1 M[%zu]", i);
    gdn_stability_release(&st);
}

/* h = 4: trace -2, det 1, a defective double eigenvalue -1 on the unit
 * circle (specification §4: "on the unit circle for h <= 4").  The
 * eigenvalues are ill-conditioned (~sqrt(eps)), so they are checked to
 * 1e-7; the verdict is the specification's: neutral. */
static void test_altgd_h4(void **state)
{
    (void)state;
    gdn_stability st;
    analyze(1, "nsgan", NULL, "altgd:lr=4", 0, &st);
    CLOSE(trace_of(2, st.matrix), -2, 1e-12, "altgd lr=4 trace");
    CLOSE(det_of(2, st.matrix), 1, 1e-12, "altgd lr=4 det");
    gdn_eig want[2] = {{-1, 0}, {-1, 0}};
    assert_spectrum(&st, want, 2, 1e-7, "altgd lr=4");
    CLOSE(st.rho, 1, 1e-7, "altgd lr=4 rho");
    if (st.verdict != GDN_STAB_NEUTRAL)
        print_error("altgd lr=4: verdict '%s' (%s), expected neutral: the "
                    "computed rho - 1 = %.3g is rounding of a defective "
                    "eigenvalue, far above tol = %.0e\n",
                    gdn_stab_verdict_name(st.verdict), st.text, st.rho - 1,
                    st.tol);
    int verdict = st.verdict;
    gdn_stability_release(&st); /* before an assertion that may jump out */
    assert_int_equal(verdict, GDN_STAB_NEUTRAL);
}

/* Beyond h_d h_g = 16 the eigenvalues are real: rho = (|T| + sqrt(T^2 -
 * 4))/2 with T = 2 - h_d h_g/4. */
static void test_altgd_beyond(void **state)
{
    (void)state;
    const double hh[][2] = {{4.5, 4.5}, {6, 6}, {5, 4}, {2, 10}};
    for (size_t k = 0; k < sizeof hh / sizeof *hh; k++) {
        char spec[96];
        double hd = hh[k][0], hg = hh[k][1], T = 2 - hd * hg / 4;
        snprintf(spec, sizeof spec, "altgd:lr_d=%.17g,lr_g=%.17g", hd, hg);
        gdn_stability st;
        analyze(1, "nsgan", NULL, spec, 0, &st);
        double rho = (fabs(T) + sqrt(T * T - 4)) / 2;
        CLOSE(st.rho, rho, 1e-12 * rho, "%s rho", spec);
        CLOSE(det_of(2, st.matrix), 1, 1e-12, "%s det", spec);
        assert_true(st.rho > 1);
        assert_int_equal(st.verdict, GDN_STAB_UNSTABLE);
        gdn_stability_release(&st);
    }
}

/* TTUR does not make altgd converge: det 1, unit circle while h_d h_g < 16. */
static void test_altgd_ttur(void **state)
{
    (void)state;
    const double hh[][2] = {{0.5, 2}, {3, 1}, {0.1, 10}, {2, 0.5}, {4, 3}};
    for (size_t k = 0; k < sizeof hh / sizeof *hh; k++)
        for (size_t n = 1; n <= 2; n++) {
            char spec[96];
            double hd = hh[k][0], hg = hh[k][1];
            snprintf(spec, sizeof spec, "altgd:lr_d=%.17g,lr_g=%.17g", hd, hg);
            check_altgd_neutral(n, spec, 2 - hd * hg / 4);
        }
}

static void test_extragradient(void **state)
{
    (void)state;
    const double hs[] = {0.1, 0.3, 1, 1.9, 2, 2.5};
    for (size_t k = 0; k < sizeof hs / sizeof *hs; k++)
        for (size_t n = 1; n <= 2; n++) {
            char spec[64];
            double h = hs[k], h2 = h * h;
            double rho = sqrt(1 - h2 / 4 + h2 * h2 / 16);
            snprintf(spec, sizeof spec, "extragradient:lr=%.17g", h);
            gdn_stability st;
            gdn_eig r[2] = {{1 - h2 / 4, h / 2}, {1 - h2 / 4, -h / 2}},
                    want[4];
            analyze(n, "nsgan", NULL, spec, 0, &st);
            repeat_pair(r, n, want);
            assert_spectrum(&st, want, 2 * n, 1e-12, spec);
            CLOSE(st.rho, rho, 1e-12, "%s rho", spec);
            CLOSE(st.rho * st.rho, 1 - h2 / 4 + h2 * h2 / 16, 1e-12,
                  "%s rho^2", spec);
            int want_v = h < 2    ? GDN_STAB_STABLE
                         : h == 2 ? GDN_STAB_NEUTRAL
                                  : GDN_STAB_UNSTABLE;
            assert_int_equal(st.verdict, want_v);
            gdn_stability_release(&st);
        }
}

/* momentum/nesterov with beta = 0 are simgd/altgd bit for bit: the same x
 * block, on a state twice as large (the buffers). */
static void test_momentum_beta0(void **state)
{
    (void)state;
    static const struct {
        const char *mom, *plain;
    } pairs[] = {
        {"momentum:beta=0,lr_d=0.3,lr_g=0.2", "simgd:lr_d=0.3,lr_g=0.2"},
        {"nesterov:beta=0,lr_d=0.3,lr_g=0.2", "simgd:lr_d=0.3,lr_g=0.2"},
        {"momentum:beta=0,schedule=alt,lr_d=0.3,lr_g=0.2",
         "altgd:lr_d=0.3,lr_g=0.2"},
        {"momentum:beta=0,schedule=alt,order=gd,ndis=3,lr=0.7",
         "altgd:order=gd,ndis=3,lr=0.7"},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        const size_t n = 2, m = 2 * n;
        gdn_stability a, b;
        analyze(n, "nsgan", "l2:gamma=0.2", pairs[k].mom, 0, &a);
        analyze(n, "nsgan", "l2:gamma=0.2", pairs[k].plain, 0, &b);
        assert_int_equal(a.dim, 2 * m);
        assert_int_equal(b.dim, m);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++)
                if (a.matrix[i * a.dim + j] != b.matrix[i * m + j]) {
                    print_error("%s vs %s: M[%zu][%zu] = %.17g vs %.17g\n",
                                pairs[k].mom, pairs[k].plain, i, j,
                                a.matrix[i * a.dim + j], b.matrix[i * m + j]);
                    fail();
                }
        CLOSE(a.rho, b.rho, 1e-12, "%s rho", pairs[k].mom);
        assert_int_equal(a.verdict, b.verdict);
        gdn_stability_release(&a);
        gdn_stability_release(&b);
    }
}

/* ogda: state (x, previous gradient), dimension 4n; spectrum from the
 * companion-matrix roots (header comment). */
static void test_ogda(void **state)
{
    (void)state;
    const double hs[] = {0.05, 0.2, 0.5, 0.9};
    for (size_t k = 0; k < sizeof hs / sizeof *hs; k++)
        for (size_t n = 1; n <= 2; n++) {
            char spec[64];
            double h = hs[k], s = sqrt(1 - h * h);
            snprintf(spec, sizeof spec, "ogda:lr=%.17g", h);
            gdn_stability st;
            analyze(n, "nsgan", NULL, spec, 0, &st);
            assert_int_equal(st.dim, 4 * n);
            gdn_eig want[8];
            for (size_t i = 0; i < n; i++) {
                want[4 * i + 0] = (gdn_eig){(1 + s) / 2, h / 2};
                want[4 * i + 1] = (gdn_eig){(1 + s) / 2, -h / 2};
                want[4 * i + 2] = (gdn_eig){(1 - s) / 2, h / 2};
                want[4 * i + 3] = (gdn_eig){(1 - s) / 2, -h / 2};
            }
            assert_spectrum(&st, want, 4 * n, 1e-12, spec);
            CLOSE(st.rho, sqrt((1 + s) / 2), 1e-12, "%s rho", spec);
            assert_int_equal(st.verdict, GDN_STAB_STABLE);
            gdn_stability_release(&st);
        }
}

/* consensus: M = I - H (J + gamma J^T J) from the system's Jacobian. */
static void test_consensus_map(void **state)
{
    (void)state;
    static const struct {
        const char *model, *reg;
    } sy[] = {{"nsgan", "l2:gamma=0.2"},
              {"wgan-gp:lambda=0.4,c=0", NULL},
              {"gan", "noise:sigma=0.8"}};
    const double hd = 0.3, hg = 0.2, gam = 0.7;
    for (size_t k = 0; k < sizeof sy / sizeof *sy; k++) {
        const size_t n = 2, m = 2 * n;
        gdn_system sys;
        gdn_run_opts o;
        gdn_stability st;
        gdn_error err;
        double J[16], zero[4] = {0};
        mk_sys(&sys, n, sy[k].model, sy[k].reg);
        mk_opts(&o, "consensus:lr_d=0.3,lr_g=0.2,gamma=0.7");
        assert_int_equal(gdn_system_jacobian(&sys, zero, J), GDN_PT_OK);
        assert_int_equal(gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err),
                         GDN_OK);
        assert_int_equal(st.dim, m);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++) {
                double jtj = 0;
                for (size_t l = 0; l < m; l++)
                    jtj += J[l * m + i] * J[l * m + j];
                double want = (i == j) - (i < n ? hd : hg) *
                                             (J[i * m + j] + gam * jtj);
                CLOSE(st.matrix[i * m + j], want, 1e-15, "%s: M[%zu][%zu]",
                      sy[k].model, i, j);
            }
        gdn_stability_release(&st);
    }
}

/* Not differentiable: Adam and RMSprop's steps; wgan (no field at phi = 0),
 * wgan-gp with c = 1 and gan-qp (no second derivatives there). */
/* A penalty of weight 0 is no penalty: wgan-gp:lambda=0 is the bilinear
 * game, A = [[0, -1], [1, 0]], mu = +-i, whatever c; gp:lambda=0 leaves
 * nsgan's +-i/2.  (Both were "not differentiable" for c > 0.) */
static void test_zero_penalty_smooth(void **state)
{
    (void)state;
    const char *models[] = {"wgan-gp:lambda=0", "wgan-gp:lambda=0,c=3",
                            "wgan-gp:lambda=0,c=0"};
    for (size_t k = 0; k < 3; k++) {
        gdn_stability st;
        analyze(2, models[k], NULL, "flow", 0, &st);
        assert_int_equal(st.verdict, GDN_STAB_NEUTRAL);
        gdn_eig r[2] = {{0, 1}, {0, -1}}, want[4];
        repeat_pair(r, 2, want);
        assert_spectrum(&st, want, 4, 1e-14, models[k]);
        assert_non_null(strstr(st.invariant, "conserved"));
        gdn_stability_release(&st);
    }
    gdn_stability st;
    analyze(1, "nsgan", "gp:lambda=0,c=1", "simgd:lr=0.1", 0, &st);
    /* simgd on nsgan: rho^2 = 1 + h^2/4 */
    CLOSE(st.rho, sqrt(1 + 0.01 / 4), 1e-14, "nsgan + gp:lambda=0, simgd rho");
    gdn_stability_release(&st);
}

/* An overflowing linearisation is "not computable", names the parameters,
 * and holds no NaN: simgd:lr=1e300 on nsgan + l2:gamma=1e300 (the step's
 * Jacobian has 1 - 1e600), and the flow with lr_d = 1e308 on
 * wgan-gp:lambda=1e308 (2 lambda lr_d). */
static void test_not_computable(void **state)
{
    (void)state;
    static const struct {
        const char *model, *reg, *opt, *names[3];
    } cases[] = {
        {"nsgan", "l2:gamma=1e300", "simgd:lr=1e300",
         {"simgd:lr=1e+300", "l2:gamma=1e+300", "one step"}},
        {"wgan-gp:lambda=1e308,c=0", NULL, "flow:lr_d=1e308",
         {"lr_d=1e+308", "wgan-gp:lambda=1e+308,c=0", "of the flow"}},
        {"nsgan", "l2:gamma=1e200", "momentum:lr=1e200,beta=0.5",
         {"momentum:lr=1e+200", "l2:gamma=1e+200", "one step"}}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        gdn_stability st;
        analyze(1, cases[k].model, cases[k].reg, cases[k].opt, 0, &st);
        if (st.verdict != GDN_STAB_NOTCOMP)
            print_error("%s: verdict %s (%s)\n", cases[k].opt,
                        gdn_stab_verdict_name(st.verdict), st.text);
        assert_int_equal(st.verdict, GDN_STAB_NOTCOMP);
        assert_null(st.matrix);
        assert_null(st.eig);
        assert_non_null(strstr(st.text, "not computable"));
        for (int q = 0; q < 3; q++)
            if (!strstr(st.text, cases[k].names[q])) {
                print_error("'%s' lacks '%s'\n", st.text, cases[k].names[q]);
                fail();
            }
        assert_null(strstr(st.text, "nan"));
        assert_null(strstr(st.text, "inf"));
        assert_null(strstr(st.invariant, "nan"));
        assert_null(strstr(st.invariant, "inf"));
        gdn_stability_release(&st);
    }
    /* just inside the range, a result: simgd with h = gamma = 1e154 has
     * the entry 1 - h gamma = -1e308, finite, and rho = 1e308 > 1 */
    gdn_stability st;
    analyze(1, "nsgan", "l2:gamma=1e154", "simgd:lr=1e154", 0, &st);
    assert_int_equal(st.verdict, GDN_STAB_UNSTABLE);
    assert_true(isfinite(st.rho));
    gdn_stability_release(&st);
}

/* What a discrete method does with Gamma: altgd keeps it (shears), simgd
 * multiplies it by (1 - h_d h_g F_t G_t)^2 = (1 + h_d h_g/4)^2 for nsgan at
 * 0 (F_t G_t = -s(1-s) = -1/4; tests/test_dynamics.c checks both on
 * trajectories); any other method, or a norm-dependent loss: nothing is
 * claimed (the flow's Gamma invariant is the flow's). */
static void test_discrete_gram(void **state)
{
    (void)state;
    gdn_stability st;
    analyze(2, "nsgan", NULL, "altgd:lr=0.1", 0, &st);
    assert_int_equal(st.gram_kind, 0);
    assert_true(st.gram_rate == 0);
    assert_non_null(strstr(st.invariant, "altgd keeps Gamma"));
    gdn_stability_release(&st);
    analyze(2, "gan", NULL, "altgd:lr=0.3,order=gd,ndis=3", 0, &st);
    assert_int_equal(st.gram_kind, 0);
    gdn_stability_release(&st);

    static const double lrs[][2] = {{0.1, 0.1}, {0.5, 0.5}, {0.37, 0.06}};
    for (int l = 0; l < 3; l++) {
        char spec[96];
        snprintf(spec, sizeof spec, "simgd:lr_d=%.17g,lr_g=%.17g", lrs[l][0],
                 lrs[l][1]);
        analyze(2, "nsgan", NULL, spec, 0, &st);
        double f = 1 + lrs[l][0] * lrs[l][1] / 4;
        CLOSE(st.gram_rate, 2 * log(f), 1e-15, "%s: log Gamma factor", spec);
        assert_int_equal(st.gram_kind, 1);
        assert_non_null(strstr(st.invariant, "grows"));
        gdn_stability_release(&st);
    }
    /* nothing known: other methods, norm-dependent losses, clipping */
    static const struct {
        const char *model, *reg, *opt;
    } none[] = {{"nsgan", NULL, "extragradient:lr=0.1"},
                {"nsgan", NULL, "momentum"},
                {"nsgan", NULL, "ogda"},
                {"nsgan", NULL, "consensus"},
                {"nsgan", "l2:gamma=0.1", "simgd"},
                {"nsgan", "l2:gamma=0.1", "altgd"},
                {"wgan-gp:c=0", NULL, "altgd"},
                {"wgan-clip", NULL, "altgd"}};
    for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
        analyze(2, none[k].model, none[k].reg, none[k].opt, 0, &st);
        if (st.invariant[0])
            print_error("%s + %s, %s: claims '%s'\n", none[k].model,
                        none[k].reg ? none[k].reg : "-", none[k].opt,
                        st.invariant);
        assert_string_equal(st.invariant, "");
        assert_true(isnan(st.gram_rate));
        assert_int_equal(st.gram_kind, 2);
        gdn_stability_release(&st);
    }
    /* the flow keeps its statement */
    analyze(2, "nsgan", NULL, "flow", 0, &st);
    assert_non_null(strstr(st.invariant, "conserved"));
    gdn_stability_release(&st);
}

static void test_nondiff(void **state)
{
    (void)state;
    const char *opts[] = {"adam", "rmsprop", "adam:lr=0.01"};
    for (size_t k = 0; k < sizeof opts / sizeof *opts; k++) {
        gdn_stability st;
        analyze(1, "nsgan", NULL, opts[k], 0, &st);
        assert_int_equal(st.verdict, GDN_STAB_NONDIFF);
        assert_int_equal(st.discrete, 1);
        assert_null(st.matrix);
        assert_null(st.eig);
        assert_true(isnan(st.rho));
        assert_non_null(strstr(st.text, "not differentiable"));
        gdn_stability_release(&st);
    }
    static const struct {
        const char *model, *term, *opt;
    } cases[] = {{"wgan", "wgan", "flow"},
                 {"wgan", "wgan", "simgd"},
                 {"wgan-gp", "wgan-gp", "flow"},
                 {"wgan-gp:lambda=0.5,c=1", "wgan-gp", "altgd"},
                 {"gan-qp", "gan-qp", "flow"}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        gdn_stability st;
        const gdn_term_type *t = gdn_term_find(gdn_models, cases[k].term);
        assert_non_null(t);
        assert_non_null(t->singular);
        analyze(1, cases[k].model, NULL, cases[k].opt, 0, &st);
        assert_int_equal(st.verdict, GDN_STAB_NONDIFF);
        assert_null(st.matrix);
        if (!strstr(st.text, t->singular))
            print_error("%s: text '%s' lacks '%s'\n", cases[k].model, st.text,
                        t->singular);
        assert_non_null(strstr(st.text, t->singular));
        gdn_stability_release(&st);
    }
    /* the gp regularizer's reason, when the model has none */
    gdn_stability st;
    const gdn_term_type *gp = gdn_term_find(gdn_regularizers, "gp");
    assert_non_null(gp);
    analyze(1, "nsgan", "gp:lambda=0.3,c=1", "flow", 0, &st);
    assert_int_equal(st.verdict, GDN_STAB_NONDIFF);
    assert_non_null(strstr(st.text, gp->singular));
    gdn_stability_release(&st);
}

/* --------------------------------------------- rho against simulation */

/* Runs opt on model + reg (n = 2) from scale * (0.1, 0.2, 0.2, 0.1) for
 * steps steps and fits the per-step rate of log |x| over the second half:
 * the log of the maximum of |x| in each window of w steps, regressed on
 * where those maxima are.  Compares with log rho of the analysis. */
static void rate_vs_rho(const char *model, const char *reg, const char *opt,
                        long steps, long w, double scale, double reltol)
{
    gdn_system sys;
    gdn_run_opts o;
    gdn_error err;
    gdn_stability st;
    gdn_traj tr;
    mk_sys(&sys, 2, model, reg);
    mk_opts(&o, opt);
    o.steps = steps;
    o.every = 1;
    assert_int_equal(gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err),
                     GDN_OK);
    double want = log(st.rho);
    gdn_stability_release(&st);

    double x0[4] = {0.1 * scale, 0.2 * scale, 0.2 * scale, 0.1 * scale};
    gdn_run *run = gdn_run_new(&sys, &o, x0, &err);
    if (!run)
        print_error("gdn_run_new(%s): %s\n", opt, err.msg);
    assert_non_null(run);
    gdn_traj_init(&tr, 2, 0, 1);
    assert_int_equal(gdn_run_collect(run, &tr, &err), GDN_DONE);
    gdn_run_free(run);
    assert_int_equal(tr.count, (size_t)steps + 1);

    double sx = 0, sy = 0, sxx = 0, sxy = 0, lo = INFINITY, hi = 0;
    long nw = 0;
    for (long s0 = steps / 2; s0 + w <= steps + 1; s0 += w, nw++) {
        double best = -1;
        long at = s0;
        for (long k = s0; k < s0 + w; k++) {
            const double *x = tr.x + 4 * (size_t)k;
            double r = sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2] +
                            x[3] * x[3]);
            if (r > best)
                best = r, at = k;
        }
        double X = (double)at, Y = log(best);
        sx += X, sy += Y, sxx += X * X, sxy += X * Y;
        lo = fmin(lo, best), hi = fmax(hi, best);
    }
    gdn_traj_release(&tr);
    assert_true(nw >= 8);
    double N = (double)nw;
    double slope = (N * sxy - sx * sy) / (N * sxx - sx * sx);
    print_message("  %-44s %s: log rho = %+.6e per step, simulated %+.6e "
                  "(%+.2f%%; |x| in [%.2g, %.2g], %ld windows of %ld)\n",
                  opt, reg ? reg : "", want, slope,
                  100 * (slope - want) / fabs(want), lo, hi, nw, w);
    CLOSE(slope, want, reltol * fabs(want), "%s: simulated rate vs log rho",
          opt);
}

/* Tolerance 1 per cent of |log rho|; the fits agree to 0.1 per cent or
 * better (the nonlinear terms are O(|x|^2) relative). */
static void test_rho_vs_simulation(void **state)
{
    (void)state;
    /* diverging: started at 1e-10 so that |x| stays below 1e-3 (the
     * linear regime) over the 500 steps */
    rate_vs_rho("nsgan", NULL, "simgd:lr=0.5", 500, 25, 1e-10, 0.01);
    rate_vs_rho("nsgan", NULL, "extragradient:lr=0.3", 4000, 100, 1e-6, 0.01);
    rate_vs_rho("nsgan", NULL, "ogda:lr=0.2", 4000, 100, 1e-6, 0.01);
    /* |log rho| = 3.7e-4: a longer run, windows over one period (~190) */
    rate_vs_rho("nsgan", NULL, "momentum:schedule=alt,beta=-0.5,lr=0.1",
                20000, 400, 1e-6, 0.01);
    rate_vs_rho("nsgan", "l2:gamma=0.3", "simgd:lr=0.5", 4000, 50, 1e-6,
                0.01);
}

/* ------------------------------------------------ a stability boundary */

/* simgd on nsgan + l2 gamma: rho^2 = 1 - gamma h + h^2/4 for gamma < 1, so
 * the map is stable iff h < 4 gamma.  Bisection on rho - 1 finds it. */
static double rho_at(double gamma, double h)
{
    char reg[64], opt[64];
    gdn_stability st;
    snprintf(reg, sizeof reg, "l2:gamma=%.17g", gamma);
    snprintf(opt, sizeof opt, "simgd:lr=%.17g", h);
    analyze(1, "nsgan", reg, opt, 1e-14, &st);
    double rho = st.rho;
    CLOSE(rho, sqrt(1 - gamma * h + h * h / 4), 1e-12, "%s %s rho", reg, opt);
    assert_int_equal(st.verdict, rho < 1 - 1e-14   ? GDN_STAB_STABLE
                                 : rho > 1 + 1e-14 ? GDN_STAB_UNSTABLE
                                                   : GDN_STAB_NEUTRAL);
    gdn_stability_release(&st);
    return rho;
}

static void test_scan_boundary(void **state)
{
    (void)state;
    const double gams[] = {0.3, 0.1, 0.6};
    for (size_t k = 0; k < sizeof gams / sizeof *gams; k++) {
        double g = gams[k], lo = 0.01, hi = 3;
        assert_true(rho_at(g, lo) < 1);
        assert_true(rho_at(g, hi) > 1);
        while (hi - lo > 1e-13) {
            double mid = 0.5 * (lo + hi);
            if (rho_at(g, mid) < 1)
                lo = mid;
            else
                hi = mid;
        }
        CLOSE(0.5 * (lo + hi), 4 * g, 1e-9, "boundary for gamma = %g", g);
        /* either side of it, 1e-9 away */
        assert_true(rho_at(g, 4 * g - 1e-9) < 1);
        assert_true(rho_at(g, 4 * g + 1e-9) > 1);
    }
}

/* ------------------------------------------------------- bad input */

static void test_bad_input(void **state)
{
    (void)state;
    const char *opts[] = {"simgd", "altgd", "extragradient", "ogda",
                          "momentum", "consensus"};
    gdn_system sys;
    gdn_run_opts o;
    gdn_stability st;
    gdn_error err;
    double x[2] = {0.1, 0.2};
    mk_sys(&sys, 1, "nsgan", NULL);
    for (size_t k = 0; k < sizeof opts / sizeof *opts; k++) {
        mk_opts(&o, opts[k]);
        gdn_error_clear(&err);
        assert_int_equal(gdn_stability_analyze(&sys, &o, x, 0, &st, &err),
                         GDN_EINVAL);
        assert_int_equal(err.code, GDN_EINVAL);
        assert_non_null(strstr(err.msg, "fixed point"));
        assert_non_null(strstr(err.msg, opts[k]));
        assert_null(st.matrix);
        assert_null(st.eig);
        gdn_stability_release(&st); /* harmless after a failure */
    }
    /* 0 given explicitly is the fixed point */
    double zero[2] = {0, 0};
    mk_opts(&o, "simgd:lr=0.1");
    assert_int_equal(gdn_stability_analyze(&sys, &o, zero, 0, &st, &err),
                     GDN_OK);
    CLOSE(st.rho, sqrt(1.0025), 1e-12, "simgd at an explicit 0");
    gdn_stability_release(&st);
    /* the flow linearises anywhere, and says it is not an equilibrium */
    mk_opts(&o, "flow");
    assert_int_equal(gdn_stability_analyze(&sys, &o, x, 0, &st, &err),
                     GDN_OK);
    assert_non_null(strstr(st.text, "not an equilibrium"));
    gdn_stability_release(&st);
    /* a system that fails its check */
    gdn_system bad = sys;
    bad.n = 0;
    assert_int_equal(gdn_stability_analyze(&bad, &o, NULL, 0, &st, &err),
                     GDN_EINVAL);
    assert_null(st.matrix);
    mk_sys(&bad, 1, "wgan-gp:c=0", NULL);
    bad.model.par[0] = -1; /* lambda < 0 */
    assert_int_equal(gdn_stability_analyze(&bad, &o, NULL, 0, &st, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "lambda"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_flow_gan_nsgan),
        cmocka_unit_test(test_flow_wgan_gp_c0),
        cmocka_unit_test(test_flow_l2_r1),
        cmocka_unit_test(test_flow_instance_noise),
        cmocka_unit_test(test_flow_fgans),
        cmocka_unit_test(test_simgd),
        cmocka_unit_test(test_simgd_ttur),
        cmocka_unit_test(test_altgd),
        cmocka_unit_test(test_altgd_h4),
        cmocka_unit_test(test_altgd_beyond),
        cmocka_unit_test(test_altgd_ttur),
        cmocka_unit_test(test_extragradient),
        cmocka_unit_test(test_momentum_beta0),
        cmocka_unit_test(test_ogda),
        cmocka_unit_test(test_consensus_map),
        cmocka_unit_test(test_nondiff),
        cmocka_unit_test(test_zero_penalty_smooth),
        cmocka_unit_test(test_not_computable),
        cmocka_unit_test(test_discrete_gram),
        cmocka_unit_test(test_rho_vs_simulation),
        cmocka_unit_test(test_scan_boundary),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
