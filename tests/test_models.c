/*
 * test_models.c - the scalar losses of every model and regulariser, and the
 * vector field and Jacobian built from them (gandyn/model.h, system.h).
 *
 * Every model in gdn_models[] and every regulariser in gdn_regularizers[] is
 * exercised with "high-entropy" parameter values (lambda 0.37, 1.9; c 0,
 * 0.83; gamma 0.29, 1.9; every enum choice) at random points drawn from our
 * own xorshift generator (fixed seed), in dimensions n = 1, 2, 5.
 *
 * Finite differences.  Central differences with step h = 1e-5 max(|x|, 1e-2)
 * have truncation error h^2 |f'''| / 6 (about 1e-10 relative for these
 * smooth functions away from their singular sets, which the sampler avoids
 * by requiring |phi|^2, |theta|^2 >= 0.05) and rounding error about
 * eps |f| / h (about 2e-11 relative).  A tolerance of 1e-7 relative to the
 * size of the quantities involved is therefore three orders of magnitude
 * above the expected error and still fails for any wrong coefficient,
 * factor or sign.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gandyn/model.h"
#include "gandyn/system.h"
#include "check.h"

#define NMAX 5
#define MMAX (2 * NMAX)

/* ------------------------------------------------------------- helpers */


/* xorshift64*: our own generator, so the points never depend on libc. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static void rng_seed(uint64_t s) { rng_state = s ? s : 0x9E3779B97F4A7C15u; }

static double rng_uniform(double lo, double hi)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t r = rng_state * 0x2545F4914F6CDD1Du;
    double u = (double)(r >> 11) * (1.0 / 9007199254740992.0);
    return lo + (hi - lo) * u;
}

/* A random state (phi, theta) of dimension n with |phi|^2, |theta|^2 >= min2
 * (away from every singular set of the catalogue). */
static void random_state(size_t n, double min2, double *x)
{
    for (;;) {
        double a = 0, b = 0;
        for (size_t i = 0; i < n; i++) {
            x[i] = rng_uniform(-1.0, 1.0);
            x[n + i] = rng_uniform(-1.0, 1.0);
            a += x[i] * x[i];
            b += x[n + i] * x[n + i];
        }
        if (a >= min2 && b >= min2)
            return;
    }
}

static void tab_of(size_t n, const double *x, double *tab)
{
    double t = 0, a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        t += x[i] * x[n + i];
        a += x[i] * x[i];
        b += x[n + i] * x[n + i];
    }
    tab[0] = t, tab[1] = a, tab[2] = b;
}

static double fd_step(double x) { return 1e-5 * fmax(fabs(x), 1e-2); }

/* ------------------------------------------------- parameter value sets */

#define MAX_SETS 32

typedef struct par_set {
    double par[GDN_MAX_PARAMS];
} par_set;

/* Candidate values of one parameter. */
static size_t candidates(const gdn_param *p, double *vals)
{
    if (p->flags & GDN_PARAM_ENUM) {
        size_t k = 1;
        for (const char *s = p->choices; s && *s; s++)
            k += *s == '|';
        for (size_t j = 0; j < k; j++)
            vals[j] = (double)j;
        return k;
    }
    if (strcmp(p->key, "lambda") == 0) {
        vals[0] = 0.37, vals[1] = 1.9;
        return 2;
    }
    if (strcmp(p->key, "c") == 0) {
        vals[0] = 0.0, vals[1] = 0.83;
        return 2;
    }
    if (strcmp(p->key, "gamma") == 0) {
        vals[0] = 0.29, vals[1] = 1.9;
        return 2;
    }
    vals[0] = p->def;
    return 1;
}

/* Cartesian product of the candidates of every parameter of a term type. */
static size_t param_sets(const gdn_term_type *type, par_set *sets)
{
    size_t np = gdn_param_count(type->params), nset = 1;
    double vals[GDN_MAX_PARAMS][8];
    size_t nv[GDN_MAX_PARAMS];
    for (size_t k = 0; k < np; k++) {
        nv[k] = candidates(&type->params[k], vals[k]);
        nset *= nv[k];
    }
    assert_true(nset >= 1 && nset <= MAX_SETS);
    for (size_t s = 0; s < nset; s++) {
        size_t r = s;
        memset(&sets[s], 0, sizeof sets[s]);
        for (size_t k = 0; k < np; k++) {
            sets[s].par[k] = vals[k][r % nv[k]];
            r /= nv[k];
        }
    }
    return nset;
}

static void describe(const gdn_term_type *type, const double *par,
                     const char *extra)
{
    int len = snprintf(where, sizeof where, "%s", type->name);
    for (size_t k = 0; k < gdn_param_count(type->params) && len > 0 &&
                       (size_t)len < sizeof where;
         k++)
        len += snprintf(where + len, sizeof where - (size_t)len, " %s=%g",
                        type->params[k].key, par[k]);
    if (len > 0 && (size_t)len < sizeof where)
        snprintf(where + len, sizeof where - (size_t)len, " %s", extra);
}

/* The 13 numbers of a gdn_partials, in the order v, g, h. */
static void flat(const gdn_partials *P, double *out)
{
    out[0] = P->v;
    for (int i = 0; i < 3; i++)
        out[1 + i] = P->g[i];
    for (int i = 0; i < 9; i++)
        out[4 + i] = P->h[i];
}

static void unflat(const double *in, gdn_partials *P)
{
    P->v = in[0];
    for (int i = 0; i < 3; i++)
        P->g[i] = in[1 + i];
    for (int i = 0; i < 9; i++)
        P->h[i] = in[4 + i];
}

static int term_is_potential(const gdn_term_type *type, const double *par)
{
    return type->is_potential == NULL || type->is_potential(par) == 1;
}

