/*
 * test_game.c - the games of gandyn/game.h against independent forms.
 *
 * Dirac game:
 *  - J v and J^T v (closed form, O(n)) against the dense gdn_system_jacobian
 *    multiplied out here, for every model (and parameter variants) with
 *    several regularisers, n = 1, 2, 5, 64, at random points in lanes; and
 *    against central finite differences of xi.
 *    Bound for the dense comparison: both sides are sums of at most 2n + 12
 *    products of the same values (x, v, the partials), so each component's
 *    error is below (2n + 12) eps |J|_abs |v|, where |J|_abs is the
 *    Jacobian's formula (system.c) with every quantity by its absolute
 *    value; for n = 64 that is 140 eps = 3.1e-14 per side, and we allow
 *    1e-13 |J|_abs |v|.
 *  - the lanes (B = 1, 3, 256) are gdn_system_grad of each lane bit for bit,
 *    the game's grad and player_grad too, and the fused gan / nsgan path is
 *    the generic lanes bit for bit;
 *  - observables against a point whose invariants are known, the
 *    equilibrium against the model's partials at 0 (and wgan's known lack
 *    of one), the projection over lanes against wgan-clip's clip.
 * Linear game: grad, J v, J^T v over lanes against the matrix multiplied out
 * here, lane by lane bit for bit; the dispatchers' dense fallback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game/dirac.h"
#include "gandyn/game.h"
#include "gandyn/system.h"
#include "check.h"

/* splitmix64: reproducible random numbers. */
static uint64_t rng_state = 0x5eed5eedULL;
static double urand(void) /* uniform in [-1, 1) */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-52 - 1.0;
}

/* A model (with parameter overrides) and a set of regularisers. */
typedef struct variant {
    const char *model;
    int k0;
    double v0; /* par[k0] = v0 when k0 >= 0 */
} variant;

static const char *const REGSETS[][3] = {
    {NULL}, {"l2", NULL}, {"r1", "gp", NULL}, {"l2g", "r2", NULL},
    {"noise", NULL},
};
#define NREGSETS (sizeof REGSETS / sizeof REGSETS[0])

/* Every model at its defaults, and a few parameter variants. */
static size_t variants(variant *out)
{
    size_t k = 0;
    for (size_t m = 0; gdn_models[m]; m++)
        out[k++] = (variant){gdn_models[m]->name, -1, 0};
    out[k++] = (variant){"gan-qp", 1, 1};      /* divisor phi */
    out[k++] = (variant){"gan-qp", 0, 0.37};   /* lambda */
    out[k++] = (variant){"wgan-gp", 1, 0};     /* zero-centred */
    out[k++] = (variant){"fgan-kl", 0, 1};     /* nonsaturating */
    out[k++] = (variant){"fgan-js", 0, 1};
    out[k++] = (variant){"fgan-pearson", 0, 1};
    return k;
}

/* Builds the system; 0 when the combination does not check (noise on a
 * model that has no noisy form). */
static int make_system(const variant *v, const char *const *regs, size_t n,
                       gdn_system *sys)
{
    const gdn_term_type *m = gdn_term_find(gdn_models, v->model);
    assert_non_null(m);
    assert_int_equal(gdn_system_init(sys, n, m, NULL), GDN_OK);
    if (v->k0 >= 0)
        sys->model.par[v->k0] = v->v0;
    for (size_t k = 0; regs[k]; k++) {
        const gdn_term_type *r = gdn_term_find(gdn_regularizers, regs[k]);
        assert_non_null(r);
        assert_true(gdn_system_add_reg(sys, r, NULL) >= 0);
    }
    gdn_error err;
    return gdn_system_check(sys, &err) == GDN_OK;
}

static void name_case(const variant *v, const char *const *regs, size_t n,
                      const char *what)
{
    int len = snprintf(where, sizeof where, "%s %s[%d]=%g n=%zu", what,
                       v->model, v->k0, v->v0, n);
    for (size_t k = 0; regs[k] && len > 0 && (size_t)len < sizeof where; k++)
        len += snprintf(where + len, sizeof where - (size_t)len, " +%s",
                        regs[k]);
}

/* A random state of length 2n, scaled; sometimes with phi or theta zero
 * (the models' singular sets) or small components. */
