/*
 * test_diag_lanes.c - the diagnosis accumulator over lanes
 * (src/analysis/diag_lanes.c) against gdn_diag_acc_add, lane by lane, bit
 * for bit, after every sample: random walks through all three tail windows
 * with the special values the accumulator branches on (repeated states,
 * +0 and -0, NaN and infinite components, values so large or small that
 * the invariants are scaled), lanes at different counts, n = 1 to 40 (the
 * pair sum of Gamma and, above 32, its direct formula), one chunk of lanes
 * and several (diag_lanes.c takes them GDN__DL_W at a time); and the lean
 * lanes (gdn__diag_lanes_lean): the same but for the statistics they leave
 * out, and the same diagnoses.
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

#include "analysis/diag_lanes.h"
#include "core/gmath.h"
#include "gandyn/diagnose.h"
#include "check.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double uniform(void) /* [0, 1), xorshift64* */
{
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717ull) >> 11) * 0x1p-53;
}

/* the same bits; NaNs only as NaN (a NaN's sign and payload depend on the
 * order of a sum's operands, which a vector loop may swap; sweeps never
 * hold one: their lanes stop at the last finite state) */
#define SAME(a, b, what)                                                    \
    do {                                                                    \
        if (!same((a), (b))) {                                              \
            fprintf(stderr, "lane %zu, sample %zu: %s %.17g != %.17g\n", l, \
                    k, what, (double)(a), (double)(b));                     \
            fail();                                                         \
        }                                                                   \
    } while (0)

static void same_inv(const gdn_invariants *x, const gdn_invariants *y,
                     size_t l, size_t k)
{
    SAME(x->t, y->t, "t");
    SAME(x->a, y->a, "a");
    SAME(x->b, y->b, "b");
    SAME(x->energy, y->energy, "energy");
    SAME(x->gram, y->gram, "gram");
    SAME(x->phi_norm, y->phi_norm, "phi_norm");
    SAME(x->theta_norm, y->theta_norm, "theta_norm");
    SAME(x->norm, y->norm, "norm");
}

/* x from lanes, y from gdn_diag_acc_add; lean (gdn__diag_lanes_lean): the
 * lanes were put as p, and keep what p held where they leave out */
static void same_acc(const gdn_diag_acc *x, const gdn_diag_acc *y, size_t l,
                     size_t k, const gdn_diag_acc *p)
{
    int lean = p != NULL;
    assert_int_equal(x->count, y->count);
    same_inv(&x->start, &y->start, l, k);
    same_inv(&x->last, &y->last, l, k);
    assert_int_equal(x->tail_started, y->tail_started);
    if (x->tail_started) {
        same_inv(&x->tail0, &y->tail0, l, k);
        assert_int_equal(x->tail_index, y->tail_index);
    }
    SAME(x->t_last, y->t_last, "t_last");
    SAME(x->t_below, y->t_below, "t_below");
    assert_int_equal(x->above, y->above);
    SAME(x->r_last, y->r_last, "r_last");
    assert_int_equal(x->moved_last, y->moved_last);
    for (int c = 0; c < 2; c++) {
        SAME(x->prev_c[c], y->prev_c[c], "prev_c");
        assert_int_equal(x->dir_c[c], y->dir_c[c]);
        assert_int_equal(x->turns_c[c], y->turns_c[c]);
        SAME(x->r_max3[c], y->r_max3[c], "r_max3");
        SAME(x->t_max3[c], y->t_max3[c], "t_max3");
    }
    for (int w = 0; w < 3; w++) {
        const gdn_diag_window *a = &x->w[w], *b = &y->w[w];
        assert_int_equal(a->lo, b->lo);
        assert_int_equal(a->hi, b->hi);
        SAME(a->r_max, b->r_max, "r_max");
        SAME(a->t_max, b->t_max, "t_max");
        if (lean) { /* left out: as put */
            const gdn_diag_window *o = &p->w[w];
            SAME(a->r_min, o->r_min, "r_min (lean)");
            if (w < 2) {
                SAME(a->th_max, o->th_max, "th_max (lean)");
                SAME(a->th_min, o->th_min, "th_min (lean)");
                SAME(a->th_mean, o->th_mean, "th_mean (lean)");
                SAME(a->ph_max, o->ph_max, "ph_max (lean)");
                SAME(a->ph_min, o->ph_min, "ph_min (lean)");
                SAME(a->ph_mean, o->ph_mean, "ph_mean (lean)");
                for (int c = 0; c < 2; c++) {
                    SAME(a->c_min[c], o->c_min[c], "c_min (lean)");
                    SAME(a->c_max[c], o->c_max[c], "c_max (lean)");
                }
                continue;
            }
        } else {
            SAME(a->r_min, b->r_min, "r_min");
        }
        SAME(a->th_max, b->th_max, "th_max");
        SAME(a->th_min, b->th_min, "th_min");
        SAME(a->th_mean, b->th_mean, "th_mean");
        SAME(a->ph_max, b->ph_max, "ph_max");
        SAME(a->ph_min, b->ph_min, "ph_min");
        SAME(a->ph_mean, b->ph_mean, "ph_mean");
        for (int c = 0; c < 2; c++) {
            SAME(a->c_min[c], b->c_min[c], "c_min");
            SAME(a->c_max[c], b->c_max[c], "c_max");
        }
    }
}