static int eval_term(const gdn_term_type *type, const double *par,
                     const double *tab, int order, gdn_partials *F,
                     gdn_partials *G)
{
    memset(F, 0, sizeof *F);
    memset(G, 0, sizeof *G);
    return type->eval(par, tab[0], tab[1], tab[2], order, F, G);
}

/* ------------------------------------------- scalar partials of one term */

static double max_rel_g, max_rel_h; /* observed FD agreement, reported */

/* g against central FD of v (potential terms only), h against central FD of
 * g (always), for both players, at one (t, a, b). */
static void check_term_partials(const gdn_term_type *type, const double *par,
                                const double *tab)
{
    gdn_partials F, G, Fp, Gp, Fm, Gm;
    CHECK_INT(eval_term(type, par, tab, GDN_ORDER_JACOBIAN, &F, &G),
              GDN_PT_OK);
    int potential = term_is_potential(type, par);
    const gdn_partials *P[2] = {&F, &G};
    double gscale[2];
    for (int p = 0; p < 2; p++)
        gscale[p] = fmax(fmax(fabs(P[p]->g[0]), fabs(P[p]->g[1])),
                         fabs(P[p]->g[2]));
    for (int j = 0; j < 3; j++) {
        double tp[3] = {tab[0], tab[1], tab[2]}, tm[3] = {tab[0], tab[1],
                                                           tab[2]};
        double h = fd_step(tab[j]);
        tp[j] += h, tm[j] -= h;
        double dx = tp[j] - tm[j]; /* the step actually taken */
        CHECK_INT(eval_term(type, par, tp, GDN_ORDER_JACOBIAN, &Fp, &Gp),
                  GDN_PT_OK);
        CHECK_INT(eval_term(type, par, tm, GDN_ORDER_JACOBIAN, &Fm, &Gm),
                  GDN_PT_OK);
        const gdn_partials *Pp[2] = {&Fp, &Gp}, *Pm[2] = {&Fm, &Gm};
        for (int p = 0; p < 2; p++) {
            if (potential) {
                double fd = (Pp[p]->v - Pm[p]->v) / dx;
                double tol = 1e-7 * (1.0 + fabs(P[p]->v) + gscale[p]);
                CHECK_CLOSE(P[p]->g[j], fd, tol);
                max_rel_g = fmax(max_rel_g, fabs(P[p]->g[j] - fd) /
                                                (1.0 + gscale[p]));
            }
            for (int i = 0; i < 3; i++) {
                double fd = (Pp[p]->g[i] - Pm[p]->g[i]) / dx;
                double hs = 0;
                for (int k = 0; k < 9; k++)
                    hs = fmax(hs, fabs(P[p]->h[k]));
                double tol = 1e-7 * (1.0 + gscale[p] + hs);
                CHECK_CLOSE(P[p]->h[3 * i + j], fd, tol);
                max_rel_h = fmax(max_rel_h, fabs(P[p]->h[3 * i + j] - fd) /
                                                (1.0 + gscale[p] + hs));
            }
        }
    }
    /* A true loss has a symmetric Hessian. */
    if (potential)
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < i; j++)
                    CHECK_CLOSE(P[p]->h[3 * i + j], P[p]->h[3 * j + i],
                                1e-13 * (1.0 + fabs(P[p]->h[3 * i + j])));
}

/* ORDER_FIELD gives the same v and g; eval adds into what it is given. */
static void check_term_rules(const gdn_term_type *type, const double *par,
                             const double *tab)
{
    gdn_partials F, G, F1, G1, F2, G2;
    CHECK_INT(eval_term(type, par, tab, GDN_ORDER_JACOBIAN, &F, &G),
              GDN_PT_OK);
    CHECK_INT(eval_term(type, par, tab, GDN_ORDER_FIELD, &F1, &G1), GDN_PT_OK);
    CHECK_CLOSE(F1.v, F.v, 0.0);
    CHECK_CLOSE(G1.v, G.v, 0.0);
    for (int i = 0; i < 3; i++) {
        CHECK_CLOSE(F1.g[i], F.g[i], 0.0);
        CHECK_CLOSE(G1.g[i], G.g[i], 0.0);
    }
    /* Rule 1: eval adds.  Start from non-zero contents. */
    double f0[13], g0[13], fe[13], ge[13], f2[13], g2[13];
    for (int k = 0; k < 13; k++) {
        f0[k] = 0.25 * (k + 1);
        g0[k] = -0.5 * (k + 2);
    }
    unflat(f0, &F2);
    unflat(g0, &G2);
    CHECK_INT(type->eval(par, tab[0], tab[1], tab[2], GDN_ORDER_JACOBIAN, &F2,
                         &G2),
              GDN_PT_OK);
    flat(&F, fe), flat(&G, ge), flat(&F2, f2), flat(&G2, g2);
    for (int k = 0; k < 13; k++) {
        CHECK_CLOSE(f2[k], f0[k] + fe[k], 4e-16 * (fabs(f0[k]) + fabs(fe[k])));
        CHECK_CLOSE(g2[k], g0[k] + ge[k], 4e-16 * (fabs(g0[k]) + fabs(ge[k])));
    }
}

static void run_term_checks(const gdn_term_type *type)
{
    static const size_t dims[] = {1, 2, 5};
    par_set sets[MAX_SETS];
    size_t nset = param_sets(type, sets);
    for (size_t s = 0; s < nset; s++) {
        for (size_t d = 0; d < 3; d++) {
            size_t n = dims[d];
            for (int rep = 0; rep < 6; rep++) {
                double x[MMAX], tab[3];
                char extra[64];
                random_state(n, 0.05, x);
                tab_of(n, x, tab);
                snprintf(extra, sizeof extra, "n=%zu t=%.4g a=%.4g b=%.4g", n,
                         tab[0], tab[1], tab[2]);
                describe(type, sets[s].par, extra);
                check_term_partials(type, sets[s].par, tab);
                check_term_rules(type, sets[s].par, tab);
            }
        }
    }
}

