/*
 * test_sweep_plan.c - the random starts, the table's layout and the chunk
 * plan of sweeps (gandyn/sweep.h) and their manifest (gandyn/sweepfile.h).
 *
 * splitmix64 against the published outputs of Vigna's splitmix64.c (seed
 * 1234567: 6457827717110365317 = 0x599ed017fb08fc85, ...; seed 0:
 * 0xe220a8397b1dcdaf, ...) and the starts against an independent Python
 * evaluation of lo + (hi - lo) (z >> 11) 2^-53 with the same draws.
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

static void test_splitmix64(void **state)
{
    (void)state;
    static const uint64_t want[3][4] = {
        {0xe220a8397b1dcdafull, 0x6e789e6aa1b965f4ull, 0x06c45d188009454full,
         0xf88bb8a8724c81ecull},
        {0x910a2dec89025cc1ull, 0xbeeb8da1658eec67ull, 0xf893a2eefb32555eull,
         0x71c18690ee42c90bull},
        {0x599ed017fb08fc85ull, 0x2c73f08458540fa5ull, 0x883ebce5a3f27c77ull,
         0x3fbef740e9177b3full}};
    static const uint64_t seeds[3] = {0, 1, 1234567};
    for (int k = 0; k < 3; k++) {
        uint64_t s = seeds[k];
        for (int i = 0; i < 4; i++)
            assert_true(gdn_splitmix64(&s) == want[k][i]);
    }
}

static void test_random_starts(void **state)
{
    (void)state;
    /* seed 7 in [-2, 3): two starts of three coordinates (Python) */
    static const double want[6] = {-0.050851258043642655, -1.9160585273592194,
                                   2.503803403034417,     0.9146514651403903,
                                   0.2622094750573418,    -0.7528423885862834};
    double x[6];
    gdn_sweep_random_starts(7, -2, 3, 2, 3, x);
    for (int i = 0; i < 6; i++)
        assert_true(x[i] == want[i]);
    /* uniform in the box: inside it, mean and variance of U(lo, hi) */
    size_t n = 200000;
    double *y = malloc(n * sizeof *y), sum = 0, sq = 0;
    assert_non_null(y);
    gdn_sweep_random_starts(1, 1, 5, n / 4, 4, y);
    for (size_t i = 0; i < n; i++) {
        assert_true(y[i] >= 1 && y[i] < 5);
        sum += y[i], sq += (y[i] - 3) * (y[i] - 3);
    }
    /* mean 3, variance (5 - 1)^2 / 12 = 4/3; sd of the mean 0.0026 */
    assert_true(fabs(sum / (double)n - 3) < 0.013);
    assert_true(fabs(sq / (double)n - 4.0 / 3) < 0.02);
    /* the starts depend on the seed alone: the first of a longer draw */
    double z[12];
    gdn_sweep_random_starts(7, -2, 3, 4, 3, z);
    assert_memory_equal(z, x, sizeof x);
    free(y);
}

/* Starts made a slice at a time are the slices of the whole draw: every
 * (first, count) of 50 starts of 3, and far into a long sequence against a
 * sequential splitmix64 (the jump is a multiplication, not a loop). */
static void test_random_starts_at(void **state)
{
    (void)state;
    double all[150], part[150];
    gdn_sweep_random_starts(11, -1, 2, 50, 3, all);
    for (size_t first = 0; first < 50; first++)
        for (size_t count = 0; first + count <= 50; count += 7) {
            gdn_sweep_random_starts_at(11, -1, 2, first, count, 3, part);
            assert_memory_equal(part, all + 3 * first,
                                count * 3 * sizeof(double));
        }
    /* start 10^7 of 4 coordinates: draws 4e7 .. 4e7 + 3 */
    uint64_t s = 5;
    for (long k = 0; k < 40000000; k++)
        gdn_splitmix64(&s);
    double x[4], want[4];
    for (int i = 0; i < 4; i++)
        want[i] = -3 + 6 * ((double)(gdn_splitmix64(&s) >> 11) * 0x1p-53);
    gdn_sweep_random_starts_at(5, -3, 3, 10000000, 1, 4, x);
    assert_memory_equal(x, want, sizeof x);
}

