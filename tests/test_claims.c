/*
 * test_claims.c - the claims of the seed as data (gandyn/claims.h): the
 * tables, each rule judged on made-up measurements whose verdict follows
 * from the rule as the specification states it (§5), the EMA claim on
 * trajectories whose distances and speeds are known in closed form, the
 * measured rate of the stability table on e^(-a t) rotations, and table
 * cells against the closed forms of test_stability.c:
 *   nsgan under simgd, h = 0.1:   rho^2 = 1 + h^2/4 (unstable)
 *   nsgan + l2 gamma flow:        max Re = -gamma/2 (gamma < 1)
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

static gdn_diagnosis diag[GDN_EX_COUNT];

/* Every experiment "measured": a diagnosis of label lab. */
static void fill(gdn_claim_runs *R, int lab)
{
    memset(diag, 0, sizeof diag);
    memset(R, 0, sizeof *R);
    for (int e = 0; e < GDN_EX_COUNT; e++) {
        diag[e].label = lab;
        diag[e].start.gram = diag[e].end.gram = 0.0009;
        snprintf(diag[e].text, sizeof diag[e].text, "made up %d", e);
        R->d[e] = &diag[e];
    }
}

static void test_tables(void **state)
{
    (void)state;
    for (int e = 0; e < GDN_EX_COUNT; e++) {
        const gdn_experiment *x = gdn_experiment_get(e);
        assert_non_null(x);
        assert_non_null(strstr(x->args, "--model "));
        for (int f = 0; f < e; f++) /* file stems are unique */
            assert_string_not_equal(x->id, gdn_experiment_get(f)->id);
    }
    assert_null(gdn_experiment_get(-1));
    assert_null(gdn_experiment_get(GDN_EX_COUNT));
    assert_string_equal(gdn_claim_verdict_name(GDN_CLAIM_HOLDS), "holds");
    assert_string_equal(gdn_claim_verdict_name(GDN_CLAIM_REFINED),
                        "holds with a refinement");
    assert_string_equal(gdn_claim_verdict_name(GDN_CLAIM_FAILS),
                        "does not hold");
    assert_string_equal(gdn_claim_verdict_name(3), "?");
    assert_string_equal(gdn_stab_table_model(14), "nsgan + l2");
    assert_string_equal(gdn_stab_table_method(1), "simgd:lr=0.1");
    assert_string_equal(gdn_stab_table_method_name(0), "flow");
    assert_null(gdn_stab_table_model(GDN_STAB_TABLE_MODELS));
    assert_null(gdn_stab_table_method(-1));
}

static void test_judge_refused(void **state)
{
    (void)state;
    gdn_claim_runs R;
    gdn_claim_result c;
    gdn_error err;
    fill(&R, GDN_DIAG_CIRCLE);
    assert_int_equal(gdn_claim_judge(GDN_CLAIM_COUNT, &R, &c, &err),
                     GDN_EINVAL);
    R.d[GDN_EX_WGAN_LONG] = NULL; /* claim 4 rests on it */
    assert_int_equal(gdn_claim_judge(3, &R, &c, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "wgan-long"));
}

/* Claim 2 is analytic: the nsgan flow at 0 has eigenvalues +- i/2. */
static void test_claim_centre(void **state)
{
    (void)state;
    gdn_claim_runs R;
    gdn_claim_result c;
    gdn_error err;
    memset(&R, 0, sizeof R);
    assert_int_equal(gdn_claim_judge(1, &R, &c, &err), GDN_OK);
    assert_int_equal(c.id, 2);
    assert_int_equal(c.verdict, GDN_CLAIM_HOLDS);
    assert_int_equal(c.nnum, 2);
    assert_string_equal(c.keys[0], "eigenvalue_real");
    assert_true(c.vals[0] == 0);
    assert_true(fabs(c.vals[1] - 0.5) < 1e-15);
    assert_string_equal(c.figs[0], "nsgan-eigs.png");
    assert_int_equal(c.ex[0], -1);
}