static void test_model_partials(void **state)
{
    (void)state;
    rng_seed(0x1234567u);
    max_rel_g = max_rel_h = 0;
    size_t count = 0;
    for (const gdn_term_type *const *m = gdn_models; *m; m++, count++) {
        assert_true(((*m)->flags & GDN_TERM_MODEL) != 0);
        run_term_checks(*m);
    }
    assert_true(count >= 5);
    print_message("models: max FD error of g %.2e, of h %.2e (scaled)\n",
                  max_rel_g, max_rel_h);
}

static void test_regularizer_partials(void **state)
{
    (void)state;
    rng_seed(0x7654321u);
    max_rel_g = max_rel_h = 0;
    size_t count = 0;
    for (const gdn_term_type *const *r = gdn_regularizers; *r; r++, count++) {
        assert_true(((*r)->flags & GDN_TERM_MODEL) == 0);
        run_term_checks(*r);
    }
    assert_true(count >= 5);
    print_message("regularizers: max FD error of g %.2e, of h %.2e\n",
                  max_rel_g, max_rel_h);
}

/* A term that says it is field-only really is: its g is not dv. */
static void test_field_only_is_not_a_gradient(void **state)
{
    (void)state;
    rng_seed(0xABCDEFu);
    const gdn_term_type *qp = gdn_term_find(gdn_models, "gan-qp");
    assert_non_null(qp);
    assert_non_null(qp->is_potential);
    double par[GDN_MAX_PARAMS] = {0.37, 1.0}; /* divisor = phi */
    double par_theta[GDN_MAX_PARAMS] = {0.37, 0.0};
    assert_int_equal(qp->is_potential(par), 0);
    assert_int_equal(qp->is_potential(par_theta), 1);
    double x[MMAX], tab[3];
    random_state(2, 0.05, x);
    tab_of(2, x, tab);
    gdn_partials F, G, Fp, Gp, Fm, Gm;
    eval_term(qp, par, tab, GDN_ORDER_FIELD, &F, &G);
    double tp[3] = {tab[0], tab[1] + 1e-6, tab[2]};
    double tm[3] = {tab[0], tab[1] - 1e-6, tab[2]};
    eval_term(qp, par, tp, GDN_ORDER_FIELD, &Fp, &Gp);
    eval_term(qp, par, tm, GDN_ORDER_FIELD, &Fm, &Gm);
    double dv_da = (Fp.v - Fm.v) / (tp[1] - tm[1]);
    /* the stop-gradient: F_a = 0 although v depends on a */
    assert_true(F.g[1] == 0.0);
    assert_true(fabs(dv_da) > 1e-3);
    /* and the script's field: F_t = 1 + t / (lambda |phi|) */
    strcpy(where, "gan-qp divisor=phi");
    CHECK_CLOSE(F.g[0], 1.0 + tab[0] / (0.37 * sqrt(tab[1])), 1e-15);
}

/* ------------------------------------------------ vectors: grad and J */

/* L_D and L_G at a state, from the system's scalar losses. */
static void losses_at(const gdn_system *sys, const double *x, double *LD,
                      double *LG)
{
    double tab[3];
    gdn_partials F, G;
    tab_of(sys->n, x, tab);
    int st = gdn_system_partials(sys, tab[0], tab[1], tab[2], GDN_ORDER_FIELD,
                                 &F, &G);
    CHECK_INT(st, GDN_PT_OK);
    *LD = F.v, *LG = G.v;
}

static int system_is_potential(const gdn_system *sys)
{
    if (!term_is_potential(sys->model.type, sys->model.par))
        return 0;
    for (size_t k = 0; k < sys->nreg; k++)
        if (!term_is_potential(sys->reg[k].type, sys->reg[k].par))
            return 0;
    return 1;
}

static double max_err_grad, max_err_jac;

static void check_grad_and_jacobian(const gdn_system *sys, const double *x)
{
    size_t n = sys->n, m = 2 * n;
    double xi[MMAX], xp[MMAX], xm[MMAX], gp[MMAX], gm[MMAX];
    double J[MMAX * MMAX];
    CHECK_INT(gdn_system_grad(sys, x, xi), GDN_PT_OK);
    CHECK_INT(gdn_system_jacobian(sys, x, J), GDN_PT_OK);
    double xs = 0, js = 0;
    for (size_t i = 0; i < m; i++)
        xs = fmax(xs, fabs(xi[i]));
    for (size_t i = 0; i < m * m; i++)
        js = fmax(js, fabs(J[i]));
    int potential = system_is_potential(sys);
    double LD0, LG0;
    losses_at(sys, x, &LD0, &LG0);
    for (size_t j = 0; j < m; j++) {
        memcpy(xp, x, m * sizeof *x);
        memcpy(xm, x, m * sizeof *x);
        double h = fd_step(x[j]);
        xp[j] += h, xm[j] -= h;
        double dx = xp[j] - xm[j];
        if (potential) {
            double LDp, LGp, LDm, LGm;
            losses_at(sys, xp, &LDp, &LGp);
            losses_at(sys, xm, &LDm, &LGm);
            /* phi components: dL_D/dphi_j; theta components: dL_G/dtheta */
            double fd = j < n ? (LDp - LDm) / dx : (LGp - LGm) / dx;
            double tol = 1e-7 * (1.0 + xs + fabs(j < n ? LD0 : LG0));
            CHECK_CLOSE(xi[j], fd, tol);
            max_err_grad = fmax(max_err_grad, fabs(xi[j] - fd) / (1.0 + xs));
        }
        CHECK_INT(gdn_system_grad(sys, xp, gp), GDN_PT_OK);
        CHECK_INT(gdn_system_grad(sys, xm, gm), GDN_PT_OK);
        for (size_t i = 0; i < m; i++) {
            double fd = (gp[i] - gm[i]) / dx;
            CHECK_CLOSE(J[i * m + j], fd, 1e-7 * (1.0 + xs + js));
            max_err_jac =
                fmax(max_err_jac, fabs(J[i * m + j] - fd) / (1.0 + xs + js));
        }
    }
}

