/*
 * test_step_jacobian.c - every discrete optimizer of the registry, with
 * every combination of its enumerated parameters (schedule, order, align,
 * ...), ndis 1 and 2, and equal and split learning rates:
 *
 *  1. the linearised step map stability analysis uses (the method's own
 *     step on the linear game, on x and the lin_mem part of the memory,
 *     the rest set by lin_init) equals central finite differences of one
 *     actual step: on Dirac games at their equilibrium (the matrix of
 *     gdn_stability_analyze) and on linear games with unequal and more
 *     than two players at a random point (a linear method's step is affine
 *     there, so the unit-vector images are its derivative everywhere);
 *  2. a method flagged GDN_OPT_NONSMOOTH is indeed not differentiable at
 *     the equilibrium (its difference quotient grows like 1 / h);
 *  3. B lanes step bit for bit like B single runs (each lane its own
 *     learning rates and start), with the lane statuses of single runs.
 *
 * A new optimizer added to the registry is covered without a line here.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dynamics/optim.h"
#include "gandyn.h"
#include "gandyn/game.h"

#define MAXV 64   /* variants of one optimizer */
#define MAXN 16   /* augmented state of the small games here */

/* One variant: the optimizer's parameter values (table order). */
typedef struct variant {
    double par[GDN_MAX_PARAMS];
    char name[160];
} variant;

/* Every combination of the enumerated parameters' choices, ndis in {1, 2}
 * and lr_d = lr_g or not; returns the count. */
static size_t variants_of(const gdn_opt_type *opt, variant *v)
{
    const gdn_param *p = opt->params;
    size_t np = gdn_param_count(p), axes[GDN_MAX_PARAMS], nvals[GDN_MAX_PARAMS];
    size_t na = 0, total = 1;
    size_t k_ndis = gdn_param_index(p, "ndis");
    size_t k_lrd = gdn_param_index(p, "lr_d");
    for (size_t k = 0; k < np; k++) {
        size_t c = (p[k].flags & GDN_PARAM_ENUM) ? (size_t)p[k].hi + 1
                   : k == k_ndis || k == k_lrd  ? 2
                                                : 1;
        if (c > 1)
            axes[na] = k, nvals[na++] = c, total *= c;
    }
    assert_true(total <= MAXV);
    for (size_t i = 0; i < total; i++) {
        gdn_run_opts o;
        gdn_run_opts_init(&o, opt);
        size_t r = i;
        int used = snprintf(v[i].name, sizeof v[i].name, "%s", opt->name);
        for (size_t a = 0; a < na; a++) {
            size_t k = axes[a], j = r % nvals[a];
            r /= nvals[a];
            if (k == k_ndis)
                o.par[k] = 1 + (double)j;
            else if (k == k_lrd) {
                if (j) /* split rates: D faster than G */
                    o.par[k] = 0.13, o.par[gdn_param_index(p, "lr_g")] = 0.07;
            } else
                o.par[k] = (double)j;
            if (k == k_lrd)
                used += snprintf(v[i].name + used,
                                 sizeof v[i].name - (size_t)used, " %s",
                                 j ? "lr_d=0.13,lr_g=0.07" : "lr_d=lr_g");
            else
                used += snprintf(v[i].name + used,
                                 sizeof v[i].name - (size_t)used, " %s=%g",
                                 p[k].key, o.par[k]);
        }
        gdn_error err;
        assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);
        memcpy(v[i].par, o.par, sizeof o.par);
    }
    return total;
}

/* The per-player learning rates of a variant for a game of np players
 * (the Dirac game's D and G; players of a larger game alternate them). */
static void rates_of(const gdn_opt_type *opt, const double *values,
                     size_t np, double *lr)
{
    double s[GDN_MAX_PARAMS];
    gdn_params_fill(opt->params, values, s);
    const struct gdn__lr_par *q = (const void *)s;
    for (size_t p = 0; p < np; p++)
        lr[p] = p % 2 == 0 ? q->lr_d : q->lr_g;
}

/* One step from the augmented state z = (x, lin part of the memory), the
 * rest of the memory as lin_init leaves it, into out (same layout). */