static void random_state(size_t n, double *x, int kind)
{
    double scale = kind % 3 == 0 ? 0.3 : (kind % 3 == 1 ? 1.0 : 2.0);
    if (n == 64)
        scale /= 4; /* keep t = theta.phi moderate */
    for (size_t i = 0; i < 2 * n; i++)
        x[i] = scale * urand();
}

/* |J|_abs |v| (see the file's comment) for one state. */
static void abs_bound(size_t n, const double *x, const double *v,
                      const gdn_partials *F, const gdn_partials *G,
                      double *bound)
{
    const double *phi = x, *theta = x + n;
    const double *Fh = F->h, *Gh = G->h;
    double p = fabs(F->g[0]), q = fabs(F->g[1]), r = fabs(G->g[0]),
           s = fabs(G->g[2]);
    for (size_t i = 0; i < n; i++) {
        double up = 0, ut = 0;
        for (size_t j = 0; j < n; j++) {
            double tp = fabs(theta[i]), pp = fabs(phi[i]);
            double tj = fabs(theta[j]), pj = fabs(phi[j]);
            double vp = fabs(v[j]), vt = fabs(v[n + j]);
            up += (tp * (fabs(Fh[0]) * tj + 2 * fabs(Fh[1]) * pj) +
                   2 * pp * (fabs(Fh[3]) * tj + 2 * fabs(Fh[4]) * pj)) * vp;
            up += (tp * (fabs(Fh[0]) * pj + 2 * fabs(Fh[2]) * tj) +
                   2 * pp * (fabs(Fh[3]) * pj + 2 * fabs(Fh[5]) * tj)) * vt;
            ut += (pp * (fabs(Gh[0]) * tj + 2 * fabs(Gh[1]) * pj) +
                   2 * tp * (fabs(Gh[6]) * tj + 2 * fabs(Gh[7]) * pj)) * vp;
            ut += (pp * (fabs(Gh[0]) * pj + 2 * fabs(Gh[2]) * tj) +
                   2 * tp * (fabs(Gh[6]) * pj + 2 * fabs(Gh[8]) * tj)) * vt;
        }
        bound[i] = up + 2 * q * fabs(v[i]) + p * fabs(v[n + i]);
        bound[n + i] = ut + r * fabs(v[i]) + 2 * s * fabs(v[n + i]);
    }
}

/* The same for J^T: |J|_abs^T |v|, from the blocks' separable form (the
 * sums over i of |v_i| times the rows' left factors). */
static void abs_bound_t(size_t n, const double *x, const double *v,
                        const gdn_partials *F, const gdn_partials *G,
                        double *bound)
{
    const double *phi = x, *theta = x + n;
    double H[2][9];
    for (size_t k = 0; k < 9; k++)
        H[0][k] = fabs(F->h[k]), H[1][k] = fabs(G->h[k]);
    double p = fabs(F->g[0]), q = fabs(F->g[1]), r = fabs(G->g[0]),
           s = fabs(G->g[2]);
    /* rows of phi: theta_i (p row) and 2 phi_i (q row); rows of theta:
     * phi_i (r row) and 2 theta_i (s row) */
    double wt = 0, wp = 0, ut = 0, up = 0;
    for (size_t i = 0; i < n; i++) {
        wt += fabs(v[i]) * fabs(theta[i]);
        wp += fabs(v[i]) * fabs(phi[i]);
        up += fabs(v[n + i]) * fabs(phi[i]);
        ut += fabs(v[n + i]) * fabs(theta[i]);
    }
    for (size_t j = 0; j < n; j++) {
        double tj = fabs(theta[j]), pj = fabs(phi[j]);
        bound[j] = wt * (H[0][0] * tj + 2 * H[0][1] * pj) +
                   2 * wp * (H[0][3] * tj + 2 * H[0][4] * pj) +
                   up * (H[1][0] * tj + 2 * H[1][1] * pj) +
                   2 * ut * (H[1][6] * tj + 2 * H[1][7] * pj) +
                   2 * q * fabs(v[j]) + r * fabs(v[n + j]);
        bound[n + j] = wt * (H[0][0] * pj + 2 * H[0][2] * tj) +
                       2 * wp * (H[0][3] * pj + 2 * H[0][5] * tj) +
                       up * (H[1][0] * pj + 2 * H[1][2] * tj) +
                       2 * ut * (H[1][6] * pj + 2 * H[1][8] * tj) +
                       p * fabs(v[j]) + 2 * s * fabs(v[n + j]);
    }
}