static void set_reg(gdn_system *sys, const char *name, double p0, double p1)
{
    const gdn_term_type *r = gdn_term_find(gdn_regularizers, name);
    assert_non_null(r);
    int k = gdn_system_add_reg(sys, r, NULL);
    assert_true(k >= 0);
    sys->reg[k].par[0] = p0;
    sys->reg[k].par[1] = p1;
}

static void test_system_grad_and_jacobian_fd(void **state)
{
    (void)state;
    rng_seed(0xFEEDBEEFu);
    static const size_t dims[] = {1, 2, 5};
    size_t cases = 0;
    for (const gdn_term_type *const *m = gdn_models; *m; m++) {
        par_set sets[MAX_SETS];
        size_t nset = param_sets(*m, sets);
        for (size_t s = 0; s < nset; s++)
            for (int regs = 0; regs < 3; regs++)
                for (size_t d = 0; d < 3; d++) {
                    gdn_system sys;
                    assert_int_equal(gdn_system_init(&sys, dims[d], *m, NULL),
                                     GDN_OK);
                    memcpy(sys.model.par, sets[s].par, sizeof sys.model.par);
                    if (regs == 1) { /* both players regularised */
                        set_reg(&sys, "l2", 0.29, 0);
                        set_reg(&sys, "l2g", 1.9, 0);
                    } else if (regs == 2) { /* every regulariser at once */
                        set_reg(&sys, "l2", 0.29, 0);
                        set_reg(&sys, "r1", 0.37, 0);
                        set_reg(&sys, "r2", 1.9, 0);
                        set_reg(&sys, "gp", 0.37, 0.83);
                        set_reg(&sys, "l2g", 0.29, 0);
                    }
                    for (int rep = 0; rep < 4; rep++) {
                        double x[MMAX];
                        char extra[64];
                        random_state(dims[d], 0.09, x);
                        snprintf(extra, sizeof extra, "regs=%d n=%zu rep=%d",
                                 regs, dims[d], rep);
                        describe(*m, sets[s].par, extra);
                        check_grad_and_jacobian(&sys, x);
                        cases++;
                    }
                }
    }
    assert_true(cases > 100);
    print_message("system: %zu points, max FD error of xi %.2e, of J %.2e\n",
                  cases, max_err_grad, max_err_jac);
}

/* The field against the flow column of docs/models.md, written out in
 * vector form (xi = -(phi', theta')). */
static void test_field_matches_design_table(void **state)
{
    (void)state;
    rng_seed(0x5151u);
    for (size_t n = 1; n <= NMAX; n++)
        for (int rep = 0; rep < 5; rep++) {
            double x[MMAX], xi[MMAX], want[MMAX], tab[3];
            random_state(n, 0.05, x);
            tab_of(n, x, tab);
            const double *phi = x, *theta = x + n;
            double t = tab[0], np = sqrt(tab[1]), nt = sqrt(tab[2]);
            double sg = 1.0 / (1.0 + exp(-t)); /* fine for |t| <= 5 */
            struct {
                const char *name;
                double p0, p1;
            } cases[] = {{"gan", 0, 0},        {"nsgan", 0, 0},
                         {"wgan", 0, 0},       {"wgan-gp", 0.37, 0.83},
                         {"wgan-gp", 1.9, 0},  {"gan-qp", 0.37, 0},
                         {"gan-qp", 1.9, 1}};
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                gdn_system sys;
                const gdn_term_type *type =
                    gdn_term_find(gdn_models, cases[c].name);
                assert_non_null(type);
                assert_int_equal(gdn_system_init(&sys, n, type, NULL), GDN_OK);
                sys.model.par[0] = cases[c].p0;
                sys.model.par[1] = cases[c].p1;
                /* plus l2 (gamma 0.29), gp (0.37, 0.83) and l2g (1.9) */
                set_reg(&sys, "l2", 0.29, 0);
                set_reg(&sys, "gp", 0.37, 0.83);
                set_reg(&sys, "l2g", 1.9, 0);
                double lam = cases[c].p0, cc = cases[c].p1;
                for (size_t i = 0; i < n; i++) {
                    double wp, wt;
                    if (c == 0) {
                        wp = sg * theta[i], wt = -sg * phi[i];
                    } else if (c == 1) {
                        wp = sg * theta[i], wt = -(1 - sg) * phi[i];
                    } else if (c == 2) {
                        wp = theta[i] / np - t * phi[i] / (np * np * np);
                        wt = -phi[i] / np;
                    } else if (c <= 4) {
                        wp = theta[i] + 2 * lam * (1 - cc / np) * phi[i];
                        wt = -phi[i];
                    } else {
                        double d = cc == 1 ? np : nt;
                        wp = theta[i] + t * theta[i] / (lam * d);
                        wt = -phi[i];
                    }
                    wp += 0.29 * phi[i] + 2 * 0.37 * (1 - 0.83 / np) * phi[i];
                    wt += 1.9 * theta[i];
                    want[i] = wp, want[n + i] = wt;
                }
                snprintf(where, sizeof where, "%s(%g,%g)+l2+gp+l2g n=%zu",
                         cases[c].name, lam, cc, n);
                CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_OK);
                for (size_t i = 0; i < 2 * n; i++)
                    CHECK_CLOSE(xi[i], want[i], 1e-13 * (1 + fabs(want[i])));
            }
        }
}