static void step_once(const gdn_opt_type *opt, const gdn_game *g,
                      const double *values, const double *z, double *out)
{
    size_t m = g->dim, lin = opt->lin_mem ? opt->lin_mem(g) : 0;
    size_t memsz = opt->mem_size(g);
    double par[GDN_MAX_PARAMS], lr[GDN_MAX_PLAYERS];
    gdn_params_fill(opt->params, values, par);
    rates_of(opt, values, g->nplayers, lr);
    double *mem = calloc(memsz + 1, sizeof *mem);
    double *work = calloc(GDN_STEP_WORK * m, sizeof *work);
    assert_non_null(mem);
    assert_non_null(work);
    if (opt->lin_init)
        opt->lin_init(g, 1, mem);
    memcpy(out, z, m * sizeof *z);
    memcpy(mem, z + m, lin * sizeof *z);
    int st;
    struct gdn_step_ctx ctx = {.game = g, .B = 1, .par = par, .lr = lr,
                               .mem = mem, .work = work, .st = &st};
    assert_int_equal(opt->step(&ctx, out), GDN_PT_OK);
    memcpy(out + m, mem, lin * sizeof *mem);
    free(mem);
    free(work);
}

/* Two steps from z keeping the whole memory between them; out as above. */
static void two_steps(const gdn_opt_type *opt, const gdn_game *g,
                      const double *values, const double *z, double *out)
{
    size_t m = g->dim, lin = opt->lin_mem ? opt->lin_mem(g) : 0;
    size_t memsz = opt->mem_size(g);
    double par[GDN_MAX_PARAMS], lr[GDN_MAX_PLAYERS];
    gdn_params_fill(opt->params, values, par);
    rates_of(opt, values, g->nplayers, lr);
    double *mem = calloc(memsz + 1, sizeof *mem);
    double *work = calloc(GDN_STEP_WORK * m, sizeof *work);
    assert_non_null(mem);
    assert_non_null(work);
    if (opt->lin_init)
        opt->lin_init(g, 1, mem);
    memcpy(out, z, m * sizeof *z);
    memcpy(mem, z + m, lin * sizeof *z);
    int st;
    struct gdn_step_ctx ctx = {.game = g, .B = 1, .par = par, .lr = lr,
                               .mem = mem, .work = work, .st = &st};
    assert_int_equal(opt->step(&ctx, out), GDN_PT_OK);
    assert_int_equal(opt->step(&ctx, out), GDN_PT_OK);
    memcpy(out + m, mem, lin * sizeof *mem);
    free(mem);
    free(work);
}

/* The memory beyond lin_mem is scratch or flags at their steady value
 * (lin_init): two steps keeping all of the memory are bit for bit two
 * steps of the map on (x, lin part) with the rest reset by lin_init.  (A
 * buffer left out of lin_mem would carry state and break this.) */
static void check_state_complete(const gdn_opt_type *opt, const gdn_game *g,
                                 const double *values, const double *z,
                                 size_t N, const char *what)
{
    double once[MAXN], twice[MAXN], kept[MAXN];
    step_once(opt, g, values, z, once);
    step_once(opt, g, values, once, twice);
    two_steps(opt, g, values, z, kept);
    for (size_t i = 0; i < N; i++)
        if (memcmp(&twice[i], &kept[i], sizeof kept[i]) != 0)
            fail_msg("%s: component %zu after two steps: %.17g on the map, "
                     "%.17g keeping the memory (state outside lin_mem?)",
                     what, i, twice[i], kept[i]);
}

/* Central differences of one step at z with step h into D (N x N). */
static void fd_matrix(const gdn_opt_type *opt, const gdn_game *g,
                      const double *values, const double *z, size_t N,
                      double h, double *D)
{
    double zp[MAXN], zm[MAXN], fp[MAXN], fm[MAXN];
    for (size_t j = 0; j < N; j++) {
        memcpy(zp, z, N * sizeof *z);
        memcpy(zm, z, N * sizeof *z);
        zp[j] += h, zm[j] -= h;
        step_once(opt, g, values, zp, fp);
        step_once(opt, g, values, zm, fm);
        for (size_t i = 0; i < N; i++)
            D[i * N + j] = (fp[i] - fm[i]) / (2 * h);
    }
}