/* Every field of two diagnoses. */
static void same_diagnosis(const gdn_diagnosis *x, const gdn_diagnosis *y,
                           size_t l)
{
    size_t k = 0; /* for SAME */
    assert_int_equal(x->label, y->label);
    assert_string_equal(x->text, y->text);
    same_inv(&x->start, &y->start, l, k);
    same_inv(&x->end, &y->end, l, k);
    SAME(x->r_start, y->r_start, "r_start");
    SAME(x->r_end, y->r_end, "r_end");
    SAME(x->t_end, y->t_end, "t_end");
    assert_int_equal(x->rate_kind, y->rate_kind);
    SAME(x->rate, y->rate, "rate");
    SAME(x->t_eps, y->t_eps, "t_eps");
    assert_int_equal(x->t_eps_measured, y->t_eps_measured);
    SAME(x->radius, y->radius, "radius");
    SAME(x->radius_phi, y->radius_phi, "radius_phi");
    SAME(x->radius_gram, y->radius_gram, "radius_gram");
    SAME(x->amplitude, y->amplitude, "amplitude");
    SAME(x->period, y->period, "period");
    SAME(x->spread_theta, y->spread_theta, "spread_theta");
    SAME(x->stop_t, y->stop_t, "stop_t");
    for (int j = 0; j < 3; j++) {
        SAME(x->env[j], y->env[j], "env");
        SAME(x->env_t[j], y->env_t[j], "env_t");
    }
    assert_int_equal(x->turns, y->turns);
}

/* The next state of a lane: mostly a small random step, sometimes a value
 * the accumulator treats apart. */
static void next_state(double *x, size_t m, int specials)
{
    double u = uniform();
    if (specials == 3) { /* anywhere in the range the plain formulas
                          * take, [2^-230, 2^229) (and a little beyond) */
        for (size_t i = 0; i < m; i++)
            x[i] = ldexp((uniform() < 0.5 ? -1 : 1) * (1 + uniform()),
                         (int)(uniform() * 462) - 232);
        return;
    }
    if (specials == 2) { /* a few values: ties, repeats, zeros' signs */
        static const double set[] = {0.0, -0.0, 0.25, -0.25, 0.5};
        for (size_t i = 0; i < m; i++)
            x[i] = set[(size_t)(uniform() * 5)];
        return;
    }
    if (specials && u < 0.05)
        return; /* a repeat: |x| unchanged */
    for (size_t i = 0; i < m; i++) {
        double v = uniform();
        x[i] += 0.2 * (uniform() - 0.5);
        if (!specials)
            continue;
        if (v < 0.02)
            x[i] = v < 0.01 ? 0.0 : -0.0;
        else if (v < 0.025)
            x[i] = 1e200 * (uniform() + 0.5);  /* scaled: large */
        else if (v < 0.03)
            x[i] = -1e-200 * (uniform() + 0.5); /* scaled: small */
        else if (v < 0.032)
            x[i] = NAN;
        else if (v < 0.034)
            x[i] = -INFINITY;
        else if (v < 0.04 || !isfinite(x[i]) || fabs(x[i]) > 1e10 ||
                 (x[i] != 0 && fabs(x[i]) < 1e-10))
            x[i] = uniform() - 0.5; /* back to ordinary values */
    }
}