/* gdn_system_partials sums the terms and reports the worst status. */
static void test_system_partials_sum(void **state)
{
    (void)state;
    gdn_system sys;
    const gdn_term_type *ns = gdn_term_find(gdn_models, "nsgan");
    assert_int_equal(gdn_system_init(&sys, 3, ns, NULL), GDN_OK);
    set_reg(&sys, "l2", 0.29, 0);
    set_reg(&sys, "l2g", 1.9, 0);
    gdn_partials F, G;
    double t = 0.3, a = 0.7, b = 1.1;
    strcpy(where, "nsgan+l2+l2g");
    CHECK_INT(gdn_system_partials(&sys, t, a, b, GDN_ORDER_FIELD, &F, &G),
              GDN_PT_OK);
    double sp = log1p(exp(t)), spm = log1p(exp(-t));
    CHECK_CLOSE(F.v, sp + 0.5 * 0.29 * a, 1e-15);
    CHECK_CLOSE(G.v, spm + 0.5 * 1.9 * b, 1e-15);
    CHECK_CLOSE(F.g[1], 0.5 * 0.29, 1e-16);
    CHECK_CLOSE(G.g[2], 0.5 * 1.9, 1e-16);
    /* the worst status wins: gp with c > 0 at a = 0 */
    set_reg(&sys, "gp", 0.37, 0.83);
    CHECK_INT(gdn_system_partials(&sys, 0.0, 0.0, b, GDN_ORDER_FIELD, &F, &G),
              GDN_PT_EXTENDED);
    assert_true(isfinite(F.v) && isfinite(F.g[0]) && isfinite(F.g[1]));
}

/* ------------------------------------------------------- singular points */

static void fill(double *v, size_t k, double val)
{
    for (size_t i = 0; i < k; i++)
        v[i] = val;
}

static void test_wgan_undefined_at_phi0(void **state)
{
    (void)state;
    const gdn_term_type *w = gdn_term_find(gdn_models, "wgan");
    assert_non_null(w);
    for (size_t n = 1; n <= NMAX; n += 2) {
        gdn_system sys;
        double x[MMAX], xi[MMAX], J[MMAX * MMAX];
        assert_int_equal(gdn_system_init(&sys, n, w, NULL), GDN_OK);
        for (size_t i = 0; i < n; i++)
            x[i] = 0.0, x[n + i] = 0.3 + 0.1 * (double)i;
        snprintf(where, sizeof where, "wgan phi=0 n=%zu", n);
        fill(xi, 2 * n, 7.0);
        CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_UNDEFINED);
        for (size_t i = 0; i < 2 * n; i++)
            CHECK_CLOSE(xi[i], 0.0, 0.0);
        fill(J, 4 * n * n, 7.0);
        CHECK_INT(gdn_system_jacobian(&sys, x, J), GDN_PT_UNDEFINED);
        for (size_t i = 0; i < 4 * n * n; i++)
            CHECK_CLOSE(J[i], 0.0, 0.0);
        /* the scalar term too, and it writes no NaN */
        gdn_partials F, G;
        memset(&F, 0, sizeof F), memset(&G, 0, sizeof G);
        CHECK_INT(w->eval(NULL, 0.0, 0.0, 0.5, GDN_ORDER_JACOBIAN, &F, &G),
                  GDN_PT_UNDEFINED);
        double fv[13], gv[13];
        flat(&F, fv), flat(&G, gv);
        for (int k = 0; k < 13; k++)
            assert_true(isfinite(fv[k]) && isfinite(gv[k]));
    }
}

static void test_gan_qp_extended_at_theta0(void **state)
{
    (void)state;
    const gdn_term_type *qp = gdn_term_find(gdn_models, "gan-qp");
    assert_non_null(qp);
    for (size_t n = 1; n <= NMAX; n += 2) {
        gdn_system sys;
        double x[MMAX], xi[MMAX], J[MMAX * MMAX];
        assert_int_equal(gdn_system_init(&sys, n, qp, NULL), GDN_OK);
        sys.model.par[0] = 0.37; /* divisor theta (default) */
        assert_true(sys.model.par[1] == 0.0);
        for (size_t i = 0; i < n; i++)
            x[i] = 0.45 - 0.2 * (double)i, x[n + i] = 0.0;
        snprintf(where, sizeof where, "gan-qp lambda=0.37 theta=0 n=%zu", n);
        /* phi' = -theta - t theta/(lambda |theta|) -> 0, theta' = phi */
        fill(xi, 2 * n, 7.0);
        CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_EXTENDED);
        for (size_t i = 0; i < n; i++) {
            CHECK_CLOSE(xi[i], 0.0, 0.0);
            CHECK_CLOSE(xi[n + i], -x[i], 0.0);
        }
        /* continuity: at theta = eps u the field is within
         * eps (1 + |phi|/lambda) of that value */
        double y[MMAX], eta[MMAX], eps = 1e-9, np = 0;
        for (size_t i = 0; i < n; i++)
            np += x[i] * x[i];
        np = sqrt(np);
        memcpy(y, x, sizeof y);
        for (size_t i = 0; i < n; i++)
            y[n + i] = eps * (i % 2 ? -0.6 : 0.8);
        CHECK_INT(gdn_system_grad(&sys, y, eta), GDN_PT_OK);
        for (size_t i = 0; i < 2 * n; i++)
            CHECK_CLOSE(eta[i], xi[i], eps * (1 + np / 0.37));
        /* the Jacobian does not exist there: status and a zero matrix */
        fill(J, 4 * n * n, 7.0);
        CHECK_INT(gdn_system_jacobian(&sys, x, J), GDN_PT_EXTENDED);
        for (size_t i = 0; i < 4 * n * n; i++)
            CHECK_CLOSE(J[i], 0.0, 0.0);
        /* with l2 (gamma 0.29) on D: xi_phi = gamma phi */
        set_reg(&sys, "l2", 0.29, 0);
        CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_EXTENDED);
        for (size_t i = 0; i < n; i++)
            CHECK_CLOSE(xi[i], 0.29 * x[i], 1e-17);
        /* divisor = phi: undefined at phi = 0 (t/|phi| has no limit) */
        gdn_system s2;
        assert_int_equal(gdn_system_init(&s2, n, qp, NULL), GDN_OK);
        s2.model.par[1] = 1.0;
        for (size_t i = 0; i < n; i++)
            x[i] = 0.0, x[n + i] = 0.5;
        fill(xi, 2 * n, 7.0);
        CHECK_INT(gdn_system_grad(&s2, x, xi), GDN_PT_UNDEFINED);
        for (size_t i = 0; i < 2 * n; i++)
            CHECK_CLOSE(xi[i], 0.0, 0.0);
    }
}

