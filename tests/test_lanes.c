/*
 * test_lanes.c - the run driver over lanes (src/dynamics/lanes.h).
 *
 * Lanes never interact: B lanes with their own starts and learning rates,
 * under every method, with averages, must give each lane exactly (bit for
 * bit) the samples, outcome and counters of a single gdn_run of that lane
 * alone; and the fused steps (fused.c: simgd, altgd, rk4), optional
 * specialisations, must equal the generic lanes bit for bit, stops
 * included.
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

#include "dynamics/lanes.h"
#include "gandyn/run.h"
#include "gandyn/spec.h"
#include "gandyn/system.h"

#define BMAX 40

/* splitmix64 in [lo, hi) */
static double uniform(uint64_t *s, double lo, double hi)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return lo + (hi - lo) * (double)(z >> 11) / 9007199254740992.0;
}

static int same(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Half the coordinates of the first 12 lanes (of B, m rows) set to +0 or
 * -0 at random. */
static void signed_zeros(double *x0, size_t B, size_t m, uint64_t *seed)
{
    for (size_t l = 0; l < 12 && l < B; l++)
        for (size_t i = 0; i < m; i++) {
            double u = uniform(seed, 0, 4);
            if (u < 2)
                x0[i * B + l] = u < 1 ? 0.0 : -0.0;
        }
}

typedef struct lcase {
    const char *model, *opt, *extra; /* extra: "ema" for averages */
    size_t n;
    double box;                      /* starts uniform in [-box, box] */
    double blowup;
} lcase;

static void setup(const lcase *c, gdn_system *sys, gdn_run_opts *o)
{
    gdn_error err = {0};
    assert_int_equal(gdn_system_from_specs(sys, c->n, c->model, NULL, 0, NULL,
                                           NULL, &err), GDN_OK);
    gdn_run_opts_init(o, gdn_opt_find("flow"));
    if (gdn_spec_opt(c->opt, o, NULL, &err)) {
        print_error("%s: %s\n", c->opt, err.msg);
        fail();
    }
    o->t_end = 20, o->dt = 0.5, o->steps = 300, o->every = 7;
    if (c->extra && strcmp(c->extra, "ema") == 0) {
        o->nema = 2;
        o->ema[0].beta = 0.9, o->ema[1].beta = 0.99;
        o->uniform = 1;
        o->ema_debias = 1;
    }
    if (c->blowup > 0)
        o->blowup = c->blowup;
    assert_int_equal(gdn_run_opts_check(o, &err), GDN_OK);
}

/* B lanes against B single runs. */
static void lanes_vs_single(const lcase *c, size_t B, int generic)
{
    gdn_system sys;
    gdn_run_opts o;
    gdn_game game;
    gdn_error err = {0};
    setup(c, &sys, &o);
    assert_int_equal(gdn_game_dirac(&game, &sys, &err), GDN_OK);
    size_t m = 2 * c->n;
    double x0[2 * 8 * BMAX], lr[2 * BMAX];
    uint64_t seed = 42 + B;
    for (size_t i = 0; i < m * B; i++)
        x0[i] = uniform(&seed, -c->box, c->box);
    double lr_base = gdn_run_opts_get(&o, "lr");
    for (size_t i = 0; i < 2 * B; i++)
        lr[i] = lr_base * uniform(&seed, 0.5, 2.0);
    gdn__lanes *L = gdn__lanes_new(&game, &o, B, x0, lr, &err);
    assert_non_null(L);
    if (generic)
        L->fused = NULL;
    gdn_run *run[BMAX];
    for (size_t b = 0; b < B; b++) {
        gdn_run_opts ob = o;
        double xb[16];
        for (size_t i = 0; i < m; i++)
            xb[i] = x0[i * B + b];
        /* the lane's rates as the single run's lr_d, lr_g */
        size_t kd = gdn_param_index(o.opt->params, "lr_d");
        size_t kg = gdn_param_index(o.opt->params, "lr_g");
        ob.par[kd] = lr[b], ob.par[kg] = lr[B + b];
        run[b] = gdn_run_new(&sys, &ob, xb, &err);
        assert_non_null(run[b]);
    }
    size_t ng = L->ngroups, nsamples = 0, nstops = 0;
    for (int call = 0;; call++) {
        int any = gdn__lanes_next(L);
        int all_done = 1;
        for (size_t b = 0; b < B; b++) {
            int rc = gdn_run_next(run[b]);
            if (L->rc[b] != rc) {
                print_error("%s %s lane %zu call %d: rc %d, single %d\n",
                            c->model, c->opt, b, call, L->rc[b], rc);
                fail();
            }
            if (rc == GDN_DONE)
                continue;
            all_done = 0;
            if (rc != GDN_OK && L->rc[b] == rc && call > 0 &&
                L->info[b].status == rc && gdn_run_time(run[b]) != L->out_t[b])
                fail();
            int ok = same(gdn_run_time(run[b]), L->out_t[b]);
            for (size_t i = 0; i < m; i++)
                ok &= same(gdn_run_state(run[b])[i], L->out_x[i * B + b]);
            for (size_t j = 0; j < ng; j++)
                for (size_t i = 0; i < m; i++)
                    ok &= same(gdn_run_avg(run[b], j)[i],
                               L->out_avg[(j * m + i) * B + b]);
            if (!ok) {
                print_error("%s %s lane %zu call %d: sample differs\n",
                            c->model, c->opt, b, call);
                fail();
            }
            nsamples++;
        }
        if (any == GDN_DONE || all_done)
            break;
    }
    for (size_t b = 0; b < B; b++) {
        gdn_run_info a;
        gdn_run_get_info(run[b], &a);
        const gdn_run_info *l = &L->info[b];
        if (!(a.status == l->status && a.nevals == l->nevals &&
              a.accepted == l->accepted && a.rejected == l->rejected &&
              a.step == l->step && same(a.t, l->t) &&
              same(a.h_last, l->h_last) && strcmp(a.why, l->why) == 0)) {
            print_error("%s %s lane %zu: info differs: status %d/%d nevals "
                        "%llu/%llu accepted %llu/%llu step %lld/%lld why "
                        "'%s'/'%s'\n", c->model, c->opt, b, a.status,
                        l->status, (unsigned long long)a.nevals,
                        (unsigned long long)l->nevals,
                        (unsigned long long)a.accepted,
                        (unsigned long long)l->accepted, (long long)a.step,
                        (long long)l->step, a.why, l->why);
            fail();
        }
        nstops += a.status != GDN_DONE;
        gdn_run_free(run[b]);
    }
    print_message("%-6s %-36s B=%2zu%s: %zu samples, %zu stops\n", c->model,
                  c->opt, B, generic ? " generic" : "", nsamples, nstops);
    assert_true(nsamples > B);
    gdn__lanes_free(L);
}

static const lcase cases[] = {
    {"nsgan", "flow", NULL, 2, 1.0, 0},
    {"nsgan", "flow", "ema", 2, 1.0, 0},
    {"gan", "flow:rtol=1e-4,atol=1e-7", "ema", 3, 2.0, 0},
    {"nsgan", "flow:max_steps=40", NULL, 2, 1.0, 0},           /* budget */
    {"nsgan", "flow:lr=40", NULL, 2, 5.0, 1e3},                /* stops */
    {"wgan-gp", "flow", NULL, 2, 1.0, 0},                      /* generic */
    {"nsgan", "flow:method=rk4,h=0.1", "ema", 2, 1.0, 0},
    {"nsgan", "flow:method=rk4,h=0.5,lr=8", NULL, 2, 5.0, 50}, /* stops */
    {"gan", "flow:method=euler,h=0.05", "ema", 2, 1.0, 0},
    {"nsgan", "simgd:lr=0.1", NULL, 2, 1.0, 0},
    {"nsgan", "simgd:lr=3", NULL, 2, 5.0, 30},                 /* stops */
    {"gan", "simgd:lr=0.5", "ema", 2, 3.0, 20},
    {"gan", "altgd:lr=0.3,order=gd,ndis=2", NULL, 2, 3.0, 30},
    {"nsgan", "momentum:beta=0.5", "ema", 2, 1.0, 0},
    {"nsgan", "adam:lr=0.01", NULL, 3, 1.0, 0},
    {"lsgan", "extragradient:lr=0.3", "ema", 2, 2.0, 0},
    {"wgan-clip", "altgd:lr=0.05", NULL, 2, 1.0, 0},           /* project */
    {"nsgan", "consensus:lr=0.1", NULL, 2, 1.0, 0},
};

static void test_lanes_are_single_runs(void **state)
{
    (void)state;
    static const size_t Bs[] = {1, 3, 17};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        for (size_t j = 0; j < 3; j++)
            lanes_vs_single(&cases[k], Bs[j], 0);
}

/* Steps F and G (the same lanes, F on a specialised path, G on the
 * generic one) to the end, holding every sample and every outcome bit for
 * bit; returns the lanes that stopped before the end. */
static size_t same_runs(gdn__lanes *F, gdn__lanes *G, size_t B, size_t m,
                        const char *what)
{
    for (;;) {
        int a = gdn__lanes_next(F), b = gdn__lanes_next(G);
        assert_int_equal(a, b);
        if (a == GDN_DONE)
            break;
        for (size_t l = 0; l < B; l++) {
            assert_int_equal(F->rc[l], G->rc[l]);
            if (F->rc[l] == GDN_DONE)
                continue;
            assert_true(same(F->out_t[l], G->out_t[l]));
            for (size_t i = 0; i < m; i++)
                if (!same(F->out_x[i * B + l], G->out_x[i * B + l])) {
                    print_error("%s, lane %zu, row %zu: %a, generic %a\n",
                                what, l, i, F->out_x[i * B + l],
                                G->out_x[i * B + l]);
                    fail();
                }
            for (size_t i = 0; i < F->ngroups * m; i++)
                assert_true(same(F->out_avg[i * B + l],
                                 G->out_avg[i * B + l]));
        }
    }
    size_t stops = 0;
    for (size_t l = 0; l < B; l++) {
        assert_int_equal(F->info[l].status, G->info[l].status);
        assert_true(F->info[l].nevals == G->info[l].nevals);
        assert_true(F->info[l].step == G->info[l].step);
        assert_string_equal(F->info[l].why, G->info[l].why);
        stops += F->info[l].status != GDN_DONE;
    }
    return stops;
}

/* The fused steps (simgd, altgd, the flow's rk4) against the generic
 * lanes; fused[k]: the case is one the fused path takes. */
static void test_fused_is_generic(void **state)
{
    (void)state;
    static const lcase fc[] = {
        {"nsgan", "simgd:lr=0.1", NULL, 2, 1.0, 0},
        {"gan", "simgd:lr=2", NULL, 2, 4.0, 30},
        {"nsgan", "simgd:lr=1.5", "ema", 2, 3.0, 30},
        {"nsgan", "altgd:lr=0.1", NULL, 2, 1.0, 0},
        {"gan", "altgd:lr=6", NULL, 2, 4.0, 30},
        {"nsgan", "altgd:lr=1.5", "ema", 2, 3.0, 30},
        {"nsgan", "altgd:lr=2,order=gd", NULL, 2, 4.0, 30},
        {"gan", "altgd:lr=2,ndis=2", NULL, 2, 4.0, 0},
        {"nsgan", "flow:method=rk4,h=0.2", NULL, 2, 2.0, 0},
        {"gan", "flow:method=rk4,h=0.5,lr=12", NULL, 2, 4.0, 30},
        {"nsgan", "flow:method=rk4,h=0.5,lr=5", NULL, 2, 4.0, 30},
        {"gan", "flow:method=rk4,h=0.5,lr=12", "ema", 2, 4.0, 30},
        {"gan", "flow:method=euler,h=0.5,lr=12", NULL, 2, 4.0, 30},
        {"nsgan", "flow", NULL, 2, 2.0, 0},
        {"gan", "flow:rtol=1e-4,atol=1e-7,lr=4", NULL, 2, 5.0, 0},
        {"nsgan", "flow:lr=40", NULL, 2, 5.0, 5.2},
        {"nsgan", "flow", "ema", 2, 2.0, 0},
    };
    static const int fused[] = {1, 1, 1, 1, 1, 1, 0, 0, 1, 1,
                                1, 0, 1, 1, 1, 1, 0};
    for (size_t k = 0; k < sizeof fc / sizeof fc[0]; k++) {
        gdn_system sys;
        gdn_run_opts o;
        gdn_game game;
        gdn_error err = {0};
        setup(&fc[k], &sys, &o);
        assert_int_equal(gdn_game_dirac(&game, &sys, &err), GDN_OK);
        size_t B = 37, m = 4;
        double x0[4 * 37], lr[2 * 37];
        uint64_t seed = 7 + k;
        for (size_t i = 0; i < m * B; i++)
            x0[i] = uniform(&seed, -fc[k].box, fc[k].box);
        /* zeros of either sign in the first lanes' coordinates: the fused
         * kernels drop the generic path's 0 * y terms, which only a signed
         * zero could tell apart (fused.c) */
        signed_zeros(x0, B, m, &seed);
        for (size_t i = 0; i < 2 * B; i++)
            lr[i] = gdn_run_opts_get(&o, "lr") * uniform(&seed, 0.5, 2);
        gdn__lanes *F = gdn__lanes_new(&game, &o, B, x0, lr, &err);
        gdn__lanes *G = gdn__lanes_new(&game, &o, B, x0, lr, &err);
        assert_non_null(F);
        assert_non_null(G);
        /* the cases it specialises, and only those */
        assert_int_equal(F->fused != NULL || F->fused_flow != NULL ||
                             F->fused_rhs != NULL, fused[k]);
        G->fused = NULL;
        G->fused_flow = NULL;
        G->fused_rhs = NULL;
        char what[160];
        snprintf(what, sizeof what, "fused %s %s %s", fc[k].model, fc[k].opt,
                 fc[k].extra ? fc[k].extra : "");
        size_t stops = same_runs(F, G, B, m, what);
        print_message("fused %s %s %s: %zu of %zu lanes stopped\n",
                      fc[k].model, fc[k].opt, fc[k].extra ? fc[k].extra : "",
                      stops, B);
        if (fc[k].blowup > 0)
            assert_true(stops > 0 && stops < B);
        gdn__lanes_free(F);
        gdn__lanes_free(G);
    }
}

/* simgd of every other Dirac system: dirac.c's one-pass step over the
 * terms' lanes (fused.c's simgd_terms) against the generic step, every
 * model alone and with regularisers, in 1-3 dimensions, with 150 lanes
 * (the 2-D full chunks of 64 and a partial one), zeros of either sign,
 * stops at the range, and lanes whose field is undefined (wgan at phi =
 * 0). */
static void test_terms_step_is_generic(void **state)
{
    (void)state;
    enum { NB = 150 };
    static const char *const models[] = {
        "nsgan", "gan", "wgan", "wgan-gp", "wgan-gp:c=0", "gan-qp",
        "gan-qp:divisor=phi", "wgan-clip", "wgan-clip:c=0.3", "lsgan",
        "hinge", "fgan-kl", "fgan-rkl:gen=nonsaturating", "fgan-pearson",
        "fgan-hellinger", "fgan-js:gen=nonsaturating"};
    static const char *const regs[][2] = {
        {NULL, NULL},         {"l2:gamma=0.3", NULL}, {"gp:lambda=0.4", NULL},
        {"gp:lambda=0.2,c=0", "l2g:gamma=0.1"},       {"r1:gamma=0", NULL},
        {"gp:lambda=0", NULL}};
    size_t nm = sizeof models / sizeof models[0];
    size_t nr = sizeof regs / sizeof regs[0];
    uint64_t seed = 99;
    static const size_t Bs[] = {NB, 5, 1};
    for (size_t k = 0; k < nm * nr * 3 * 3; k++) {
        size_t n = 1 + k % 3, im = (k / 3) % nm, ir = (k / (3 * nm)) % nr;
        size_t B = Bs[k / (3 * nm * nr)];
        const char *const *rs = regs[ir];
        size_t nreg = rs[0] ? (rs[1] ? 2 : 1) : 0;
        double box = k % 2 ? 4.0 : 1.0, blowup = k % 2 ? 30.0 : 0.0;
        if (nreg == 0 && n == 2 && (im == 0 || im == 1))
            continue; /* fused.c's own kernels (test_fused_is_generic) */
        gdn_system sys;
        gdn_run_opts o;
        gdn_game game;
        gdn_error err = {0};
        if (gdn_system_from_specs(&sys, n, models[im], rs, nreg, NULL, NULL,
                                  &err) != GDN_OK) {
            print_error("%s: %s\n", models[im], err.msg);
            fail();
        }
        gdn_run_opts_init(&o, gdn_opt_find("simgd"));
        assert_int_equal(gdn_spec_opt(k % 2 ? "simgd:lr=1.5" : "simgd:lr=0.1",
                                      &o, NULL, &err), GDN_OK);
        o.steps = 300, o.every = 7;
        if (blowup > 0)
            o.blowup = blowup;
        if (k % 4 == 1) { /* averages, read after every step */
            o.nema = 1, o.ema[0].beta = 0.9, o.uniform = 1;
        }
        assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);
        assert_int_equal(gdn_game_dirac(&game, &sys, &err), GDN_OK);
        size_t m = 2 * n;
        double x0[6 * NB], lr[2 * NB];
        for (size_t i = 0; i < m * B; i++)
            x0[i] = uniform(&seed, -box, box);
        signed_zeros(x0, B, m, &seed); /* zeros, either sign */
        for (size_t l = 12; l < 15 && l < B; l++) /* phi = 0: wgan */
            for (size_t i = 0; i < n; i++)
                x0[i * B + l] = 0.0;
        for (size_t i = 0; i < 2 * B; i++)
            lr[i] = gdn_run_opts_get(&o, "lr") * uniform(&seed, 0.5, 2);
        gdn__lanes *F = gdn__lanes_new(&game, &o, B, x0, lr, &err);
        gdn__lanes *G = gdn__lanes_new(&game, &o, B, x0, lr, &err);
        assert_non_null(F);
        assert_non_null(G);
        assert_non_null(F->fused); /* the one-pass step, every case */
        G->fused = NULL;
        char what[160];
        snprintf(what, sizeof what, "%s + %zu regs (%s), n %zu", models[im],
                 nreg, rs[0] ? rs[0] : "", n);
        size_t stops = same_runs(F, G, B, m, what);
        if (k < 3 * nm) /* the first regulariser set: say what stopped */
            print_message("terms %s n %zu: %zu of %zu lanes stopped\n",
                          models[im], n, stops, B);
        gdn__lanes_free(F);
        gdn__lanes_free(G);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lanes_are_single_runs),
        cmocka_unit_test(test_fused_is_generic),
        cmocka_unit_test(test_terms_step_is_generic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