#define NMAX 64
#define MMAX (2 * NMAX)
#define BP 3 /* lanes in the products' test */

static const size_t DIMS[] = {1, 2, 5, 64};
#define NDIMS (sizeof DIMS / sizeof DIMS[0])

/* Lanes of points: lane 0..BP-1 states xs[b] into SoA x. */
static void to_lanes(size_t m, size_t B, double (*xs)[MMAX], double *x)
{
    for (size_t b = 0; b < B; b++)
        for (size_t i = 0; i < m; i++)
            x[i * B + b] = xs[b][i];
}

static void test_products_vs_dense(void **state)
{
    (void)state;
    variant vs[32];
    size_t nv = variants(vs);
    static double J[MMAX * MMAX];
    double xs[BP][MMAX], vv[BP][MMAX], x[MMAX * BP], v[MMAX * BP];
    double jv[MMAX * BP], jtv[MMAX * BP], one[MMAX], bound[MMAX];
    size_t checked = 0, not_ok = 0;
    for (size_t iv = 0; iv < nv; iv++)
        for (size_t ir = 0; ir < NREGSETS; ir++)
            for (size_t id = 0; id < NDIMS; id++) {
                size_t n = DIMS[id], m = 2 * n;
                gdn_system sys;
                if (!make_system(&vs[iv], REGSETS[ir], n, &sys))
                    continue;
                name_case(&vs[iv], REGSETS[ir], n, "products");
                gdn_game g;
                assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
                for (int rep = 0; rep < 4; rep++) {
                    for (size_t b = 0; b < BP; b++) {
                        random_state(n, xs[b], rep + (int)b);
                        for (size_t i = 0; i < m; i++)
                            vv[b][i] = urand();
                    }
                    if (rep == 3) { /* the singular sets: phi = 0, theta = 0 */
                        memset(xs[1], 0, n * sizeof(double));
                        memset(xs[2] + n, 0, n * sizeof(double));
                    }
                    to_lanes(m, BP, xs, x);
                    to_lanes(m, BP, vv, v);
                    int st1[BP], st2[BP];
                    gdn_game_jvp(&g, BP, x, v, jv, st1);
                    gdn_game_vjp(&g, BP, x, v, jtv, st2);
                    for (size_t b = 0; b < BP; b++) {
                        int sd = gdn_system_jacobian(&sys, xs[b], J);
                        assert_int_equal(st1[b], sd);
                        assert_int_equal(st2[b], sd);
                        /* a lane alone: the same bits */
                        int s1;
                        double ov[MMAX];
                        gdn_game_jvp(&g, 1, xs[b], vv[b], ov, &s1);
                        for (size_t i = 0; i < m; i++)
                            CHECK_SAME(ov[i], jv[i * BP + b]);
                        gdn_game_vjp(&g, 1, xs[b], vv[b], ov, &s1);
                        for (size_t i = 0; i < m; i++)
                            CHECK_SAME(ov[i], jtv[i * BP + b]);
                        if (sd != GDN_PT_OK) {
                            not_ok++;
                            for (size_t i = 0; i < m; i++) {
                                CHECK_SAME(jv[i * BP + b], 0.0);
                                CHECK_SAME(jtv[i * BP + b], 0.0);
                            }
                            continue;
                        }
                        gdn_partials F, G;
                        double t = 0, a = 0, bb = 0;
                        for (size_t i = 0; i < n; i++) {
                            t += xs[b][n + i] * xs[b][i];
                            a += xs[b][i] * xs[b][i];
                            bb += xs[b][n + i] * xs[b][n + i];
                        }
                        assert_int_equal(gdn_system_partials(
                                             &sys, t, a, bb,
                                             GDN_ORDER_JACOBIAN, &F, &G),
                                         GDN_PT_OK);
                        abs_bound(n, xs[b], vv[b], &F, &G, bound);
                        for (size_t i = 0; i < m; i++) {
                            double acc = 0;
                            for (size_t j = 0; j < m; j++)
                                acc += J[i * m + j] * vv[b][j];
                            one[i] = acc;
                        }
                        for (size_t i = 0; i < m; i++)
                            CHECK_CLOSE(jv[i * BP + b], one[i],
                                        1e-13 * bound[i]);
                        abs_bound_t(n, xs[b], vv[b], &F, &G, bound);
                        for (size_t i = 0; i < m; i++) {
                            double acc = 0;
                            for (size_t j = 0; j < m; j++)
                                acc += J[j * m + i] * vv[b][j];
                            one[i] = acc;
                        }
                        for (size_t i = 0; i < m; i++)
                            CHECK_CLOSE(jtv[i * BP + b], one[i],
                                        1e-13 * bound[i]);
                        checked++;
                    }
                }
            }
    /* most points have a Jacobian; the singular sets do not everywhere */
    assert_true(checked > 1000);
    assert_true(not_ok > 0);
}