static void run_case_as(size_t n, size_t B, size_t samples, int specials,
                        double tail, int lean)
{
    size_t m = 2 * n;
    double t_end = (double)(samples - 1);
    gdn_diag_opts o;
    gdn_diag_opts_init(&o);
    o.eps = 0.3; /* crossed both ways by the walks */
    o.tail = tail;
    gdn__diag_lanes D;
    assert_int_equal(gdn__diag_lanes_init(&D, B, n, 0, t_end, &o), GDN_OK);
    if (lean)
        gdn__diag_lanes_lean(&D);
    gdn_diag_acc *ref = malloc(B * sizeof *ref), *put = malloc(B * sizeof *put);
    double *x = malloc(m * B * sizeof *x), *one = malloc(m * sizeof *one);
    assert_non_null(ref), assert_non_null(put);
    assert_non_null(x), assert_non_null(one);
    for (size_t l = 0; l < B; l++) {
        gdn_diag_acc_init(&ref[l], n, 0, t_end, &o);
        for (size_t i = 0; i < m; i++)
            x[i * B + l] = uniform() - 0.5;
    }
    /* lanes at different counts: lane l starts with l % 3 samples taken
     * alone (as a stopped lane's last sample is), then put back */
    for (size_t l = 0; l < B; l++) {
        for (size_t j = 0; j < l % 3; j++) {
            for (size_t i = 0; i < m; i++)
                one[i] = x[i * B + l] + 0.01 * (double)j;
            gdn_diag_acc_add(&ref[l], 0, one);
        }
        gdn__diag_lanes_put(&D, l, &ref[l]);
        put[l] = ref[l];
    }
    gdn_diag_acc got;
    for (size_t k = 0; k < samples; k++) {
        double t = (double)k;
        for (size_t l = 0; l < B; l++) {
            for (size_t i = 0; i < m; i++)
                one[i] = x[i * B + l];
            next_state(one, m, specials);
            for (size_t i = 0; i < m; i++)
                x[i * B + l] = one[i];
            gdn_diag_acc_add(&ref[l], t, one);
        }
        gdn__diag_lanes_add(&D, t, x);
        for (size_t l = 0; l < B; l++) {
            gdn__diag_lanes_get(&D, l, &got);
            same_acc(&got, &ref[l], l, k, lean ? &put[l] : NULL);
        }
        /* a put after adds re-arms what the samples had cleared: every
         * fourth lane starts afresh, once before the tail (its first
         * sample is then due again) and once in it (its first sample is
         * then its tail's first and its windows' first too) */
        if (k == samples / 3 || k == 2 * samples / 3)
            for (size_t l = 1; l < B; l += 4) {
                gdn_diag_acc_init(&ref[l], n, 0, t_end, &o);
                gdn__diag_lanes_put(&D, l, &ref[l]);
                put[l] = ref[l];
            }
    }
    /* and the diagnoses made from them */
    for (size_t l = 0; l < B; l++) {
        gdn_diagnosis d1, d2;
        gdn__diag_lanes_get(&D, l, &got);
        gdn_diag_acc_finish(&got, NULL, 0, NAN, &d1);
        gdn_diag_acc_finish(&ref[l], NULL, 0, NAN, &d2);
        same_diagnosis(&d1, &d2, l);
    }
    gdn__diag_lanes_free(&D);
    free(ref), free(put), free(x), free(one);
}

