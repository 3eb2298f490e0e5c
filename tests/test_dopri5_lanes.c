/*
 * test_dopri5_lanes.c - what the batched dopri5 controller is built on.
 *
 * gdn__pow_pos_sel (src/core/gmath.h), the select form of gdn__pow_pos that
 * the controller vectorises over lanes, must give gdn__pow_pos's bits for
 * every input: at the controller's exponent -0.2 and at others, over
 * random bit patterns (normal, subnormal, huge, tiny), the error norms the
 * controller sees, and the special values; once called on one value, once
 * in a loop compiled for the vector units (GDN_VECTOR_CLONES).
 *
 * dopri5's rounds over lanes (flow.c) run every lane, or, when few run,
 * only those packed together: lanes whose rates differ by 2500x (step
 * counts by as much), with averages, budgets and stops, must give each
 * lane the samples and counters of its single run bit for bit.  The
 * dense outputs computed in the error norm's pass (gdn__dopri5_try_dense)
 * are gdn__dopri5_dense_lanes's, bit for bit.  More
 * batches against single runs: test_lanes.c, test_sweep.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/gmath.h"
#include "dynamics/lanes.h"
#include "dynamics/vector.h"
#include "gandyn/run.h"
#include "gandyn/spec.h"
#include "gandyn/system.h"
#include "check.h"

static uint64_t next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The same bits; two NaNs agree whatever their payloads (none reaches the
 * controller: its error norms are never NaN). */
#define N 4096

GDN_VECTOR_CLONES
static void pow_lanes(size_t n, const double *restrict x,
                      const double *restrict y,
                      double *restrict out)
{
    for (size_t b = 0; b < n; b++)
        out[b] = gdn__pow_pos_sel(x[b], y[b]);
}

/* Points where gdn__pow_pos_sel, in the vectorised loop or alone, differs
 * from gdn__pow_pos (moved up by ulp units: the test that this counts). */
static long check_off(size_t n, const double *x, const double *y, int ulp)
{
    static double out[N];
    long bad = 0;
    pow_lanes(n, x, y, out);
    for (size_t b = 0; b < n; b++) {
        double want = gdn__pow_pos(x[b], y[b]);
        want = gdn__from_bits(gdn__to_bits(want) + (uint64_t)ulp);
        double one = gdn__pow_pos_sel(x[b], y[b]);
        if (!same(want, out[b]) || !same(want, one)) {
            if (bad++ < 5)
                print_message("pow_pos(%a, %a) = %a, lanes %a, one %a\n",
                              x[b], y[b], want, out[b], one);
        }
    }
    return bad;
}

static long check(size_t n, const double *x, const double *y)
{
    return check_off(n, x, y, 0);
}

static void test_pow_sel_special(void **state)
{
    (void)state;
    const double inf = INFINITY;
    const double xs[] = {0.0, -0.0, 0x1p-1074, 0x1p-1073, 0x1.fffffffffffffp-1023,
                         0x1p-1022, 0x1.0000000000001p-1022, 0x1p-600, 1e-300,
                         1e-20, 1e-10, 1e-5, 0.1, 0.2, 0.5, 0x1.fffffffffffffp-1,
                         1.0, 0x1.0000000000001p0, 1.5, 2.0, 3.0, 4.0, 10.0,
                         1e10, 1e100, 1e300, 0x1.fffffffffffffp1023, inf,
                         -1.0, -inf, NAN, 0x1.6a09e667f3bcdp-1,
                         0x1.6955500000000p-1, 0x1.6955400000000p-1,
                         0x1.6955600000000p-1};
    const double ys[] = {-0.2, 0.2, 0.25, 0.5, 1.0, 2.0, -1.0, 0.0, -0.0, 3.0,
                         -3.0, 1e7, -1e7, 1024.0, -1075.0, 1e300, -1e300,
                         0.1, 1.0 / 3, inf, -inf, NAN};
    static double x[N], y[N];
    size_t n = 0;
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        for (size_t j = 0; j < sizeof ys / sizeof *ys; j++)
            x[n] = xs[i], y[n] = ys[j], n++;
    assert_true(n <= N);
    assert_int_equal(check(n, x, y), 0);
    /* the special values the controller meets: err = 0 (inf), err = inf */
    assert_true(gdn__pow_pos_sel(0.0, -0.2) == inf);
    assert_true(gdn__pow_pos_sel(inf, -0.2) == 0.0);
    assert_true(gdn__pow_pos_sel(1.0, -0.2) == 1.0);
    assert_true(gdn__pow_pos_sel(32.0, -0.2) == 0.5);
}