/* Central differences of xi along v, at points where xi is smooth. */
static void test_products_vs_fd(void **state)
{
    (void)state;
    variant vs[32];
    size_t nv = variants(vs);
    double x[MMAX], v[MMAX], u[MMAX], xp[MMAX], xm[MMAX], fp[MMAX], fm[MMAX];
    double jv[MMAX], jtv[MMAX], xi[MMAX];
    size_t checked = 0;
    for (size_t iv = 0; iv < nv; iv++)
        for (size_t ir = 0; ir < NREGSETS; ir++)
            for (size_t id = 0; id < NDIMS; id++) {
                size_t n = DIMS[id], m = 2 * n;
                gdn_system sys;
                if (!make_system(&vs[iv], REGSETS[ir], n, &sys))
                    continue;
                name_case(&vs[iv], REGSETS[ir], n, "finite differences");
                gdn_game g;
                assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
                for (int rep = 0; rep < 3; rep++) {
                    random_state(n, x, rep);
                    for (size_t i = 0; i < m; i++)
                        v[i] = urand(), u[i] = urand();
                    if (gdn_game_jvp(&g, 1, x, v, jv, NULL) != GDN_PT_OK)
                        continue;
                    gdn_game_vjp(&g, 1, x, u, jtv, NULL);
                    gdn_game_grad(&g, 1, x, xi, NULL);
                    /* h ~ eps^(1/3): error h^2 xi''' / 6 + eps |xi| / h */
                    const double h = 1e-5;
                    for (size_t i = 0; i < m; i++)
                        xp[i] = x[i] + h * v[i], xm[i] = x[i] - h * v[i];
                    int s1 = gdn_game_grad(&g, 1, xp, fp, NULL);
                    int s2 = gdn_game_grad(&g, 1, xm, fm, NULL);
                    if (s1 != GDN_PT_OK || s2 != GDN_PT_OK)
                        continue;
                    double big = 1, ujv = 0, utv = 0, sc = 0;
                    for (size_t i = 0; i < m; i++)
                        big = fmax(big, fmax(fabs(jv[i]), fabs(xi[i])));
                    for (size_t i = 0; i < m; i++) {
                        double fd = (fp[i] - fm[i]) / (2 * h);
                        CHECK_CLOSE(jv[i], fd, 1e-6 * big);
                        /* u . (J v) = v . (J^T u) */
                        ujv += u[i] * fd;
                        utv += v[i] * jtv[i];
                        sc += fabs(u[i] * fd) + fabs(v[i] * jtv[i]);
                    }
                    CHECK_CLOSE(utv, ujv, 1e-6 * fmax(sc, big));
                    checked++;
                }
            }
    assert_true(checked > 500);
}

/* Lane b of SoA x into a flat state. */
static void gather(size_t m, size_t B, const double *x, size_t b, double *xs)
{
    for (size_t i = 0; i < m; i++)
        xs[i] = x[i * B + b];
}

/* Random lanes with some special ones: zero, phi = 0, theta = 0, -0
 * components, large and non-finite values. */
static void special_lanes(size_t n, size_t B, double *x)
{
    size_t m = 2 * n;
    for (size_t b = 0; b < B; b++) {
        double scale = b % 4 == 0 ? 0.2 : (b % 4 == 1 ? 1.0 : 3.0);
        for (size_t i = 0; i < m; i++)
            x[i * B + b] = scale * urand();
        if (b % 17 == 5)
            for (size_t i = 0; i < n; i++)
                x[i * B + b] = 0;
        if (b % 17 == 6)
            for (size_t i = n; i < m; i++)
                x[i * B + b] = -0.0;
        if (b % 17 == 7)
            for (size_t i = 0; i < m; i++)
                x[i * B + b] = 0;
        if (b % 17 == 8)
            x[b] = 1e200, x[n * B + b] = -3e150;
        if (b % 17 == 9)
            x[(m - 1) * B + b] = INFINITY;
        if (b % 17 == 10)
            x[b] = NAN;
        if (b % 17 == 11) /* |t| large: exp underflows */
            x[b] = 40, x[n * B + b] = -30;
    }
}

