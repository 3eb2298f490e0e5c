/*
 * test_term_lanes.c - every term's eval_lanes against its eval, and the
 * system over lanes (gdn__system_grad_lanes) against gdn_system_partials.
 *
 * A sweep batch evaluates the field coefficients of all its lanes in one
 * call per term (eval_lanes, vectorised); a single run calls eval.  A
 * sweep's record equals the single run's only if the two give the same
 * bits, so here they must, at every point: random ones and the special
 * values where terms branch or their formulas break down (t = -1, the
 * hinge's kink; a = 0 or b = 0, where wgan and gan-qp are undefined or
 * extended; |t| beyond exp's range; +-0, subnormals, inf, NaN), for every
 * parameter choice, on coefficients that already hold values (eval adds),
 * with statuses that must rise to the term's and never fall.  NaN compares
 * equal to NaN whatever its sign or payload (IEEE leaves them to the
 * instruction); every other value is compared bit for bit.  And the
 * projections over lanes (project_lanes) against project.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gandyn/model.h"
#include "gandyn/system.h"
#include "models/terms.h"
#include "check.h"

enum { LMAX = 67 };

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_u64(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * (double)(next_u64() >> 11) * 0x1p-53;
}

/* Where the terms branch or their formulas break down. */
static const double special[] = {
    0.0,     -0.0,     -1.0,     1.0,      -1.0 + 0x1p-52, 0x1p-1074,
    -0x1p-1074, 1e-310, 1e-300, -1e-300, 0.05,   2.5,
    -2.5,    700.0,    -700.0,   709.9,    -709.9, 745.5,
    -745.5,  800.0,    -800.0,   1e300,    -1e300, INFINITY,
    -INFINITY, NAN};
enum { NSPECIAL = sizeof special / sizeof special[0] };

/* A point: a special value or a random one on a log scale, of either sign
 * (a and b too: eval must not care where they come from). */
static double draw(void)
{
    uint64_t u = next_u64() % 4;
    if (u == 0)
        return special[next_u64() % NSPECIAL];
    double m = pow(10.0, uniform(-3, 2.5));
    return u == 1 ? -m : m;
}


/* Candidate values of parameter k: its default, 0 where accepted, two
 * ordinary values, every choice of an enum. */
static size_t candidates(const gdn_param *p, double *v)
{
    size_t m = 0;
    if (p->flags & GDN_PARAM_ENUM) {
        for (double c = p->lo; c <= p->hi; c++)
            v[m++] = c;
        return m;
    }
    v[m++] = p->def;
    if (p->lo <= 0 && !(p->lo == 0 && (p->flags & GDN_PARAM_LO_OPEN)))
        v[m++] = 0.0;
    v[m++] = 0.37;
    v[m++] = 1.9;
    return m;
}

/* Lanes at random points with random prior coefficients and statuses,
 * through eval_lanes, against eval lane by lane. */
static void check_term_at(const gdn_term_type *type, const double *par,
                          size_t L)
{
    double t[LMAX], a[LMAX], b[LMAX];
    double f[3][LMAX], g[3][LMAX];
    int st[LMAX];
    for (size_t l = 0; l < L; l++) {
        t[l] = draw(), a[l] = draw(), b[l] = draw();
        for (int k = 0; k < 3; k++) {
            /* mostly 0 (the model comes first), else what a model left */
            f[k][l] = next_u64() % 2 ? 0.0 : uniform(-3, 3);
            g[k][l] = next_u64() % 2 ? 0.0 : uniform(-3, 3);
        }
        st[l] = (int)(next_u64() % 3);
    }
    gdn_partials want_f[LMAX], want_g[LMAX];
    int want_st[LMAX];
    for (size_t l = 0; l < L; l++) {
        memset(&want_f[l], 0, sizeof want_f[l]);
        memset(&want_g[l], 0, sizeof want_g[l]);
        for (int k = 0; k < 3; k++)
            want_f[l].g[k] = f[k][l], want_g[l].g[k] = g[k][l];
        int s = type->eval(par, t[l], a[l], b[l], GDN_ORDER_GRAD, &want_f[l],
                           &want_g[l]);
        want_st[l] = s > st[l] ? s : st[l];
    }
    double *const F[3] = {f[0], f[1], f[2]}, *const G[3] = {g[0], g[1], g[2]};
    type->eval_lanes(par, L, t, a, b, F, G, st);
    for (size_t l = 0; l < L; l++) {
        snprintf(where, sizeof where,
                 "%s (%g, %g) L %zu lane %zu: t %a a %a b %a", type->name,
                 par[0], par[1], L, l, t[l], a[l], b[l]);
        for (int k = 0; k < 3; k++) {
            CHECK_SAME(f[k][l], want_f[l].g[k]);
            CHECK_SAME(g[k][l], want_g[l].g[k]);
        }
        CHECK_INT(st[l], want_st[l]);
    }
}