static void test_pow_sel_random(void **state)
{
    (void)state;
    static double x[N], y[N];
    uint64_t s = 12345;
    long bad = 0, rounds = 200;
    for (long r = 0; r < rounds; r++) {
        for (size_t b = 0; b < N; b++) {
            uint64_t u = next(&s);
            switch (r % 4) {
            case 0: /* any positive double, any exponent in [-4, 4] */
                x[b] = gdn__from_bits(u >> 1);
                y[b] = (double)(int64_t)(next(&s) >> 11) * 0x1p-50 - 4.0;
                break;
            case 1: /* the controller: error norms, exponent -0.2 */
                x[b] = (double)(u >> 11) * 0x1p-53 * 4.0;
                y[b] = -0.2;
                break;
            case 2: /* norms over many decades, exponent -0.2 */
                x[b] = pow(10.0, (double)(u >> 11) * 0x1p-53 * 40.0 - 30.0);
                y[b] = -0.2;
                break;
            default: /* subnormal and tiny x, exponents of any size */
                x[b] = gdn__from_bits((u >> 12) | (u & 1 ? 0 : 0x0010000000000000ull));
                y[b] = gdn__from_bits(next(&s) >> 2) * (u & 2 ? 1.0 : -1.0);
                break;
            }
        }
        bad += check(N, x, y);
    }
    print_message("gdn__pow_pos_sel: %ld of %ld points differ\n", bad,
                  rounds * N);
    assert_int_equal(bad, 0);
}

/* The test can fail: results one ulp off are caught at every point. */
static void test_pow_sel_catches(void **state)
{
    (void)state;
    /* every one of these points, against results one ulp off */
    static double x[N], y[N];
    for (size_t b = 0; b < 64; b++)
        x[b] = 0.01 + 0.37 * (double)b, y[b] = b % 2 ? -0.2 : 1.7;
    assert_int_equal(check_off(64, x, y, 1), 64);
    assert_int_equal(check_off(64, x, y, 0), 0);
}