/* M (N x N) against central differences at z.  The tolerance is the FD
 * error itself: D(h) - M' = c h^2 + O(h^4) for a smooth step, so
 * |D(h) - D(2h)| = 3 |c| h^2 bounds three times the truncation error of
 * D(h) (for an affine step it is pure rounding); rounding adds at most a
 * few ulps of the outputs' size S divided by h, and of |M| itself. */
static void check_against_fd(const gdn_opt_type *opt, const gdn_game *g,
                             const double *values, const double *z, size_t N,
                             const double *M, const char *what)
{
    const double h = 1e-5;
    double D1[MAXN * MAXN], D2[MAXN * MAXN], f0[MAXN];
    fd_matrix(opt, g, values, z, N, h, D1);
    fd_matrix(opt, g, values, z, N, 2 * h, D2);
    step_once(opt, g, values, z, f0);
    double S = 1;
    for (size_t i = 0; i < N; i++)
        S = fmax(S, fabs(f0[i]));
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            double tol = fabs(D1[i * N + j] - D2[i * N + j]) +
                         64 * DBL_EPSILON * (S / h + fabs(M[i * N + j]));
            /* a sharp test: the tolerance is far below the entries */
            assert_true(tol < 1e-6);
            if (!(fabs(M[i * N + j] - D1[i * N + j]) <= tol))
                fail_msg("%s: M[%zu][%zu] = %.17g, finite differences %.17g "
                         "(tol %.3g)", what, i, j, M[i * N + j],
                         D1[i * N + j], tol);
        }
}

static const char *const dirac_specs[][3] = {
    /* model, regulariser ("" for none), n */
    {"nsgan", "", "1"},
    {"gan", "l2:gamma=0.3", "2"},
    {"lsgan", "r1:gamma=0.2", "3"},
    {"wgan-gp:lambda=0.4,c=0", "", "2"},
};

static void make_system(size_t k, gdn_system *sys)
{
    gdn_error err;
    const char *reg = dirac_specs[k][1];
    size_t n = (size_t)atoi(dirac_specs[k][2]);
    assert_int_equal(gdn_system_from_specs(sys, n, dirac_specs[k][0], &reg,
                                           reg[0] ? 1 : 0, NULL, NULL, &err),
                     GDN_OK);
}

/* 1. On Dirac games: the analysis' matrix at the equilibrium. */
static void test_dirac_equilibrium(void **state)
{
    (void)state;
    size_t checked = 0;
    for (const gdn_opt_type *const *o = gdn_optimizers; *o; o++) {
        const gdn_opt_type *opt = *o;
        if (opt->flags & (GDN_OPT_FLOW | GDN_OPT_NONSMOOTH))
            continue;
        variant v[MAXV];
        size_t nv = variants_of(opt, v);
        for (size_t s = 0; s < sizeof dirac_specs / sizeof dirac_specs[0];
             s++) {
            gdn_system sys;
            gdn_game g;
            gdn_error err;
            make_system(s, &sys);
            assert_int_equal(gdn_game_dirac(&g, &sys, &err), GDN_OK);
            for (size_t i = 0; i < nv; i++) {
                gdn_run_opts ro;
                gdn_run_opts_init(&ro, opt);
                memcpy(ro.par, v[i].par, sizeof ro.par);
                gdn_stability an;
                assert_int_equal(
                    gdn_stability_analyze(&sys, &ro, NULL, 0, &an, &err),
                    GDN_OK);
                size_t lin = opt->lin_mem ? opt->lin_mem(&g) : 0;
                size_t N = g.dim + lin;
                assert_int_equal(an.dim, N);
                assert_non_null(an.matrix);
                double z[MAXN] = {0};
                char what[256];
                snprintf(what, sizeof what, "%s on %s %s n=%s", v[i].name,
                         dirac_specs[s][0], dirac_specs[s][1],
                         dirac_specs[s][2]);
                check_against_fd(opt, &g, v[i].par, z, N, an.matrix, what);
                for (size_t j = 0; j < N; j++)
                    z[j] = 0.01 * (double)(j + 1);
                check_state_complete(opt, &g, v[i].par, z, N, what);
                gdn_stability_release(&an);
                checked++;
            }
        }
    }
    assert_true(checked >= 40);
}