static void check_list(const gdn_term_type *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        const gdn_term_type *type = list[i];
        snprintf(where, sizeof where, "%s", type->name);
        /* every term of the catalogue runs over lanes */
        if (!type->eval_lanes) {
            print_error("[%s] has no eval_lanes\n", where);
            fail();
        }
        size_t np = gdn_param_count(type->params);
        assert_true(np <= 2);
        double v0[8] = {0}, v1[8] = {0};
        size_t m0 = np > 0 ? candidates(&type->params[0], v0) : 1;
        size_t m1 = np > 1 ? candidates(&type->params[1], v1) : 1;
        for (size_t j0 = 0; j0 < m0; j0++)
            for (size_t j1 = 0; j1 < m1; j1++) {
                double par[GDN_MAX_PARAMS] = {v0[j0], v1[j1]};
                for (size_t L = 1; L <= LMAX; L += 3)
                    check_term_at(type, par, L);
                for (int rep = 0; rep < 40; rep++)
                    check_term_at(type, par, LMAX);
            }
    }
}

static void test_models_over_lanes(void **state)
{
    (void)state;
    check_list(gdn_models);
}

static void test_regularizers_over_lanes(void **state)
{
    (void)state;
    check_list(gdn_regularizers);
}

/* A system's coefficients over lanes against gdn_system_partials lane by
 * lane: every model alone, with one regulariser, with two, and under
 * instance noise (the model's eval_noisy, lane by lane). */
static void check_system(const gdn_system *sys, size_t L)
{
    double t[LMAX], a[LMAX], b[LMAX], f[3][LMAX], g[3][LMAX];
    int st[LMAX];
    for (size_t l = 0; l < L; l++) {
        t[l] = draw(), a[l] = fabs(draw()), b[l] = fabs(draw());
        st[l] = 7; /* overwritten */
        for (int k = 0; k < 3; k++)
            f[k][l] = g[k][l] = 5.0; /* overwritten */
    }
    double *const F[3] = {f[0], f[1], f[2]}, *const G[3] = {g[0], g[1], g[2]};
    int worst = gdn__system_grad_lanes(sys, L, t, a, b, F, G, st);
    int want_worst = GDN_PT_OK;
    for (size_t l = 0; l < L; l++) {
        gdn_partials P, Q;
        int s = gdn_system_partials(sys, t[l], a[l], b[l], GDN_ORDER_GRAD, &P,
                                    &Q);
        want_worst = s > want_worst ? s : want_worst;
        snprintf(where, sizeof where, "%s + %zu regs, lane %zu: t %a a %a b %a",
                 sys->model.type->name, sys->nreg, l, t[l], a[l], b[l]);
        for (int k = 0; k < 3; k++) {
            CHECK_SAME(f[k][l], P.g[k]);
            CHECK_SAME(g[k][l], Q.g[k]);
        }
        CHECK_INT(st[l], s);
    }
    CHECK_INT(worst, want_worst);
}