/* B lanes of one flow against B single runs, sample by sample. */
static void packed_vs_single(const char *model, const char *opt, int ema,
                             double box, double blowup)
{
    enum { B = 48, NMAX = 2 };
    gdn_system sys;
    gdn_run_opts o;
    gdn_game game;
    gdn_error err = {0};
    assert_int_equal(gdn_system_from_specs(&sys, NMAX, model, NULL, 0, NULL,
                                           NULL, &err), GDN_OK);
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt(opt, &o, NULL, &err), GDN_OK);
    o.t_end = 30, o.dt = 0.25;
    if (ema) {
        o.nema = 1, o.ema[0].beta = 0.9, o.uniform = 1, o.ema_debias = 1;
    }
    if (blowup > 0)
        o.blowup = blowup;
    assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);
    assert_int_equal(gdn_game_dirac(&game, &sys, &err), GDN_OK);
    size_t m = 2 * NMAX;
    double x0[2 * NMAX * B], lr[2 * B];
    uint64_t s = 7;
    for (size_t i = 0; i < m * B; i++)
        x0[i] = ((double)(next(&s) >> 11) * 0x1p-53 * 2.0 - 1.0) * box;
    for (size_t i = 0; i < 2 * B; i++) /* 0.02 to 50, log-uniform */
        lr[i] = pow(10.0, (double)(next(&s) >> 11) * 0x1p-53 * 3.4 - 1.7);
    gdn__lanes *L = gdn__lanes_new(&game, &o, B, x0, lr, &err);
    assert_non_null(L);
    gdn_run *run[B];
    size_t kd = gdn_param_index(o.opt->params, "lr_d");
    size_t kg = gdn_param_index(o.opt->params, "lr_g");
    for (size_t b = 0; b < B; b++) {
        gdn_run_opts ob = o;
        double xb[2 * NMAX];
        for (size_t i = 0; i < m; i++)
            xb[i] = x0[i * B + b];
        ob.par[kd] = lr[b], ob.par[kg] = lr[B + b];
        run[b] = gdn_run_new(&sys, &ob, xb, &err);
        assert_non_null(run[b]);
    }
    size_t ng = L->ngroups, nsamples = 0, nstops = 0;
    for (;;) {
        int any = gdn__lanes_next(L), all_done = 1;
        for (size_t b = 0; b < B; b++) {
            int rc = gdn_run_next(run[b]);
            assert_int_equal(L->rc[b], rc);
            if (rc == GDN_DONE)
                continue;
            all_done = 0;
            int ok = same(gdn_run_time(run[b]), L->out_t[b]);
            for (size_t i = 0; i < m; i++)
                ok &= same(gdn_run_state(run[b])[i], L->out_x[i * B + b]);
            for (size_t j = 0; j < ng; j++)
                for (size_t i = 0; i < m; i++)
                    ok &= same(gdn_run_avg(run[b], j)[i],
                               L->out_avg[(j * m + i) * B + b]);
            if (!ok)
                print_error("%s %s lane %zu: sample %zu differs\n", model,
                            opt, b, nsamples);
            assert_true(ok);
            nsamples++;
        }
        if (any == GDN_DONE || all_done)
            break;
    }
    uint64_t steps_min = UINT64_MAX, steps_max = 0;
    for (size_t b = 0; b < B; b++) {
        gdn_run_info a;
        gdn_run_get_info(run[b], &a);
        const gdn_run_info *l = &L->info[b];
        assert_int_equal(a.status, l->status);
        assert_true(a.nevals == l->nevals && a.accepted == l->accepted &&
                    a.rejected == l->rejected && a.step == l->step);
        assert_true(same(a.t, l->t) && same(a.h_last, l->h_last));
        assert_string_equal(a.why, l->why);
        nstops += a.status != GDN_DONE;
        if (a.status == GDN_DONE) {
            steps_min = a.accepted < steps_min ? a.accepted : steps_min;
            steps_max = a.accepted > steps_max ? a.accepted : steps_max;
        }
        gdn_run_free(run[b]);
    }
    print_message("%-6s %-30s%s: %zu samples, %zu stops, %llu to %llu "
                  "steps\n", model, opt, ema ? " ema" : "", nsamples, nstops,
                  (unsigned long long)steps_min,
                  (unsigned long long)steps_max);
    assert_true(nsamples > B);
    /* the rounds on packed sets of lanes ran (and were checked above) */
    print_message("       %llu packed rounds\n",
                  (unsigned long long)L->dp_packed);
    assert_true(L->dp_packed > 0);
    gdn__lanes_free(L);
}

/* A rotation per lane, y' = w_b (-y1, y0), for the workspace's tests. */
enum { DB = 8 };
static const double rot_w[DB] = {0.3, 1.0, 2.5, 0.7, 4.0, 1.3, 0.1, 3.2};
static int rot_f(void *ctx, const double *y, double *dy, int *st)
{
    (void)ctx;
    for (size_t b = 0; b < DB; b++) {
        dy[b] = -rot_w[b] * y[DB + b];
        dy[DB + b] = rot_w[b] * y[b];
        st[b] = GDN_PT_OK;
    }
    return GDN_PT_OK;
}

/* gdn__dopri5_try_dense against gdn__dopri5_try then
 * gdn__dopri5_dense_lanes: the same step, error and statuses, the same
 * dense outputs of the masked lanes (every lane: mask NULL), bit for bit,
 * and the other lanes' left as they were. */