/* Claim 5: converges exponentially at the rate lambda = 0.1 (to 2%). */
static void test_claim_gp0(void **state)
{
    (void)state;
    gdn_claim_runs R;
    gdn_claim_result c;
    gdn_error err;
    fill(&R, GDN_DIAG_CONVERGES);
    diag[GDN_EX_GP0].rate_kind = GDN_RATE_EXP;
    diag[GDN_EX_GP0].rate = 0.1015;
    assert_int_equal(gdn_claim_judge(4, &R, &c, &err), GDN_OK);
    assert_int_equal(c.id, 5);
    assert_int_equal(c.verdict, GDN_CLAIM_HOLDS);
    diag[GDN_EX_GP0].rate = 0.103; /* 3% off */
    assert_int_equal(gdn_claim_judge(4, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_FAILS);
    diag[GDN_EX_GP0].rate = 0.1;
    diag[GDN_EX_GP0].rate_kind = GDN_RATE_ALG;
    assert_int_equal(gdn_claim_judge(4, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_FAILS);
}

/* Claim 1: a circle of radius Gamma0^(1/4) refines it, convergence
 * refutes it. */
static void test_claim_nsgan(void **state)
{
    (void)state;
    gdn_claim_runs R;
    gdn_claim_result c;
    gdn_error err;
    fill(&R, GDN_DIAG_CIRCLE);
    diag[GDN_EX_NSGAN_LONG].radius_gram = 0.3;
    diag[GDN_EX_NSGAN_LONG].radius = 0.3 * (1 + 5e-5);
    assert_int_equal(gdn_claim_judge(0, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_REFINED);
    /* the floor sqrt(2) Gamma^(1/4) of the distance, Gamma = 0.0009 */
    int found = 0;
    for (size_t i = 0; i < c.nnum; i++)
        if (!strcmp(c.keys[i], "distance_floor")) {
            assert_true(fabs(c.vals[i] - sqrt(2.0) * sqrt(0.03)) < 1e-15);
            found = 1;
        }
    assert_true(found);
    diag[GDN_EX_NSGAN_LONG].radius = 0.3 * (1 + 2e-4); /* not that circle */
    assert_int_equal(gdn_claim_judge(0, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_HOLDS);
    diag[GDN_EX_NSGAN].label = GDN_DIAG_CONVERGES;
    assert_int_equal(gdn_claim_judge(0, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_FAILS);
}

/* Claim 3: all ten f-GANs are centres (analytic) and none converges. */
static void test_claim_fgans(void **state)
{
    (void)state;
    gdn_claim_runs R;
    gdn_claim_result c;
    gdn_error err;
    fill(&R, GDN_DIAG_CIRCLE);
    assert_int_equal(gdn_claim_judge(2, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_REFINED);
    assert_true(c.vals[0] == 10 && c.vals[1] == 10 && c.vals[2] == 0);
    assert_true(c.vals[3] == 0); /* Gamma did not drift */
    diag[GDN_EX_FGAN0 + 3].label = GDN_DIAG_CONVERGES;
    assert_int_equal(gdn_claim_judge(2, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_FAILS);
    assert_true(c.vals[2] == 1);
}

/* Claim 10 on circles of the generator (n = 2, phi = 0): the iterate of
 * radius 1 at angular speed 1, the EMAs of radius 0.1 at 1 (closer) and
 * 0.3 at 0.1 (smoother, but farther: it lags).  Mean distance = the
 * radius; speed = the chord per sample over dt, 2 r sin(w dt / 2) / dt. */
static void test_claim_ema(void **state)
{
    (void)state;
    gdn_claim_runs R;
    gdn_claim_result c;
    gdn_error err;
    gdn_traj tr;
    const double r[3] = {1, 0.1, 0.3}, w[3] = {1, 1, 0.1}, dt = 0.01;
    gdn_traj_init(&tr, 2, 2, 0);
    for (int k = 0; k <= 10000; k++) {
        double t = dt * k, x[3][4];
        for (int g = 0; g < 3; g++)
            x[g][0] = x[g][1] = 0, x[g][2] = r[g] * cos(w[g] * t),
            x[g][3] = r[g] * sin(w[g] * t);
        const double *avg[2] = {x[1], x[2]};
        assert_int_equal(gdn_traj_append(&tr, t, x[0], avg, &err), GDN_OK);
    }
    fill(&R, GDN_DIAG_CIRCLE);
    R.tr[GDN_EX_EMA] = &tr;
    assert_int_equal(gdn_claim_judge(9, &R, &c, &err), GDN_OK);
    assert_int_equal(c.id, 10);
    assert_int_equal(c.nnum, 6);
    for (int g = 0; g < 3; g++) {
        double speed = 2 * r[g] * sin(w[g] * dt / 2) / dt;
        if (fabs(c.vals[g] - r[g]) > 1e-12 ||
            fabs(c.vals[3 + g] - speed) > 1e-12)
            fail_msg("group %d: distance %.17g (want %g), speed %.17g (want "
                     "%.17g)", g, c.vals[g], r[g], c.vals[3 + g], speed);
    }
    assert_int_equal(c.verdict, GDN_CLAIM_HOLDS);
    /* the slow EMA as close as the fast one: it no longer lags */
    gdn_traj_release(&tr);
    gdn_traj_init(&tr, 2, 2, 0);
    for (int k = 0; k <= 10000; k++) {
        double t = dt * k, x[3][4];
        for (int g = 0; g < 3; g++)
            x[g][0] = x[g][1] = 0, x[g][2] = (g == 2 ? 0.05 : r[g]) * cos(w[g] * t),
            x[g][3] = (g == 2 ? 0.05 : r[g]) * sin(w[g] * t);
        const double *avg[2] = {x[1], x[2]};
        assert_int_equal(gdn_traj_append(&tr, t, x[0], avg, &err), GDN_OK);
    }
    assert_int_equal(gdn_claim_judge(9, &R, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_CLAIM_FAILS);
    gdn_traj_release(&tr);
}

/* The measured rate on |x| = e^(-a t): the envelopes are the first sample
 * of each window, so the rate is a to rounding. */
static void test_table_rate(void **state)
{
    (void)state;
    gdn_traj tr;
    gdn_error err;
    const double a = 0.05;
    gdn_traj_init(&tr, 1, 0, 0);
    for (int k = 0; k < 400; k++) {
        double t = 0.1 * k, x[2] = {1e-4 * exp(-a * t) * cos(t),
                                    1e-4 * exp(-a * t) * sin(t)};
        assert_int_equal(gdn_traj_append(&tr, t, x, NULL, &err), GDN_OK);
    }
    assert_true(fabs(gdn_stab_table_rate(&tr) - a) < 1e-12);
    gdn_traj_release(&tr);
    gdn_traj_init(&tr, 1, 0, 0); /* too short: NaN */
    for (int k = 0; k < 30; k++) {
        double x[2] = {1, 0};
        assert_int_equal(gdn_traj_append(&tr, k, x, NULL, &err), GDN_OK);
    }
    assert_true(isnan(gdn_stab_table_rate(&tr)));
    gdn_traj_release(&tr);
}

static void test_table_cells(void **state)
{
    (void)state;
    gdn_stab_cell c;
    gdn_error err;
    /* nsgan under simgd (h = 0.1): unstable, growth 0.5 log(1 + h^2/4) */
    assert_int_equal(gdn_stab_table_cell(1, 1, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_STAB_UNSTABLE);
    assert_true(fabs(c.theory + 0.5 * log(1 + 0.01 / 4)) < 1e-15);
    /* nsgan + l2 (gamma = 0.1), flow: stable at rate gamma / 2 = 0.05, and
     * the simulation agrees within 10% */
    assert_int_equal(gdn_stab_table_cell(14, 0, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, GDN_STAB_STABLE);
    assert_true(fabs(c.theory - 0.05) < 1e-15);
    assert_true(fabs(c.measured / 0.05 - 1) < 0.1);
    assert_int_equal(c.disagree, 0);
    /* wgan-clip has no flow */
    assert_int_equal(gdn_stab_table_cell(6, 0, &c, &err), GDN_OK);
    assert_int_equal(c.verdict, -1);
    assert_int_equal(c.label, -1);
    assert_true(isnan(c.theory) && isnan(c.measured));
    assert_int_equal(gdn_stab_table_cell(15, 0, &c, &err), GDN_EINVAL);
    assert_int_equal(gdn_stab_table_cell(0, 7, &c, &err), GDN_EINVAL);
}

/* Each map's sweep is what its command says: the same model, method,
 * steps, dimension and axes (the command is what the report prints). */
static void test_maps(void **state)
{
    (void)state;
    gdn_error err;
    char want[256];
    assert_null(gdn_claim_map_get(GDN_CLAIM_MAPS));
    for (int k = 0; k < GDN_CLAIM_MAPS; k++) {
        const gdn_claim_map *m = gdn_claim_map_get(k);
        gdn_sweep sw;
        assert_non_null(m);
        assert_int_equal(gdn_claim_map_sweep(m, &sw, &err), GDN_OK);
        assert_int_equal(sw.naxes, 2);
        assert_int_equal(sw.sys.n, m->n);
        assert_true(sw.opts.steps == m->steps && sw.opts.every == 10);
        assert_true(sw.x0 == m->x0);
        assert_int_equal(gdn_sweep_count(&sw),
                         (size_t)(sw.axes[0].count * sw.axes[1].count));
        const char *keys[6] = {"--model ", "--opt ", "--steps ", "--grid ",
                               "--grid ", "--plot "};
        const char *vals[6] = {m->model, m->opt, NULL, m->ax0, m->ax1,
                               m->file};
        for (int i = 0; i < 6; i++) {
            if (vals[i])
                snprintf(want, sizeof want, "%s%s ", keys[i], vals[i]);
            else
                snprintf(want, sizeof want, "%s%ld ", keys[i], m->steps);
            if (!strstr(m->command, want))
                fail_msg("map %d: '%s' not in '%s'", k, want, m->command);
        }
        snprintf(want, sizeof want, "--dim %zu ", m->n);
        assert_true(m->n == 2 || strstr(m->command, want));
        assert_true(!m->reg || strstr(m->command, "--reg l2 "));
        assert_true(!m->boundary || strstr(m->command, "--plot-boundary"));
        assert_non_null(strstr(m->command, m->title));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_judge_refused),
        cmocka_unit_test(test_claim_centre),
        cmocka_unit_test(test_claim_gp0),
        cmocka_unit_test(test_claim_nsgan),
        cmocka_unit_test(test_claim_fgans),
        cmocka_unit_test(test_claim_ema),
        cmocka_unit_test(test_table_rate),
        cmocka_unit_test(test_table_cells),
        cmocka_unit_test(test_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