static const size_t BS[] = {1, 3, 256};

static void test_lanes_bitwise(void **state)
{
    (void)state;
    variant vs[32];
    size_t nv = variants(vs);
    const size_t dims[] = {1, 2, 5};
    size_t Bmax = 256;
    double *x = malloc(2 * 5 * Bmax * sizeof *x);
    double *xi = malloc(2 * 5 * Bmax * sizeof *xi);
    double *xg = malloc(2 * 5 * Bmax * sizeof *xg);
    double *xpl = malloc(5 * Bmax * sizeof *xpl);
    int *st = malloc(Bmax * sizeof *st), *sg = malloc(Bmax * sizeof *sg);
    assert_non_null(x);
    assert_non_null(xi);
    assert_non_null(xg);
    assert_non_null(xpl);
    assert_non_null(st);
    assert_non_null(sg);
    for (size_t iv = 0; iv < nv; iv++)
        for (size_t ir = 0; ir < NREGSETS; ir++)
            for (size_t id = 0; id < 3; id++)
                for (size_t ib = 0; ib < 3; ib++) {
                    size_t n = dims[id], m = 2 * n, B = BS[ib];
                    gdn_system sys;
                    if (!make_system(&vs[iv], REGSETS[ir], n, &sys))
                        continue;
                    name_case(&vs[iv], REGSETS[ir], n, "lanes");
                    gdn_game g;
                    assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
                    special_lanes(n, B, x);
                    int w = gdn__dirac_grad_lanes(&sys, B, x, 0, m, xi, st);
                    int wg = gdn_game_grad(&g, B, x, xg, sg);
                    int worst = GDN_PT_OK;
                    for (size_t b = 0; b < B; b++) {
                        double xs[10], ys[10];
                        gather(m, B, x, b, xs);
                        int s = gdn_system_grad(&sys, xs, ys);
                        worst = s > worst ? s : worst;
                        assert_int_equal(st[b], s);
                        assert_int_equal(sg[b], s);
                        for (size_t i = 0; i < m; i++) {
                            CHECK_SAME(xi[i * B + b], ys[i]);
                            CHECK_SAME(xg[i * B + b], ys[i]);
                        }
                    }
                    assert_int_equal(w, worst);
                    assert_int_equal(wg, worst);
                    for (size_t p = 0; p < 2; p++) {
                        gdn_game_player_grad(&g, p, B, x, xpl, sg);
                        for (size_t k = 0; k < n * B; k++)
                            CHECK_SAME(xpl[k], xi[p * n * B + k]);
                        for (size_t b = 0; b < B; b++)
                            assert_int_equal(sg[b], st[b]);
                    }
                }
    free(x);
    free(xi);
    free(xg);
    free(xpl);
    free(st);
    free(sg);
}

/* The combined product (one set of partials for J v and J^T v) against
 * the two single products, bit for bit, with their statuses; those are
 * checked against the dense Jacobian and finite differences above. */