/* xorshift64* in (-1, 1) */
static double rnd(uint64_t *s)
{
    *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
    return (double)((*s * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0 *
               2 - 1;
}

/* 1. On linear games: the unit-vector images at 0 (the analysis' own
 * construction) against differences at a random point. */
static void test_linear_games(void **state)
{
    (void)state;
    static const size_t shapes[][4] = {
        /* dim, nplayers, sizes... */
        {5, 2, 2, 3},
        {4, 3, 1, 1},
    };
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (size_t s = 0; s < 2; s++) {
        size_t dim = shapes[s][0], np = shapes[s][1];
        size_t sizes[3] = {shapes[s][2], shapes[s][3], 0};
        if (np == 3)
            sizes[2] = dim - sizes[0] - sizes[1];
        double J[MAXN * MAXN];
        for (size_t i = 0; i < dim * dim; i++)
            J[i] = rnd(&seed);
        gdn_game g;
        gdn_error err;
        assert_int_equal(gdn_game_linear(&g, dim, np, sizes, J, &err), GDN_OK);
        for (const gdn_opt_type *const *o = gdn_optimizers; *o; o++) {
            const gdn_opt_type *opt = *o;
            if (opt->flags & (GDN_OPT_FLOW | GDN_OPT_NONSMOOTH))
                continue;
            variant v[MAXV];
            size_t nv = variants_of(opt, v);
            size_t lin = opt->lin_mem ? opt->lin_mem(&g) : 0, N = dim + lin;
            assert_true(N <= MAXN);
            for (size_t i = 0; i < nv; i++) {
                /* as the analysis builds it: unit vectors scaled by 2^-20 */
                double M[MAXN * MAXN], z[MAXN], e[MAXN], f[MAXN];
                for (size_t j = 0; j < N; j++) {
                    memset(e, 0, sizeof e);
                    e[j] = 0x1p-20;
                    step_once(opt, &g, v[i].par, e, f);
                    for (size_t r = 0; r < N; r++)
                        M[r * N + j] = f[r] * 0x1p20;
                }
                /* near 0: sga's align chooses its sign by p q / d + 1/10
                 * with p q quartic in x, so the step is linear only within
                 * a neighbourhood of the fixed point (|x| = 0.01 is well
                 * inside it) */
                for (size_t j = 0; j < N; j++)
                    z[j] = 0.01 * rnd(&seed);
                char what[256];
                snprintf(what, sizeof what, "%s on linear game %zu", v[i].name,
                         s);
                check_against_fd(opt, &g, v[i].par, z, N, M, what);
                check_state_complete(opt, &g, v[i].par, z, N, what);
            }
        }
    }
}

/* 2. A nonsmooth method's difference quotient at the equilibrium grows as
 * h shrinks (Adam, RMSprop: the step is about lr sign(g) for |g| >> eps),
 * so no linearisation exists there, as the flag tells the analysis. */
static void test_nonsmooth_flag(void **state)
{
    (void)state;
    gdn_system sys;
    gdn_game g;
    gdn_error err;
    make_system(0, &sys);
    assert_int_equal(gdn_game_dirac(&g, &sys, &err), GDN_OK);
    size_t seen = 0;
    for (const gdn_opt_type *const *o = gdn_optimizers; *o; o++) {
        const gdn_opt_type *opt = *o;
        if (!(opt->flags & GDN_OPT_NONSMOOTH))
            continue;
        variant v[MAXV];
        size_t nv = variants_of(opt, v);
        for (size_t i = 0; i < nv; i++) {
            double q[2];
            for (int k = 0; k < 2; k++) {
                double h = k == 0 ? 1e-3 : 1e-6, z[MAXN] = {0}, f[MAXN];
                z[0] = h;
                step_once(opt, &g, v[i].par, z, f);
                q[k] = fabs(f[1]) / h; /* theta moves by ~ lr, not ~ h */
            }
            if (!(q[1] > 100 * q[0]))
                fail_msg("%s: quotients %g (h = 1e-3), %g (h = 1e-6): the "
                         "step looks differentiable", v[i].name, q[0], q[1]);
        }
        seen++;
    }
    assert_true(seen >= 2);
}

/* 3. Lanes: B = 3 lanes, each with its own rates and start, bit for bit
 * the single runs, over several steps (memory, schedules, wgan-clip's
 * projection and an undefined lane included). */
static void test_lanes_bitwise(void **state)
{
    (void)state;
    static const char *const models[] = {"nsgan", "wgan-clip:c=0.15", "wgan"};
    enum { B = 3, NSTEP = 6 };
    for (size_t mi = 0; mi < 3; mi++) {
        gdn_system sys;
        gdn_game g;
        gdn_error err;
        const char *none = NULL;
        assert_int_equal(gdn_system_from_specs(&sys, 2, models[mi], &none, 0,
                                               NULL, NULL, &err),
                         GDN_OK);
        assert_int_equal(gdn_game_dirac(&g, &sys, &err), GDN_OK);
        size_t m = g.dim;
        for (const gdn_opt_type *const *o = gdn_optimizers; *o; o++) {
            const gdn_opt_type *opt = *o;
            if (opt->flags & GDN_OPT_FLOW)
                continue;
            variant v[MAXV];
            size_t nv = variants_of(opt, v);
            size_t memsz = opt->mem_size(&g);
            for (size_t i = 0; i < nv; i++) {
                double par[GDN_MAX_PARAMS], lr1[2], lrB[2 * B];
                gdn_params_fill(opt->params, v[i].par, par);
                rates_of(opt, v[i].par, 2, lr1);
                double x0[B][4] = {{0.1, 0.2, 0.2, 0.1},
                                   {-0.3, 0.05, 0.4, -0.2},
                                   {0, 0, 0.3, 0.1}}; /* wgan: undefined */
                for (size_t b = 0; b < B; b++)
                    for (size_t p = 0; p < 2; p++)
                        lrB[p * B + b] = lr1[p] * (1 + 0.5 * (double)b);
                /* the lanes together */
                double xB[4 * B], memB[64 * B], workB[GDN_STEP_WORK * 4 * B];
                int stB[B], stB_all[NSTEP][B];
                assert_true(memsz <= 64);
                memset(memB, 0, sizeof memB);
                for (size_t c = 0; c < m; c++)
                    for (size_t b = 0; b < B; b++)
                        xB[c * B + b] = x0[b][c];
                struct gdn_step_ctx cB = {.game = &g, .B = B, .par = par,
                                          .lr = lrB, .mem = memB,
                                          .work = workB, .st = stB};
                for (int k = 0; k < NSTEP; k++) {
                    opt->step(&cB, xB);
                    memcpy(stB_all[k], stB, sizeof stB);
                }
                /* each lane alone */
                uint64_t nevals0 = 0;
                for (size_t b = 0; b < B; b++) {
                    double x[4], mem[64], work[GDN_STEP_WORK * 4], lr[2];
                    int st;
                    memcpy(x, x0[b], sizeof x);
                    memset(mem, 0, sizeof mem);
                    lr[0] = lrB[b], lr[1] = lrB[B + b];
                    struct gdn_step_ctx c1 = {.game = &g, .B = 1, .par = par,
                                              .lr = lr, .mem = mem,
                                              .work = work, .st = &st};
                    int undefined = 0;
                    for (int k = 0; k < NSTEP && !undefined; k++) {
                        int rc = opt->step(&c1, x);
                        assert_int_equal(st, rc);
                        assert_int_equal(stB_all[k][b], st);
                        undefined = st == GDN_PT_UNDEFINED;
                    }
                    if (b == 0)
                        nevals0 = c1.nevals;
                    if (undefined) /* garbage by contract */
                        continue;
                    for (size_t c = 0; c < m; c++)
                        if (memcmp(&x[c], &xB[c * B + b], sizeof x[c]) != 0)
                            fail_msg("%s on %s: lane %zu component %zu: "
                                     "%.17g alone, %.17g in lanes",
                                     v[i].name, models[mi], b, c, x[c],
                                     xB[c * B + b]);
                    for (size_t r = 0; r < memsz; r++)
                        assert_memory_equal(&mem[r], &memB[r * B + b],
                                            sizeof mem[r]);
                }
                assert_int_equal(cB.nevals, nevals0);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dirac_equilibrium),
        cmocka_unit_test(test_linear_games),
        cmocka_unit_test(test_nonsmooth_flag),
        cmocka_unit_test(test_lanes_bitwise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