static void try_dense_vs_dense(const int *mask)
{
    enum { DIM = 2 };
    static double m1[4096], m2[4096];
    int i1[DB], i2[DB], st1[DB], st2[DB];
    assert_true(gdn__dopri5_size(DIM, DB) <= sizeof m1 / sizeof *m1);
    gdn__dopri5 w1, w2;
    gdn__dopri5_bind(&w1, DIM, DB, m1, i1);
    gdn__dopri5_bind(&w2, DIM, DB, m2, i2);
    gdn__ode ode = {DIM, DB, rot_f, NULL};
    double y0[DIM * DB], y1a[DIM * DB], y1b[DIM * DB], h[DB], t0[DB];
    double e1[DB], e2[DB];
    uint64_t s = 99;
    for (size_t j = 0; j < DIM * DB; j++)
        y0[j] = (double)(next(&s) >> 11) * 0x1p-53 * 2.0 - 1.0;
    for (size_t b = 0; b < DB; b++)
        h[b] = 0.05 + 0.1 * (double)b, t0[b] = 1.0 + 0.25 * (double)b;
    /* the lanes' previous dense outputs: a mark per coefficient */
    for (int q = 0; q < 5; q++)
        for (size_t j = 0; j < DIM * DB; j++)
            w1.cont[(size_t)q * w1.cs + j] = w2.cont[(size_t)q * w2.cs + j] =
                1000.0 * q + (double)j;
    for (size_t b = 0; b < DB; b++)
        w1.t0[b] = w2.t0[b] = -1, w1.h[b] = w2.h[b] = -2;
    rot_f(NULL, y0, w1.k[0], st1);
    rot_f(NULL, y0, w2.k[0], st2);
    gdn__dopri5_try_dense(&w1, &ode, h, y0, y1a, 1e-6, 1e-9, e1, st1, mask,
                          t0);
    gdn__dopri5_try(&w2, &ode, h, y0, y1b, 1e-6, 1e-9, e2, st2);
    gdn__dopri5_dense_lanes(&w2, mask, t0, h, y0, y1b);
    size_t moved = 0;
    for (size_t b = 0; b < DB; b++) {
        assert_true(same(e1[b], e2[b]) && st1[b] == st2[b]);
        assert_true(same(w1.t0[b], w2.t0[b]) && same(w1.h[b], w2.h[b]));
        for (size_t i = 0; i < DIM; i++) {
            size_t j = i * DB + b;
            assert_true(same(y1a[j], y1b[j]));
            for (int q = 0; q < 5; q++) {
                double c1 = w1.cont[(size_t)q * w1.cs + j];
                assert_true(same(c1, w2.cont[(size_t)q * w2.cs + j]));
                moved += c1 != 1000.0 * q + (double)j;
            }
        }
        assert_true(same(w1.t0[b], !mask || mask[b] ? t0[b] : -1));
    }
    /* the masked lanes' coefficients did move (the check above can fail) */
    size_t want = 0;
    for (size_t b = 0; b < DB; b++)
        want += !mask || mask[b];
    assert_true(moved >= want * DIM * 4);
}

static void test_try_dense(void **state)
{
    (void)state;
    int mask[DB] = {1, 0, 0, 1, 1, 0, 1, 0};
    try_dense_vs_dense(mask);
    try_dense_vs_dense(NULL);
}

static void test_packed_rounds(void **state)
{
    (void)state;
    packed_vs_single("nsgan", "flow", 0, 1, 0); /* the fused field */
    packed_vs_single("gan", "flow:rtol=1e-3,atol=1e-6", 0, 1, 0);
    packed_vs_single("nsgan", "flow:rtol=1e-4,atol=1e-7", 1, 1, 0); /* EMAs */
    packed_vs_single("wgan-gp", "flow", 0, 1, 0); /* the generic field */
    packed_vs_single("nsgan", "flow:max_steps=300", 0, 1, 0); /* budgets */
    packed_vs_single("nsgan", "flow", 0, 5, 1e3);             /* stops */
    packed_vs_single("gan", "flow:rtol=1e-3,atol=1e-6", 1, 5, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pow_sel_special),
        cmocka_unit_test(test_pow_sel_random),
        cmocka_unit_test(test_pow_sel_catches),
        cmocka_unit_test(test_try_dense),
        cmocka_unit_test(test_packed_rounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