static void test_jvp_vjp_combined(void **state)
{
    (void)state;
    variant vs[32];
    size_t nv = variants(vs);
    const size_t dims[] = {1, 2, 5};
    size_t Bmax = 256, len = 2 * 5 * Bmax;
    double *x = malloc(len * sizeof *x), *v = malloc(len * sizeof *v);
    double *jv = malloc(len * sizeof *jv), *jtv = malloc(len * sizeof *jtv);
    double *jv2 = malloc(len * sizeof *jv2);
    double *jtv2 = malloc(len * sizeof *jtv2);
    int *st = malloc(Bmax * sizeof *st), *s1 = malloc(Bmax * sizeof *s1);
    int *s2 = malloc(Bmax * sizeof *s2);
    assert_true(x && v && jv && jtv && jv2 && jtv2 && st && s1 && s2);
    for (size_t iv = 0; iv < nv; iv++)
        for (size_t ir = 0; ir < NREGSETS; ir++)
            for (size_t id = 0; id < 3; id++)
                for (size_t ib = 0; ib < 3; ib++) {
                    size_t n = dims[id], m = 2 * n, B = BS[ib];
                    gdn_system sys;
                    if (!make_system(&vs[iv], REGSETS[ir], n, &sys))
                        continue;
                    name_case(&vs[iv], REGSETS[ir], n, "jvp_vjp");
                    gdn_game g;
                    assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
                    special_lanes(n, B, x);
                    for (size_t k = 0; k < m * B; k++)
                        v[k] = urand();
                    int w = gdn_game_jvp_vjp(&g, B, x, v, jv, jtv, st);
                    int w1 = gdn_game_jvp(&g, B, x, v, jv2, s1);
                    int w2 = gdn_game_vjp(&g, B, x, v, jtv2, s2);
                    assert_int_equal(w, w1 > w2 ? w1 : w2);
                    for (size_t b = 0; b < B; b++) {
                        assert_int_equal(st[b], s1[b]);
                        assert_int_equal(st[b], s2[b]);
                    }
                    for (size_t k = 0; k < m * B; k++) {
                        CHECK_SAME(jv[k], jv2[k]);
                        CHECK_SAME(jtv[k], jtv2[k]);
                    }
                }
    free(x);
    free(v);
    free(jv);
    free(jtv);
    free(jv2);
    free(jtv2);
    free(st);
    free(s1);
    free(s2);
}

/* The fused gan / nsgan path against the generic lanes, bit for bit, in
 * several chunks of lanes and in large n. */
static void test_fused_bitwise(void **state)
{
    (void)state;
    const char *models[] = {"gan", "nsgan"};
    const size_t dims[] = {1, 2, 3, 5, 64};
    const size_t bs[] = {1, 3, 256, 300, 777};
    size_t Bmax = 777, mmax = 128;
    double *x = malloc(mmax * Bmax * sizeof *x);
    double *y1 = malloc(mmax * Bmax * sizeof *y1);
    double *y2 = malloc(mmax * Bmax * sizeof *y2);
    int *s1 = malloc(Bmax * sizeof *s1), *s2 = malloc(Bmax * sizeof *s2);
    assert_non_null(x);
    assert_non_null(y1);
    assert_non_null(y2);
    assert_non_null(s1);
    assert_non_null(s2);
    for (size_t im = 0; im < 2; im++)
        for (size_t id = 0; id < 5; id++)
            for (size_t ib = 0; ib < 5; ib++) {
                size_t n = dims[id], m = 2 * n, B = bs[ib];
                gdn_system sys;
                variant v = {models[im], -1, 0};
                const char *none[] = {NULL};
                assert_true(make_system(&v, none, n, &sys));
                assert_true(gdn__dirac_fused_applies(&sys));
                name_case(&v, none, n, "fused");
                special_lanes(n, B, x);
                int w1 = gdn__dirac_grad_fused(&sys, B, x, 0, m, y1, s1);
                int w2 = gdn__dirac_grad_lanes(&sys, B, x, 0, m, y2, s2);
                assert_int_equal(w1, w2);
                for (size_t b = 0; b < B; b++)
                    assert_int_equal(s1[b], s2[b]);
                for (size_t k = 0; k < m * B; k++)
                    CHECK_SAME(y1[k], y2[k]);
                /* one player's block: the same rows */
                gdn__dirac_grad_fused(&sys, B, x, n, m, y1, NULL);
                for (size_t k = 0; k < n * B; k++)
                    CHECK_SAME(y1[k], y2[n * B + k]);
            }
    /* with a regulariser or another model the fused path does not apply */
    gdn_system sys;
    variant v = {"nsgan", -1, 0};
    const char *l2[] = {"l2", NULL};
    assert_true(make_system(&v, l2, 2, &sys));
    assert_false(gdn__dirac_fused_applies(&sys));
    v.model = "wgan";
    const char *none[] = {NULL};
    assert_true(make_system(&v, none, 2, &sys));
    assert_false(gdn__dirac_fused_applies(&sys));
    free(x);
    free(y1);
    free(y2);
    free(s1);
    free(s2);
}