/* Every lane's numbers, with all the statistics and with the lean lanes. */
static void run_case(size_t n, size_t B, size_t samples, int specials,
                     double tail)
{
    uint64_t seed = rng;
    run_case_as(n, B, samples, specials, tail, 0);
    rng = seed; /* the same walks */
    run_case_as(n, B, samples, specials, tail, 1);
}

static void test_one_dimension(void **state)
{
    (void)state;
    run_case(1, 1, 200, 1, 0.5);
    run_case(1, 37, 300, 1, 0.5);
    run_case(1, 256, 60, 0, 0.5);
    run_case(1, 64, 100, 2, 0.5);
    run_case(1, 9, 100, 1, 1.0); /* all samples in the tail */
    run_case(1, 9, 100, 2, 1.0);
    run_case(1, 256, 400, 3, 0.5); /* |phi| for sqrt(phi^2): every scale */
}

static void test_higher_dimensions(void **state)
{
    (void)state;
    run_case(2, 5, 150, 1, 0.5);
    /* several chunks, the last one part full; zeros (the cheap range test
     * of n <= 2 fails on a = 0) and every scale */
    run_case(2, 3 * GDN__DL_W + 5, 120, 1, 0.5);
    run_case(2, 2 * GDN__DL_W + 1, 100, 2, 1.0);
    run_case(2, 2 * GDN__DL_W, 200, 3, 0.5);
    run_case(1, GDN__DL_W + 3, 200, 3, 0.5);
    run_case(3, GDN__DL_W + 7, 100, 3, 0.5);
    run_case(3, 17, 150, 1, 0.5);
    run_case(3, 17, 150, 2, 1.0);
    run_case(40, 9, 80, 1, 0.5); /* Gamma by its direct formula */
}

/* Every window is visited and the special branches are taken: the test
 * compares something.  (A walk that never reached the tail would compare
 * empty windows only.) */
static void test_cases_reach_the_branches(void **state)
{
    (void)state;
    gdn_diag_opts o;
    gdn_diag_opts_init(&o);
    gdn_diag_acc a;
    gdn_diag_acc_init(&a, 1, 0, 199, &o);
    double x[2] = {0.1, 0.2};
    long scaled = 0;
    for (int k = 0; k < 200; k++) {
        next_state(x, 2, 1);
        double big = fmax(fabs(x[0]), fabs(x[1]));
        scaled += big > 1e100 || (big != 0 && big < 1e-100);
        gdn_diag_acc_add(&a, k, x);
    }
    for (int w = 0; w < 3; w++)
        assert_true(a.w[w].hi > a.w[w].lo);
    assert_true(scaled > 0);
}

/* gdn__fmin / gdn__fmax: C99's fmin and fmax, and between +0 and -0 the
 * second argument (what glibc's x86-64 minsd/maxsd versions give). */
static void test_fmin_fmax(void **state)
{
    (void)state;
    const double v[] = {-INFINITY, -2.5, -0.0, 0.0, 1e-310, 3.0, INFINITY, NAN};
    size_t nv = sizeof v / sizeof v[0];
    for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < nv; j++) {
            double a = v[i], b = v[j];
            double lo = gdn__fmin(a, b), hi = gdn__fmax(a, b);
            if (a == b) { /* equal, zeros of either sign included */
                assert_true(same(lo, b) && same(hi, b));
            } else if (isnan(a) || isnan(b)) {
                assert_true(same(lo, fmin(a, b)) || (isnan(lo) && isnan(fmin(a, b))));
                assert_true(same(hi, fmax(a, b)) || (isnan(hi) && isnan(fmax(a, b))));
            } else {
                assert_true(same(lo, a < b ? a : b));
                assert_true(same(hi, a > b ? a : b));
            }
        }
    assert_true(same(gdn__fmin(-0.0, 0.0), 0.0));
    assert_true(same(gdn__fmax(0.0, -0.0), -0.0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_dimension),
        cmocka_unit_test(test_higher_dimensions),
        cmocka_unit_test(test_cases_reach_the_branches),
        cmocka_unit_test(test_fmin_fmax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