static void test_wgan_gp_at_phi0(void **state)
{
    (void)state;
    const gdn_term_type *wg = gdn_term_find(gdn_models, "wgan-gp");
    assert_non_null(wg);
    for (size_t n = 1; n <= NMAX; n += 2) {
        gdn_system sys;
        double x[MMAX], xi[MMAX], J[MMAX * MMAX];
        assert_int_equal(gdn_system_init(&sys, n, wg, NULL), GDN_OK);
        for (size_t i = 0; i < n; i++)
            x[i] = 0.0, x[n + i] = -0.3 + 0.25 * (double)i;
        /* c = 0.83 > 0: minimum-norm extension, xi = (theta, 0) */
        sys.model.par[0] = 1.9, sys.model.par[1] = 0.83;
        snprintf(where, sizeof where, "wgan-gp c=0.83 phi=0 n=%zu", n);
        fill(xi, 2 * n, 7.0);
        CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_EXTENDED);
        for (size_t i = 0; i < n; i++) {
            CHECK_CLOSE(xi[i], x[n + i], 0.0);
            CHECK_CLOSE(xi[n + i], 0.0, 0.0);
        }
        fill(J, 4 * n * n, 7.0);
        CHECK_INT(gdn_system_jacobian(&sys, x, J), GDN_PT_EXTENDED);
        for (size_t i = 0; i < 4 * n * n; i++)
            CHECK_CLOSE(J[i], 0.0, 0.0);
        /* c = 0: smooth, OK, same field */
        sys.model.par[1] = 0.0;
        snprintf(where, sizeof where, "wgan-gp c=0 phi=0 n=%zu", n);
        CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_OK);
        for (size_t i = 0; i < n; i++) {
            CHECK_CLOSE(xi[i], x[n + i], 0.0);
            CHECK_CLOSE(xi[n + i], 0.0, 0.0);
        }
        CHECK_INT(gdn_system_jacobian(&sys, x, J), GDN_PT_OK);
        /* the gp regulariser with c > 0 on nsgan: also EXTENDED */
        gdn_system s2;
        assert_int_equal(
            gdn_system_init(&s2, n, gdn_term_find(gdn_models, "nsgan"), NULL),
            GDN_OK);
        set_reg(&s2, "gp", 0.37, 0.83);
        CHECK_INT(gdn_system_grad(&s2, x, xi), GDN_PT_EXTENDED);
        for (size_t i = 0; i < n; i++) { /* sigma(0) theta, -sigma(0) 0 */
            CHECK_CLOSE(xi[i], 0.5 * x[n + i], 0.0);
            CHECK_CLOSE(xi[n + i], 0.0, 0.0);
        }
    }
}

/* ------------------------------------------------------------- stability */

static void test_softplus_sigmoid_stability(void **state)
{
    (void)state;
    strcpy(where, "softplus/sigmoid");
    /* large arguments: exact or underflowing, never inf or NaN */
    CHECK_CLOSE(gdn_softplus(800.0), 800.0, 0.0);
    CHECK_CLOSE(gdn_sigmoid(800.0), 1.0, 0.0);
    /* exp(-800) = 3.7e-348 is below the smallest subnormal: 0 */
    assert_true(isfinite(gdn_softplus(-800.0)) && gdn_softplus(-800.0) >= 0);
    assert_true(gdn_softplus(-800.0) <= 4.9406564584124654e-324);
    assert_true(isfinite(gdn_sigmoid(-800.0)) && gdn_sigmoid(-800.0) >= 0);
    assert_true(gdn_sigmoid(-800.0) <= 4.9406564584124654e-324);
    /* +-40: relative 1e-15 against the log1p / exp forms */
    double e40 = exp(-40.0); /* 4.248e-18 */
    CHECK_CLOSE(gdn_softplus(40.0), 40.0 + log1p(e40), 1e-15 * 40.0);
    CHECK_CLOSE(gdn_softplus(-40.0), log1p(e40), 1e-15 * e40);
    CHECK_CLOSE(gdn_softplus(-40.0), e40 - 0.5 * e40 * e40, 1e-15 * e40);
    CHECK_CLOSE(gdn_sigmoid(-40.0), e40 / (1.0 + e40), 1e-15 * e40);
    CHECK_CLOSE(gdn_sigmoid(40.0), 1.0 / (1.0 + e40), 1e-16);
    /* 0 */
    CHECK_CLOSE(gdn_softplus(0.0), 0.69314718055994530942, 1e-16);
    CHECK_CLOSE(gdn_sigmoid(0.0), 0.5, 0.0);
    /* moderate arguments against the naive forms */
    for (double u = -30.0; u <= 30.0; u += 0.37) {
        double sp = log1p(exp(u)), sg = 1.0 / (1.0 + exp(-u));
        CHECK_CLOSE(gdn_softplus(u), sp, 2e-15 * sp);
        CHECK_CLOSE(gdn_sigmoid(u), sg, 2e-15 * sg);
        CHECK_CLOSE(gdn_sigmoid(u) + gdn_sigmoid(-u), 1.0, 2.3e-16);
    }
}