static void test_observe(void **state)
{
    (void)state;
    gdn_system sys;
    variant v = {"nsgan", -1, 0};
    const char *none[] = {NULL};
    assert_true(make_system(&v, none, 2, &sys));
    gdn_game g;
    assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
    assert_int_equal(g.nobs, 6);
    assert_string_equal(g.obs[0], "|phi|");
    assert_string_equal(g.obs[3], "E");
    assert_string_equal(g.obs[4], "Gamma");
    assert_string_equal(g.player[0], "D");
    assert_string_equal(g.player[1], "G");
    /* phi = (3, 0), theta = (1, 4): |phi| 3, |theta| sqrt 17, |x| sqrt 26,
     * E 13, Gamma = 9 * 17 - 3^2 = 144, t = 3 */
    const double x[4] = {3, 0, 1, 4}, want[6] = {3, sqrt(17), sqrt(26),
                                                 13, 144, 3};
    double out[GDN_MAX_OBS];
    g.type->observe(&g, x, out);
    for (size_t k = 0; k < 6; k++)
        CHECK_CLOSE(out[k], want[k], 1e-15 * want[k]);
    for (uint64_t k = 0; k < 4; k++)
        assert_true(g.rng[k] == 0); /* deterministic: no random state */
}

static void test_equilibrium(void **state)
{
    (void)state;
    double x[8], xi[8];
    for (size_t m = 0; gdn_models[m]; m++) {
        gdn_system sys;
        variant v = {gdn_models[m]->name, -1, 0};
        const char *none[] = {NULL};
        assert_true(make_system(&v, none, 4, &sys));
        snprintf(where, sizeof where, "equilibrium %s", v.model);
        gdn_game g;
        assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
        for (size_t i = 0; i < 8; i++)
            x[i] = 1;
        int has = g.type->equilibrium(&g, x);
        for (size_t i = 0; i < 8; i++)
            CHECK_SAME(x[i], 0.0);
        int s = gdn_system_grad(&sys, x, xi);
        /* an equilibrium exactly where the field exists at 0 and vanishes */
        int vanishes = s != GDN_PT_UNDEFINED;
        for (size_t i = 0; i < 8; i++)
            vanishes &= xi[i] == 0;
        assert_int_equal(has, vanishes);
        if (!strcmp(v.model, "wgan")) /* phi = 0: no field (model.h) */
            assert_false(has);
        if (!strcmp(v.model, "nsgan") || !strcmp(v.model, "lsgan"))
            assert_true(has);
    }
}

static void test_project_lanes(void **state)
{
    (void)state;
    gdn_system sys;
    variant v = {"wgan-clip", 0, 0.5};
    const char *none[] = {NULL};
    assert_true(make_system(&v, none, 2, &sys));
    gdn_game g;
    assert_int_equal(gdn_game_dirac(&g, &sys, NULL), GDN_OK);
    /* 3 lanes of (phi0, phi1, theta0, theta1) */
    const double lanes[3][4] = {{0.7, -0.2, 2, -3}, {-0.9, 0.5, 0.1, 0.2},
                                {0.1, -0.6, 0.7, 0.8}};
    const double want[3][4] = {{0.5, -0.2, 2, -3}, {-0.5, 0.5, 0.1, 0.2},
                               {0.1, -0.5, 0.7, 0.8}};
    double x[12];
    for (size_t b = 0; b < 3; b++)
        for (size_t i = 0; i < 4; i++)
            x[i * 3 + b] = lanes[b][i];
    g.type->project(&g, 1, 3, x); /* the generator has no projection */
    for (size_t b = 0; b < 3; b++)
        for (size_t i = 0; i < 4; i++)
            CHECK_SAME(x[i * 3 + b], lanes[b][i]);
    g.type->project(&g, 0, 3, x);
    for (size_t b = 0; b < 3; b++)
        for (size_t i = 0; i < 4; i++)
            CHECK_SAME(x[i * 3 + b], want[b][i]);
    double one[4];
    memcpy(one, lanes[0], sizeof one);
    g.type->project(&g, 0, 1, one);
    for (size_t i = 0; i < 4; i++)
        CHECK_SAME(one[i], want[0][i]);
}

/* A game with only grad and a dense Jacobian: the dispatchers' fallback. */
static int dense_only_jacobian(const gdn_game *g, const double *x, double *J)
{
    (void)x;
    memcpy(J, g->self, g->dim * g->dim * sizeof *J);
    return GDN_PT_OK;
}