static void test_plan(void **state)
{
    (void)state;
    gdn_sweep_plan pl;
    gdn_error err;
    size_t first;
    assert_int_equal(gdn_sweep_plan_init(&pl, 10, 3, &err), GDN_OK);
    assert_int_equal(pl.nchunks, 4);
    assert_int_equal(pl.chunk, 3);
    static const size_t counts[4] = {3, 3, 3, 1};
    for (size_t j = 0; j < 4; j++) {
        assert_int_equal(gdn_sweep_plan_chunk(&pl, j, &first), counts[j]);
        assert_int_equal(first, 3 * j);
    }
    assert_int_equal(gdn_sweep_plan_chunk(&pl, 4, NULL), 0);
    /* a chunk larger than the sweep: one chunk of all the points */
    assert_int_equal(gdn_sweep_plan_init(&pl, 5, 65536, &err), GDN_OK);
    assert_int_equal(pl.nchunks, 1);
    assert_int_equal(gdn_sweep_plan_chunk(&pl, 0, &first), 5);
    /* ranks share the chunks round-robin: each chunk exactly once */
    assert_int_equal(gdn_sweep_plan_init(&pl, 1000, 7, &err), GDN_OK);
    assert_int_equal(pl.nchunks, 143);
    for (int P = 1; P <= 5; P++) {
        size_t points = 0;
        for (size_t j = 0; j < pl.nchunks; j++) {
            int owners = 0;
            for (int r = 0; r < P; r++)
                if (gdn_sweep_plan_owns(&pl, j, r, P)) {
                    owners++;
                    assert_int_equal((size_t)r, j % (size_t)P);
                }
            assert_int_equal(owners, 1);
            points += gdn_sweep_plan_chunk(&pl, j, NULL);
        }
        assert_int_equal(points, 1000);
    }
    assert_int_equal(gdn_sweep_plan_init(&pl, 0, 7, &err), GDN_EINVAL);
    assert_int_equal(gdn_sweep_plan_init(&pl, 7, 0, &err), GDN_EINVAL);
}

/* A sweep over a list of two 1-D starts and two axes (3 x 2 values). */
static void make_sweep(gdn_sweep *sw, const double *pts)
{
    gdn_error err;
    memset(sw, 0, sizeof *sw);
    const char *reg = "l2";
    assert_int_equal(gdn_system_from_specs(&sw->sys, 1, "nsgan", &reg, 1,
                                           NULL, NULL, &err),
                     GDN_OK);
    gdn_run_opts_init(&sw->opts, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt("simgd", &sw->opts, NULL, &err), GDN_OK);
    gdn_diag_opts_init(&sw->dopts);
    sw->points = pts, sw->npoints = 2;
    assert_int_equal(gdn_sweep_axis_parse("lr=0.1:0.3:3", sw, &sw->axes[0],
                                          &err),
                     GDN_OK);
    assert_int_equal(gdn_sweep_axis_parse("gamma=log:0.01:1:2", sw,
                                          &sw->axes[1], &err),
                     GDN_OK);
    sw->naxes = 2;
}

static void test_columns(void **state)
{
    (void)state;
    gdn_sweep sw;
    double pts[4] = {0.5, -0.5, 1.5, 2.5}; /* (phi1, theta1) twice */
    make_sweep(&sw, pts);
    assert_int_equal(gdn_sweep_count(&sw), 12);
    assert_int_equal(gdn_sweep_axis_columns(&sw), 4);
    static const char *const names[4] = {"phi1", "theta1", "opt.lr",
                                         "reg.gamma"};
    char buf[96];
    for (size_t c = 0; c < 4; c++) {
        gdn_sweep_column_name(&sw, c, buf, sizeof buf);
        assert_string_equal(buf, names[c]);
    }
    /* point k: row-major over (start, lr, gamma), gamma fastest */
    for (size_t k = 0; k < 12; k++) {
        double v[4];
        gdn_sweep_point_values(&sw, k, v);
        size_t p = k / 6, i = (k / 2) % 3, g = k % 2;
        assert_true(v[0] == pts[2 * p] && v[1] == pts[2 * p + 1]);
        assert_true(fabs(v[2] - (0.1 + 0.1 * (double)i)) < 1e-15);
        assert_true(fabs(v[3] - (g ? 1.0 : 0.01)) < 1e-15);
    }
}

/* A list held a few rows at a time: gdn_sweep_point_rows names the rows a
 * range of points needs, and with just those rows held (points_first,
 * points_held) every point of the range reads its own start, while a point
 * whose start is not held is refused (setup) or reads NaN (values). */