static void test_sigmoid_gans_extreme_t(void **state)
{
    (void)state;
    static const char *names[] = {"gan", "nsgan"};
    for (int k = 0; k < 2; k++) {
        const gdn_term_type *type = gdn_term_find(gdn_models, names[k]);
        assert_non_null(type);
        gdn_system sys;
        assert_int_equal(gdn_system_init(&sys, 1, type, NULL), GDN_OK);
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            /* phi = 40, theta = +-25: t = +-1000 */
            double x[2] = {40.0, 25.0 * sgn}, xi[2], J[4];
            snprintf(where, sizeof where, "%s t=%d", names[k], 1000 * sgn);
            CHECK_INT(gdn_system_grad(&sys, x, xi), GDN_PT_OK);
            CHECK_INT(gdn_system_jacobian(&sys, x, J), GDN_PT_OK);
            assert_true(isfinite(xi[0]) && isfinite(xi[1]));
            for (int i = 0; i < 4; i++)
                assert_true(isfinite(J[i]));
            gdn_partials F, G;
            memset(&F, 0, sizeof F), memset(&G, 0, sizeof G);
            double t = 1000.0 * sgn;
            CHECK_INT(type->eval(NULL, t, 1600.0, 625.0, GDN_ORDER_JACOBIAN,
                                 &F, &G),
                      GDN_PT_OK);
            double fv[13], gv[13];
            flat(&F, fv), flat(&G, gv);
            for (int i = 0; i < 13; i++)
                assert_true(isfinite(fv[i]) && isfinite(gv[i]));
            CHECK_CLOSE(F.v, sgn > 0 ? 1000.0 : 0.0, 0.0); /* softplus(t) */
            /* xi_phi = sigma(t) theta */
            CHECK_CLOSE(xi[0], sgn > 0 ? 25.0 : 0.0, 1e-300);
            if (k == 1) { /* xi_theta = -sigma(-t) phi */
                CHECK_CLOSE(G.v, sgn > 0 ? 0.0 : 1000.0, 0.0);
                CHECK_CLOSE(xi[1], sgn > 0 ? 0.0 : -40.0, 1e-300);
            } else { /* xi_theta = -sigma(t) phi */
                CHECK_CLOSE(G.v, sgn > 0 ? -1000.0 : 0.0, 0.0);
                CHECK_CLOSE(xi[1], sgn > 0 ? -40.0 : 0.0, 1e-300);
            }
        }
        /* t = 40: the generator's small field keeps relative precision */
        gdn_partials F, G;
        memset(&F, 0, sizeof F), memset(&G, 0, sizeof G);
        type->eval(NULL, 40.0, 1.0, 1600.0, GDN_ORDER_JACOBIAN, &F, &G);
        double e40 = exp(-40.0), s_m = e40 / (1 + e40);
        snprintf(where, sizeof where, "%s t=40", names[k]);
        if (k == 1)
            CHECK_CLOSE(G.g[0], -s_m, 1e-15 * s_m);
        CHECK_CLOSE(F.h[0], s_m / (1 + e40), 1e-15 * s_m);
        memset(&F, 0, sizeof F), memset(&G, 0, sizeof G);
        type->eval(NULL, -40.0, 1.0, 1600.0, GDN_ORDER_JACOBIAN, &F, &G);
        snprintf(where, sizeof where, "%s t=-40", names[k]);
        CHECK_CLOSE(F.g[0], s_m, 1e-15 * s_m);
        CHECK_CLOSE(F.v, e40 - 0.5 * e40 * e40, 1e-15 * e40);
    }
}

/* ------------------------------------------------ closed forms at x = 0 */

static void jacobian_at_zero(const char *model, double p0, double p1,
                             const char *reg, double rp0, size_t n, double *J,
                             int expect_status)
{
    gdn_system sys;
    const gdn_term_type *type = gdn_term_find(gdn_models, model);
    assert_non_null(type);
    assert_int_equal(gdn_system_init(&sys, n, type, NULL), GDN_OK);
    sys.model.par[0] = p0;
    sys.model.par[1] = p1;
    if (reg)
        set_reg(&sys, reg, rp0, 0);
    double x[MMAX] = {0};
    fill(J, 4 * n * n, 7.0);
    CHECK_INT(gdn_system_jacobian(&sys, x, J), expect_status);
}

/* Expected [[A I, B I], [C I, D I]] (blocks n x n). */
static void check_blocks(const double *J, size_t n, double A, double B,
                         double C, double D, double tol)
{
    size_t m = 2 * n;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) {
            double blk = i < n ? (j < n ? A : B) : (j < n ? C : D);
            double want = (i % n == j % n) ? blk : 0.0;
            CHECK_CLOSE(J[i * m + j], want, tol);
        }
}