static void test_linear(void **state)
{
    (void)state;
    enum { M = 5, B = 7 };
    double J[M * M];
    for (size_t k = 0; k < M * M; k++)
        J[k] = urand();
    const size_t sizes[] = {2, 3};
    gdn_game g;
    gdn_error err;
    assert_int_equal(gdn_game_linear(&g, M, 2, sizes, J, &err), GDN_OK);
    assert_int_equal(gdn_game_block(&g, 1), 3);
    const size_t bad[] = {2, 2};
    assert_int_equal(gdn_game_linear(&g, M, 2, bad, J, &err), GDN_EINVAL);
    assert_int_equal(gdn_game_linear(&g, M, 2, sizes, J, &err), GDN_OK);
    double x[M * B], v[M * B], xi[M * B], jv[M * B], jtv[M * B], xp[3 * B];
    for (size_t k = 0; k < M * B; k++)
        x[k] = urand(), v[k] = urand();
    int st[B];
    assert_int_equal(gdn_game_grad(&g, B, x, xi, st), GDN_PT_OK);
    assert_int_equal(gdn_game_jvp(&g, B, x, v, jv, st), GDN_PT_OK);
    assert_int_equal(gdn_game_vjp(&g, B, x, v, jtv, st), GDN_PT_OK);
    assert_int_equal(gdn_game_player_grad(&g, 1, B, x, xp, st), GDN_PT_OK);
    snprintf(where, sizeof where, "linear");
    for (size_t b = 0; b < B; b++) {
        double xs[M], vs[M], one[M];
        gather(M, B, x, b, xs);
        gather(M, B, v, b, vs);
        gdn_game_grad(&g, 1, xs, one, NULL);
        for (size_t i = 0; i < M; i++) {
            double s = 0, sv = 0, st_ = 0, sc = 0, sct = 0;
            for (size_t j = 0; j < M; j++) {
                s += J[i * M + j] * xs[j];
                sv += J[i * M + j] * vs[j];
                st_ += J[j * M + i] * vs[j];
                sc += fabs(J[i * M + j] * vs[j]);
                sct += fabs(J[j * M + i] * vs[j]);
            }
            CHECK_SAME(one[i], xi[i * B + b]); /* lanes = B 1 */
            CHECK_SAME(xi[i * B + b], s);      /* column order */
            CHECK_CLOSE(jv[i * B + b], sv, 1e-15 * sc);
            CHECK_CLOSE(jtv[i * B + b], st_, 1e-15 * sct);
        }
    }
    for (size_t k = 0; k < 3 * B; k++)
        CHECK_SAME(xp[k], xi[2 * B + k]);
    /* and through the dispatcher's fallback (no player_grad) */
    gdn_game_type plain = *g.type;
    plain.player_grad = NULL;
    gdn_game gp = g;
    gp.type = &plain;
    assert_int_equal(gdn_game_player_grad(&gp, 1, B, x, xp, st), GDN_PT_OK);
    for (size_t k = 0; k < 3 * B; k++)
        CHECK_SAME(xp[k], xi[2 * B + k]);
    double z[M];
    assert_int_equal(g.type->equilibrium(&g, z), 1);

    /* the dense fallback of the dispatchers */
    gdn_game_type dense = *g.type;
    dense.jvp = dense.vjp = NULL;
    dense.jacobian = dense_only_jacobian;
    gdn_game gd = g;
    gd.type = &dense;
    double jv2[M * B], jtv2[M * B];
    assert_int_equal(gdn_game_jvp(&gd, B, x, v, jv2, st), GDN_PT_OK);
    assert_int_equal(gdn_game_vjp(&gd, B, x, v, jtv2, st), GDN_PT_OK);
    for (size_t k = 0; k < M * B; k++) {
        CHECK_SAME(jv2[k], jv[k]); /* the same sums in the same order */
        CHECK_SAME(jtv2[k], jtv[k]);
    }
    /* with neither: zero products, no Jacobian */
    dense.jacobian = NULL;
    assert_int_equal(gdn_game_jvp(&gd, B, x, v, jv2, st), GDN_PT_EXTENDED);
    for (size_t k = 0; k < M * B; k++)
        CHECK_SAME(jv2[k], 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_products_vs_dense),
        cmocka_unit_test(test_products_vs_fd),
        cmocka_unit_test(test_lanes_bitwise),
        cmocka_unit_test(test_jvp_vjp_combined),
        cmocka_unit_test(test_fused_bitwise),
        cmocka_unit_test(test_observe),
        cmocka_unit_test(test_equilibrium),
        cmocka_unit_test(test_project_lanes),
        cmocka_unit_test(test_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