static void test_held_rows(void **state)
{
    (void)state;
    gdn_sweep sw;
    gdn_error err;
    double pts[10]; /* five 1-D starts */
    for (int i = 0; i < 10; i++)
        pts[i] = 0.01 * (double)(i + 1);
    make_sweep(&sw, pts);
    sw.npoints = 5; /* 5 starts x 6 axis points */
    size_t r0, r1;
    gdn_sweep_point_rows(&sw, 0, 1, &r0, &r1);
    assert_true(r0 == 0 && r1 == 1);
    gdn_sweep_point_rows(&sw, 5, 2, &r0, &r1); /* points 5, 6: rows 0, 1 */
    assert_true(r0 == 0 && r1 == 2);
    gdn_sweep_point_rows(&sw, 13, 17, &r0, &r1); /* 13..29: rows 2..4 */
    assert_true(r0 == 2 && r1 == 5);
    gdn_sweep_point_rows(&sw, 13, 0, &r0, &r1);
    assert_true(r0 == 0 && r1 == 0);
    for (size_t first = 0; first < 30; first++)
        for (size_t count = 1; first + count <= 30; count++) {
            gdn_sweep w = sw;
            gdn_sweep_point_rows(&sw, first, count, &r0, &r1);
            w.points = pts + 2 * r0; /* only those rows */
            w.points_first = r0, w.points_held = r1 - r0;
            for (size_t k = 0; k < 30; k++) {
                gdn_system sys;
                gdn_run_opts opts;
                double x[2], v[4], vall[4];
                int in = k >= first && k < first + count;
                int held = k / 6 >= r0 && k / 6 < r1;
                assert_true(!in || held); /* the rows cover the range */
                int rc = gdn_sweep_setup(&w, k, &sys, &opts, x, &err);
                assert_int_equal(rc, held ? GDN_OK : GDN_EINVAL);
                gdn_sweep_point_values(&w, k, v);
                gdn_sweep_point_values(&sw, k, vall);
                if (held) {
                    assert_true(x[0] == pts[2 * (k / 6)]);
                    assert_memory_equal(v, vall, sizeof v);
                } else {
                    assert_true(isnan(v[0]) && isnan(v[1]));
                    assert_true(v[2] == vall[2] && v[3] == vall[3]);
                }
            }
        }
    /* no list: no rows */
    sw.points = NULL;
    gdn_sweep_point_rows(&sw, 3, 4, &r0, &r1);
    assert_true(r0 == 0 && r1 == 0);
}

/* The manifest names every option that changes a record, and its hash
 * changes with each of them (and not with anything else). */
static void test_manifest(void **state)
{
    (void)state;
    gdn_sweep sw;
    gdn_sweep_plan pl;
    gdn_error err;
    double pts[4] = {0.5, -0.5, 1.5, 2.5};
    make_sweep(&sw, pts);
    assert_int_equal(gdn_sweep_plan_init(&pl, 12, 5, &err), GDN_OK);
    uint64_t fh = 0x1234;
    gdn_sweep_source src = {&fh, 77, 0, 1, -1, 1};
    gdn_manifest m, m2;
    uint64_t h, h2;
    gdn_manifest_init(&m);
    assert_int_equal(gdn_sweep_manifest(&sw, &pl, &src, &m, &h, &err), GDN_OK);
    assert_true(h == gdn_manifest_hash(&m));
    size_t len;
    char *text = gdn_manifest_text(&m, &len);
    assert_non_null(text);
    static const char *const lines[] = {
        "\n--model nsgan\n", "\n--reg l2:gamma=",  "\n--opt simgd:",
        "\n--dim 1\n",       ("\n--grid opt.lr=0.1:0.3:3 --grid "
                              "reg.gamma=log:0.01:1:2\n"),
        "\ninit-file fnv1a 0000000000001234, 77 bytes, 2 starts\n",
        "\n--chunk 5\n",     "\npoints 12\n"};
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++)
        if (!strstr(text, lines[k]))
            fail_msg("manifest without '%s':\n%s", lines[k], text);
    /* the manifest reads back as the same configuration */
    assert_int_equal(gdn_manifest_check(text, len, &m, &err), GDN_OK);
    free(text);
    /* another chunk size: another sweep for --resume */
    assert_int_equal(gdn_sweep_plan_init(&pl, 12, 6, &err), GDN_OK);
    gdn_manifest_init(&m2);
    assert_int_equal(gdn_sweep_manifest(&sw, &pl, &src, &m2, &h2, &err),
                     GDN_OK);
    assert_true(h2 != h);
    assert_int_equal(gdn_manifest_compare(&m, &m2, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "--chunk"));
    gdn_manifest_free(&m2);
    /* random starts instead of a file */
    gdn_sweep_source rnd = {NULL, 0, 6, 42, -2, 3};
    gdn_manifest_init(&m2);
    assert_int_equal(gdn_sweep_manifest(&sw, &pl, &rnd, &m2, &h2, &err),
                     GDN_OK);
    text = gdn_manifest_text(&m2, &len);
    assert_non_null(strstr(text, "\n--random 6\n--seed 42\n--box -2:3\n"));
    assert_null(strstr(text, "init-file"));
    free(text);
    gdn_manifest_free(&m2);
    gdn_manifest_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64),
        cmocka_unit_test(test_random_starts),
        cmocka_unit_test(test_random_starts_at),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_held_rows),
        cmocka_unit_test(test_manifest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