static void test_closed_forms_at_equilibrium(void **state)
{
    (void)state;
    double J[MMAX * MMAX];
    for (size_t n = 1; n <= NMAX; n++) {
        /* xi_phi = F_t theta + 2 F_a phi, xi_theta = G_t phi + 2 G_b theta;
         * at x = 0: d xi_phi/d theta = F_t(0) = sigma(0) = 1/2 and
         * d xi_theta/d phi = G_t(0) = -sigma(0) (gan) or -sigma(-0) (nsgan) */
        snprintf(where, sizeof where, "gan n=%zu", n);
        jacobian_at_zero("gan", 0, 0, NULL, 0, n, J, GDN_PT_OK);
        check_blocks(J, n, 0.0, 0.5, -0.5, 0.0, 0.0);
        snprintf(where, sizeof where, "nsgan n=%zu", n);
        jacobian_at_zero("nsgan", 0, 0, NULL, 0, n, J, GDN_PT_OK);
        check_blocks(J, n, 0.0, 0.5, -0.5, 0.0, 0.0);
        /* l2 (gamma): F_a += gamma/2, so gamma I in the phi-phi block */
        static const char *regs[] = {"l2", "r1", "r2"};
        for (int r = 0; r < 3; r++) {
            snprintf(where, sizeof where, "nsgan+%s 0.29 n=%zu", regs[r], n);
            jacobian_at_zero("nsgan", 0, 0, regs[r], 0.29, n, J, GDN_PT_OK);
            check_blocks(J, n, 0.29, 0.5, -0.5, 0.0, 1e-16);
        }
        /* l2g (gamma): gamma I in the theta-theta block */
        snprintf(where, sizeof where, "gan+l2g 1.9 n=%zu", n);
        jacobian_at_zero("gan", 0, 0, "l2g", 1.9, n, J, GDN_PT_OK);
        check_blocks(J, n, 0.0, 0.5, -0.5, 1.9, 1e-16);
        /* wgan-gp c = 0: F = t + lambda a, G = -t */
        static const double lams[] = {0.1, 0.37, 1.9};
        for (int l = 0; l < 3; l++) {
            snprintf(where, sizeof where, "wgan-gp lambda=%g c=0 n=%zu",
                     lams[l], n);
            jacobian_at_zero("wgan-gp", lams[l], 0.0, NULL, 0, n, J,
                             GDN_PT_OK);
            check_blocks(J, n, 2 * lams[l], 1.0, -1.0, 0.0, 1e-16);
        }
        /* non-differentiable equilibria: status and a zero matrix */
        snprintf(where, sizeof where, "gan-qp at 0 n=%zu", n);
        jacobian_at_zero("gan-qp", 1.0, 0.0, NULL, 0, n, J, GDN_PT_EXTENDED);
        check_blocks(J, n, 0, 0, 0, 0, 0.0);
        snprintf(where, sizeof where, "wgan-gp c=0.83 at 0 n=%zu", n);
        jacobian_at_zero("wgan-gp", 0.37, 0.83, NULL, 0, n, J,
                         GDN_PT_EXTENDED);
        check_blocks(J, n, 0, 0, 0, 0, 0.0);
        snprintf(where, sizeof where, "wgan at 0 n=%zu", n);
        jacobian_at_zero("wgan", 0, 0, NULL, 0, n, J, GDN_PT_UNDEFINED);
        check_blocks(J, n, 0, 0, 0, 0, 0.0);
    }
}

/* ---------------------------------------------------------- registry */

static void test_registry(void **state)
{
    (void)state;
    static const char *models[] = {"gan", "nsgan", "wgan", "wgan-gp",
                                   "gan-qp"};
    static const char *regs[] = {"l2", "r1", "r2", "gp", "l2g"};
    for (int k = 0; k < 5; k++) {
        const gdn_term_type *m = gdn_term_find(gdn_models, models[k]);
        assert_non_null(m);
        assert_string_equal(m->name, models[k]);
        assert_null(gdn_term_find(gdn_regularizers, models[k]));
        const gdn_term_type *r = gdn_term_find(gdn_regularizers, regs[k]);
        assert_non_null(r);
        assert_null(gdn_term_find(gdn_models, regs[k]));
    }
    assert_null(gdn_term_find(gdn_models, "nsga"));
    gdn_system sys;
    gdn_error err;
    assert_int_equal(gdn_system_init(&sys, 0,
                                     gdn_term_find(gdn_models, "gan"), &err),
                     GDN_EINVAL);
    assert_int_equal(gdn_system_init(&sys, 2,
                                     gdn_term_find(gdn_regularizers, "l2"),
                                     &err),
                     GDN_EINVAL);
    assert_int_equal(gdn_system_init(&sys, 2,
                                     gdn_term_find(gdn_models, "gan-qp"),
                                     &err),
                     GDN_OK);
    assert_true(sys.model.par[0] == 1.0); /* lambda default: the seed's 1 */
    assert_int_equal(gdn_system_add_reg(&sys,
                                        gdn_term_find(gdn_models, "gan"),
                                        &err),
                     GDN_EINVAL);
    for (int k = 0; k < GDN_MAX_REGS; k++)
        assert_int_equal(gdn_system_add_reg(
                             &sys, gdn_term_find(gdn_regularizers, "l2"),
                             &err),
                         k);
    assert_int_equal(gdn_system_add_reg(
                         &sys, gdn_term_find(gdn_regularizers, "l2"), &err),
                     GDN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_model_partials),
        cmocka_unit_test(test_regularizer_partials),
        cmocka_unit_test(test_field_only_is_not_a_gradient),
        cmocka_unit_test(test_system_partials_sum),
        cmocka_unit_test(test_system_grad_and_jacobian_fd),
        cmocka_unit_test(test_field_matches_design_table),
        cmocka_unit_test(test_wgan_undefined_at_phi0),
        cmocka_unit_test(test_gan_qp_extended_at_theta0),
        cmocka_unit_test(test_wgan_gp_at_phi0),
        cmocka_unit_test(test_softplus_sigmoid_stability),
        cmocka_unit_test(test_sigmoid_gans_extreme_t),
        cmocka_unit_test(test_closed_forms_at_equilibrium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