static void test_systems_over_lanes(void **state)
{
    (void)state;
    size_t nreg = 0;
    while (gdn_regularizers[nreg])
        nreg++;
    for (size_t i = 0; gdn_models[i]; i++)
        for (size_t j = 0; j <= nreg; j++) /* j = nreg: no regulariser */
            for (int with_gp = 0; with_gp <= 1; with_gp++) {
                const gdn_term_type *m = gdn_models[i];
                const gdn_term_type *r = j < nreg ? gdn_regularizers[j] : NULL;
                if (r && (r->flags & GDN_TERM_NOISE) && !m->eval_noisy)
                    continue;
                gdn_system sys;
                gdn_error err;
                assert_int_equal(gdn_system_init(&sys, 2, m, &err), GDN_OK);
                if (r) {
                    int k = gdn_system_add_reg(&sys, r, &err);
                    assert_true(k >= 0);
                    sys.reg[k].par[0] = 0.29;
                }
                if (with_gp) { /* then gp centred at 0.83 */
                    int k = gdn_system_add_reg(&sys, &gdn_reg_gp, &err);
                    assert_true(k >= 0);
                    sys.reg[k].par[1] = 0.83;
                }
                assert_int_equal(gdn_system_check(&sys, &err), GDN_OK);
                for (size_t L = 1; L <= LMAX; L += 11)
                    check_system(&sys, L);
            }
}

/* A projection over lanes (project_lanes, stride B >= L) against the
 * term's project lane by lane: every term that has one has both, and
 * they agree bit for bit at random and special values (NaN, +-0, +-inf,
 * the bound itself) in 1-5 dimensions for every parameter choice; the
 * lanes beyond L and the rows of theta are not touched. */
static void test_projections_over_lanes(void **state)
{
    (void)state;
    enum { NMAX = 5, BMAX = LMAX + 3 };
    size_t nproj = 0;
    for (size_t i = 0; gdn_models[i]; i++) {
        const gdn_term_type *type = gdn_models[i];
        snprintf(where, sizeof where, "%s", type->name);
        if (!type->project) {
            assert_null(type->project_lanes);
            continue;
        }
        if (!type->project_lanes) {
            print_error("[%s] has project but no project_lanes\n", where);
            fail();
        }
        nproj++;
        assert_true(gdn_param_count(type->params) <= 1);
        double v0[8] = {0};
        size_t m0 = candidates(&type->params[0], v0);
        for (size_t j = 0; j < m0; j++) {
            double par[GDN_MAX_PARAMS] = {v0[j]};
            for (size_t n = 1; n <= NMAX; n++)
                for (size_t L = 1; L <= LMAX; L += 6) {
                    size_t B = L + (size_t)(next_u64() % 4);
                    double x[2 * NMAX * BMAX], want[2 * NMAX * BMAX];
                    for (size_t k = 0; k < 2 * n * B; k++) {
                        uint64_t u = next_u64() % 5;
                        x[k] = u == 0   ? draw()
                               : u == 1 ? (next_u64() % 2 ? par[0] : -par[0])
                                        : uniform(-3 * par[0], 3 * par[0]);
                    }
                    memcpy(want, x, sizeof x);
                    for (size_t l = 0; l < L; l++) {
                        double xs[2 * NMAX];
                        for (size_t k = 0; k < 2 * n; k++)
                            xs[k] = want[k * B + l];
                        type->project(par, n, xs);
                        for (size_t k = 0; k < 2 * n; k++)
                            want[k * B + l] = xs[k];
                    }
                    type->project_lanes(par, n, B, L, x);
                    for (size_t k = 0; k < 2 * n * B; k++) {
                        snprintf(where, sizeof where,
                                 "%s (c %g) n %zu L %zu B %zu at %zu",
                                 type->name, par[0], n, L, B, k);
                        CHECK_SAME(x[k], want[k]);
                    }
                }
        }
    }
    assert_true(nproj >= 1); /* wgan-clip */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models_over_lanes),
        cmocka_unit_test(test_regularizers_over_lanes),
        cmocka_unit_test(test_systems_over_lanes),
        cmocka_unit_test(test_projections_over_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
