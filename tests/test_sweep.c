/*
 * test_sweep.c - sweeps (gandyn/sweep.h): every record of a sweep, from the
 * batched kernels or the one-by-one path, is bit for bit the record of a
 * single run (gdn_sweep_one) and the diagnosis of the full trajectory
 * (gdn_run_collect + gdn_diagnose); records do not depend on threads or
 * batch size; axes parse (and refuse) as documented; points are counted
 * and ordered row-major, the last axis fastest.
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

/* A method's parameter by key (tables are not indexed by position). */
#define PAR(o, key) ((o).par[gdn_param_index((o).opt->params, (key))])

/* Exact double equality, with both values printed on failure. */
#define assert_dbl_eq(got, want)                                              \
    do {                                                                      \
        double g_ = (got), w_ = (want);                                       \
        if (!(g_ == w_)) {                                                    \
            print_error("%s = %.17g, expected %.17g\n", #got, g_, w_);        \
            fail();                                                           \
        }                                                                     \
    } while (0)

/* Same bits, or both NaN. */
static int same_bits(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 1;
    return memcmp(&a, &b, sizeof a) == 0;
}

/* ----------------------------------------------------------- the cases */

typedef struct sweep_case {
    const char *name;
    const char *model;
    const char *regs[2];
    size_t nreg;
    const char *opt;
    size_t n;
    double t_end, dt; /* flow */
    long steps, every; /* discrete */
    double blowup;     /* 0: the default */
    double x0[6];      /* the base start (2n values) */
    const char *grid[2];
    int batched;       /* what gdn_sweep_batched must say */
    int want_div;      /* some points diverge, and some do not */
} sweep_case;

#define X0_2 {0.1, 0.2, 0.2, 0.1} /* simulate's default start, n = 2 */

static const sweep_case cases[] = {
    /* the batched kernels */
    {.name = "nsgan simgd", .model = "nsgan", .opt = "simgd", .n = 2,
     .steps = 1000, .every = 10, .x0 = X0_2,
     .grid = {"theta1=-1:1:13", "phi1=-1:1:11"}, .batched = 1},
    {.name = "nsgan altgd gd ndis 2", .model = "nsgan",
     .opt = "altgd:order=gd,ndis=2", .n = 2, .steps = 700, .every = 7,
     .x0 = X0_2, .grid = {"lr=0.05:1.5:7", "theta1=-1:1:9"}, .batched = 1},
    {.name = "gan flow rk4 h 0.045", .model = "gan",
     .opt = "flow:method=rk4,h=0.045", .n = 2, .t_end = 20.05, .dt = 0.1,
     .x0 = X0_2, .grid = {"phi1=-1:1:9", "theta2=-1:1:7"}, .batched = 1},
    {.name = "nsgan flow euler h 0.1", .model = "nsgan",
     .opt = "flow:method=euler,h=0.1", .n = 2, .t_end = 30, .dt = 0.25,
     .x0 = X0_2, .grid = {"lr_d=0.5:2:5", "theta1=-1:1:7"}, .batched = 1},
    {.name = "gan simgd 2-D lr_g", .model = "gan", .opt = "simgd", .n = 2,
     .steps = 600, .every = 6, .blowup = 1e3, .x0 = X0_2,
     .grid = {"lr_g=0.05:3:9", "phi2=-1:1:7"}, .batched = 1},
    {.name = "nsgan simgd 3-D", .model = "nsgan", .opt = "simgd:lr=2", .n = 3,
     .steps = 600, .every = 10, .blowup = 1e3,
     .x0 = {0.1, 0.2, 0.1, 0.2, 0.1, 0.2},
     .grid = {"lr_d=0.1:3:6", "theta3=-1:1:5"}, .batched = 1, .want_div = 1},
    {.name = "gan altgd dg lr_d", .model = "gan", .opt = "altgd", .n = 2,
     .steps = 500, .every = 10, .x0 = X0_2,
     .grid = {"lr_d=0.1:1.9:5", "lr_g=0.1:1.9:5"}, .batched = 1},
    {.name = "nsgan flow dopri5", .model = "nsgan", .opt = "flow", .n = 2,
     .t_end = 20, .dt = 0.1, .x0 = X0_2,
     .grid = {"lr_d=0.3:2:5", "theta1=-1:1:7"}, .batched = 1},
    {.name = "gan flow dopri5 rtol 1e-3", .model = "gan",
     .opt = "flow:rtol=1e-3,atol=1e-6", .n = 3, .t_end = 15, .dt = 0.3,
     .x0 = {0.1, 0.2, 0.1, 0.2, 0.1, 0.2},
     .grid = {"phi2=-1:1:5", "lr_g=0.2:3:5"}, .batched = 1},
    /* the batched kernels, some points stopping at the blowup */
    {.name = "nsgan simgd lr 2 blowup", .model = "nsgan", .opt = "simgd:lr=2",
     .n = 2, .steps = 1000, .every = 10, .blowup = 1e3, .x0 = X0_2,
     .grid = {"phi1=-1:1:5", "theta1=-1:1:5"}, .batched = 1, .want_div = 1},
    {.name = "nsgan altgd lr 5 blowup", .model = "nsgan",
     .opt = "altgd:order=gd,ndis=2,lr=5", .n = 1, .steps = 1000, .every = 3,
     .blowup = 1e3, .grid = {"phi1=-1:1:5", "theta1=-1:1:5"}, .batched = 1,
     .want_div = 1},
    {.name = "nsgan flow euler blowup", .model = "nsgan",
     .opt = "flow:method=euler,h=0.1", .n = 2, .t_end = 40, .dt = 0.5,
     .blowup = 1e3, .x0 = X0_2, .grid = {"lr=0.01:60:6", "theta1=-1:1:5"},
     .batched = 1, .want_div = 1},
    {.name = "nsgan flow rk4 blowup", .model = "nsgan",
     .opt = "flow:method=rk4,h=0.5", .n = 1, .t_end = 40, .dt = 0.7,
     .blowup = 1e3, .x0 = {0.5, 0.5}, .grid = {"lr=0.01:40:6", "phi1=-1:1:5"},
     .batched = 1, .want_div = 1},
    {.name = "nsgan flow dopri5 blowup", .model = "nsgan", .opt = "flow",
     .n = 1, .t_end = 40, .dt = 0.5, .blowup = 1.5, .x0 = {0.5, 0.5},
     .grid = {"lr_d=0.2:2:5", "phi1=-1.4:1.4:5"}, .batched = 1, .want_div = 1},
    /* one by one through gdn_run */
    {.name = "nsgan l2 simgd", .model = "nsgan", .regs = {"l2"}, .nreg = 1,
     .opt = "simgd", .n = 2, .steps = 1000, .every = 10, .x0 = X0_2,
     .grid = {"gamma=0:1:6", "theta1=-1:1:9"}},
    {.name = "nsgan l2 simgd lr 2 blowup", .model = "nsgan", .regs = {"l2"},
     .nreg = 1, .opt = "simgd:lr=2", .n = 2, .steps = 1000, .every = 10,
     .blowup = 1e3, .x0 = X0_2, .grid = {"gamma=0:0.5:4", "phi1=-1:1:5"}, .want_div = 1},
    {.name = "wgan-gp c=0 flow dopri5", .model = "wgan-gp:c=0", .opt = "flow",
     .n = 2, .t_end = 15, .dt = 0.1, .x0 = X0_2,
     .grid = {"lambda=0:1:5", "theta1=-1:1:7"}},
    {.name = "nsgan momentum alt", .model = "nsgan",
     .opt = "momentum:schedule=alt", .n = 2, .steps = 800, .every = 10,
     .x0 = X0_2, .grid = {"beta=-0.5:0.5:5", "phi1=-1:1:7"}},
    {.name = "nsgan extragradient", .model = "nsgan", .opt = "extragradient",
     .n = 2, .steps = 800, .every = 10, .x0 = X0_2,
     .grid = {"lr=0.1:1:6", "theta2=-1:1:7"}, .batched = 1},
    /* any model, regulariser and method runs in batches when the axes move
     * only starts and rates */
    {.name = "nsgan l2 simgd batched", .model = "nsgan", .regs = {"l2"},
     .nreg = 1, .opt = "simgd:lr=0.3", .n = 2, .steps = 600, .every = 10,
     .x0 = X0_2, .grid = {"phi1=-1:1:6", "theta1=-1:1:9"}, .batched = 1},
    {.name = "wgan-gp c=0 dopri5 batched", .model = "wgan-gp:c=0",
     .opt = "flow", .n = 2, .t_end = 15, .dt = 0.1, .x0 = X0_2,
     .grid = {"phi2=-1:1:5", "theta1=-1:1:7"}, .batched = 1},
    {.name = "lsgan r1 adam batched", .model = "lsgan", .regs = {"r1"},
     .nreg = 1, .opt = "adam:lr=0.02", .n = 2, .steps = 500, .every = 5,
     .x0 = X0_2, .grid = {"lr=0.005:0.05:4", "theta1=-1:1:5"}, .batched = 1},
    {.name = "hinge consensus batched", .model = "hinge",
     .opt = "consensus:lr=0.1,gamma=0.3", .n = 3, .steps = 400, .every = 10,
     .x0 = {0.2, -0.1, 0.3, 0.1, 0.4, -0.2},
     .grid = {"phi3=-1:1:4", "theta2=-1:1:5"}, .batched = 1},
    /* a kernel's pair, but an axis on ndis takes the one-by-one path */
    {.name = "nsgan altgd ndis axis", .model = "nsgan", .opt = "altgd", .n = 1,
     .steps = 500, .every = 5, .x0 = {0.3, 0.4},
     .grid = {"ndis=1:3:4", "theta1=-1:1:5"}},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void make_sweep(const sweep_case *c, gdn_sweep *sw, double *x0)
{
    gdn_error err = {0};
    memset(sw, 0, sizeof *sw);
    if (gdn_system_from_specs(&sw->sys, c->n, c->model, c->regs, c->nreg,
                              NULL, NULL, &err)) {
        print_error("%s: %s\n", c->name, err.msg);
        fail();
    }
    gdn_run_opts_init(&sw->opts, gdn_opt_find("flow"));
    if (gdn_spec_opt(c->opt, &sw->opts, NULL, &err)) {
        print_error("%s: %s\n", c->name, err.msg);
        fail();
    }
    if (gdn_run_opts_is_flow(&sw->opts))
        sw->opts.t_end = c->t_end, sw->opts.dt = c->dt;
    else
        sw->opts.steps = c->steps, sw->opts.every = c->every;
    if (c->blowup > 0)
        sw->opts.blowup = c->blowup;
    assert_int_equal(gdn_run_opts_check(&sw->opts, &err), GDN_OK);
    gdn_diag_opts_init(&sw->dopts);
    memcpy(x0, c->x0, 2 * c->n * sizeof *x0);
    sw->x0 = x0;
    for (size_t d = 0; d < 2 && c->grid[d]; d++) {
        if (gdn_sweep_axis_parse(c->grid[d], sw, &sw->axes[d], &err)) {
            print_error("%s: --grid %s: %s\n", c->name, c->grid[d], err.msg);
            fail();
        }
        sw->naxes = d + 1;
    }
}

/* rec against the diagnosis of the full trajectory of point k. */
static void check_full_run(const char *name, size_t k, const gdn_system *sys,
                           const gdn_run_opts *opts, const double *x0,
                           const gdn_diag_opts *dopts,
                           const gdn_sweep_rec *rec)
{
    gdn_error err = {0};
    gdn_run *run = gdn_run_new(sys, opts, x0, &err);
    if (!run) {
        /* a start where the field is undefined is itself a result */
        if (!(rec->label == GDN_DIAG_UNDEFINED && rec->t_stop == 0)) {
            print_error("%s point %zu: gdn_run_new failed (%s) but the record "
                        "says label %g, t_stop %g\n",
                        name, k, err.msg, rec->label, rec->t_stop);
            fail();
        }
        return;
    }
    gdn_traj tr;
    gdn_traj_init(&tr, sys->n, gdn_run_navg(run), !gdn_run_is_flow(run));
    int rc = gdn_run_collect(run, &tr, &err);
    assert_int_not_equal(rc, GDN_ENOMEM);
    gdn_run_info info;
    gdn_diagnosis d;
    gdn_run_get_info(run, &info);
    gdn_diag_opts dopt = *dopts; /* a single run knows its method */
    gdn_diag_opts_method(&dopt, sys, opts);
    gdn_diagnose(&tr, &info, &dopt, &d);
    gdn_run_free(run);
    gdn_traj_release(&tr);
    const double want[GDN_SWEEP_NFIELDS] = {
        d.label, d.end.theta_norm, d.end.phi_norm, d.end.gram,
        d.r_end, d.t_eps,          d.stop_t,       d.rate,
        d.rate_kind, d.t_eps_measured};
    const double *got = (const double *)rec;
    for (size_t f = 0; f < GDN_SWEEP_NFIELDS; f++)
        if (!same_bits(got[f], want[f])) {
            print_error("%s point %zu: %s = %.17g in the sweep, %.17g from the "
                        "full trajectory (%s)\n",
                        name, k, gdn_sweep_field_name(f), got[f], want[f],
                        d.text);
            fail();
        }
}

static void print_rec(const char *what, const gdn_sweep_rec *r)
{
    const double *v = (const double *)r;
    print_error("  %s:", what);
    for (size_t f = 0; f < GDN_SWEEP_NFIELDS; f++)
        print_error(" %s=%.17g", gdn_sweep_field_name(f), v[f]);
    print_error("\n");
}

/* Runs case c through gdn_sweep_run and checks every record. */
static void check_case(const sweep_case *c)
{
    gdn_sweep sw;
    double x0[6];
    gdn_error err = {0};
    make_sweep(c, &sw, x0);
    if (gdn_sweep_batched(&sw) != c->batched) {
        print_error("%s: gdn_sweep_batched = %d, expected %d\n", c->name,
                    gdn_sweep_batched(&sw), c->batched);
        fail();
    }
    size_t count = gdn_sweep_count(&sw);
    assert_int_equal(count, (size_t)(sw.axes[0].count * sw.axes[1].count));
    gdn_sweep_rec *recs = calloc(count, sizeof *recs);
    assert_non_null(recs);
    if (gdn_sweep_run(&sw, 0, count, 2, 0, recs, &err)) {
        print_error("%s: gdn_sweep_run: %s\n", c->name, err.msg);
        fail();
    }
    size_t ndiv = 0, nother = 0;
    for (size_t k = 0; k < count; k++) {
        gdn_system sys;
        gdn_run_opts opts;
        double x[6];
        gdn_sweep_rec one;
        memset(&one, 0xA5, sizeof one);
        assert_int_equal(gdn_sweep_setup(&sw, k, &sys, &opts, x, &err),
                         GDN_OK);
        assert_int_equal(gdn_sweep_one(&sys, &opts, x, &sw.dopts, &one, &err),
                         GDN_OK);
        if (memcmp(&one, &recs[k], sizeof one) != 0) {
            print_error("%s point %zu: the sweep's record differs from "
                        "gdn_sweep_one's\n", c->name, k);
            print_rec("sweep", &recs[k]);
            print_rec("one", &one);
            fail();
        }
        check_full_run(c->name, k, &sys, &opts, x, &sw.dopts, &recs[k]);
        if (recs[k].label == GDN_DIAG_DIVERGES && isfinite(recs[k].t_stop))
            ndiv++;
        else
            nother++;
    }
    if (c->want_div && (ndiv == 0 || nother == 0)) {
        print_error("%s: %zu points stop (diverge), %zu do not: the case "
                    "should have both\n", c->name, ndiv, nother);
        fail();
    }
    free(recs);
}

static void test_records_equal_single_runs(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCASES; i++)
        check_case(&cases[i]);
}

/* The field at an undefined start: wgan at phi = 0, one by one. */
static void test_undefined_start(void **state)
{
    (void)state;
    sweep_case c = {.name = "wgan simgd phi = 0", .model = "wgan",
                    .opt = "simgd", .n = 1, .steps = 200, .every = 10,
                    .x0 = {0, 0.5},
                    .grid = {"phi1=-1:1:3", "theta1=0.5:1:2"}};
    gdn_sweep sw;
    double x0[2];
    gdn_error err = {0};
    make_sweep(&c, &sw, x0);
    assert_int_equal(gdn_sweep_count(&sw), 6);
    gdn_sweep_rec recs[6];
    assert_int_equal(gdn_sweep_run(&sw, 0, 6, 1, 0, recs, &err), GDN_OK);
    for (size_t k = 0; k < 6; k++) {
        gdn_system sys;
        gdn_run_opts opts;
        double x[2];
        gdn_sweep_rec one;
        assert_int_equal(gdn_sweep_setup(&sw, k, &sys, &opts, x, &err),
                         GDN_OK);
        assert_int_equal(gdn_sweep_one(&sys, &opts, x, &sw.dopts, &one, &err),
                         GDN_OK);
        assert_memory_equal(&one, &recs[k], sizeof one);
        check_full_run(c.name, k, &sys, &opts, x, &sw.dopts, &recs[k]);
    }
    /* points 2 and 3 start at phi1 = 0 */
    assert_dbl_eq(recs[2].label, GDN_DIAG_UNDEFINED);
    assert_dbl_eq(recs[3].label, GDN_DIAG_UNDEFINED);
    assert_dbl_eq(recs[2].t_stop, 0);
    assert_dbl_eq(recs[2].theta_norm, 0.5);
    assert_dbl_eq(recs[3].theta_norm, 1);
    assert_dbl_eq(recs[2].phi_norm, 0);
    assert_true(recs[0].label != GDN_DIAG_UNDEFINED);
}

/* ---------------------------------------------- threads and batch sizes */

static void check_threads_batches(const sweep_case *c)
{
    gdn_sweep sw;
    double x0[6];
    gdn_error err = {0};
    make_sweep(c, &sw, x0);
    size_t count = gdn_sweep_count(&sw);
    gdn_sweep_rec *ref = calloc(count, sizeof *ref);
    gdn_sweep_rec *got = calloc(count, sizeof *got);
    assert_non_null(ref);
    assert_non_null(got);
    assert_int_equal(gdn_sweep_run(&sw, 0, count, 1, 1, ref, &err), GDN_OK);
    static const int threads[] = {1, 2, 0};
    static const size_t batches[] = {1, 7, 256, 0};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 4; j++) {
            memset(got, 0x5A, count * sizeof *got);
            assert_int_equal(gdn_sweep_run(&sw, 0, count, threads[i],
                                           batches[j], got, &err),
                             GDN_OK);
            if (memcmp(ref, got, count * sizeof *got) != 0) {
                print_error("%s: threads %d batch %zu: records differ from "
                            "threads 1 batch 1\n",
                            c->name, threads[i], batches[j]);
                fail();
            }
        }
    /* a part of the sweep is the same part of the whole */
    size_t first = 5, part = count - 11;
    memset(got, 0x5A, count * sizeof *got);
    assert_int_equal(gdn_sweep_run(&sw, first, part, 2, 7, got, &err), GDN_OK);
    assert_memory_equal(got, ref + first, part * sizeof *got);
    /* beyond the end */
    assert_int_equal(gdn_sweep_run(&sw, first, count, 1, 0, got, &err),
                     GDN_EINVAL);
    free(ref);
    free(got);
}

static void test_threads_and_batches(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCASES; i++)
        if (strstr(cases[i].name, "dopri5") == NULL) /* the slow one */
            check_threads_batches(&cases[i]);
}

/* ------------------------------------------------------------------ axes */

static void base_sweep(gdn_sweep *sw, const char *model,
                       const char *const *regs, size_t nreg, const char *opt,
                       size_t n, double *x0)
{
    gdn_error err = {0};
    memset(sw, 0, sizeof *sw);
    assert_int_equal(
        gdn_system_from_specs(&sw->sys, n, model, regs, nreg, NULL, NULL, &err),
        GDN_OK);
    gdn_run_opts_init(&sw->opts, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt(opt, &sw->opts, NULL, &err), GDN_OK);
    gdn_diag_opts_init(&sw->dopts);
    for (size_t i = 0; i < 2 * n; i++)
        x0[i] = 0.1 * (double)(i + 1);
    sw->x0 = x0;
}

static void parse_ok(const gdn_sweep *sw, const char *text, gdn_sweep_axis *ax)
{
    gdn_error err = {0};
    int rc = gdn_sweep_axis_parse(text, sw, ax, &err);
    if (rc != GDN_OK) {
        print_error("'%s': %s\n", text, err.msg);
        fail();
    }
}

/* The parse fails with GDN_EINVAL and a message naming every needle;
 * failures are counted in bad_parses (and printed), so one run reports all
 * of them. */
static int bad_parses;
static void parse_bad(const gdn_sweep *sw, const char *text, const char *n1,
                      const char *n2)
{
    gdn_error err = {0};
    gdn_sweep_axis ax;
    int rc = gdn_sweep_axis_parse(text, sw, &ax, &err);
    if (rc != GDN_EINVAL || err.code != GDN_EINVAL) {
        print_error("'%s': returned %d (err.code %d), expected GDN_EINVAL\n",
                    text, rc, err.code);
        bad_parses++;
        return;
    }
    if (!err.msg[0] || strchr(err.msg, '\n') ||
        (n1 && !strstr(err.msg, n1)) || (n2 && !strstr(err.msg, n2))) {
        print_error("'%s': message '%s' should name '%s'%s%s%s\n", text,
                    err.msg, n1 ? n1 : "", n2 ? " and '" : "", n2 ? n2 : "",
                    n2 ? "'" : "");
        bad_parses++;
    }
}

static void test_axis_parameters(void **state)
{
    (void)state;
    gdn_sweep sw;
    gdn_sweep_axis ax;
    double x0[4];
    const char *l2[] = {"l2"};
    base_sweep(&sw, "wgan-gp", l2, 1, "simgd", 2, x0);

    parse_ok(&sw, "lr=0.05:1.5:7", &ax);
    assert_string_equal(ax.name, "opt.lr");
    assert_int_equal(ax.target, GDN_AXIS_OPT);
    assert_int_equal(ax.index,
                     gdn_param_index(sw.opts.opt->params, "lr"));
    assert_int_equal(ax.integer, 0);
    assert_int_equal(ax.logscale, 0);
    assert_dbl_eq(ax.lo, 0.05);
    assert_dbl_eq(ax.hi, 1.5);
    assert_int_equal(ax.count, 7);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 0), 0.05);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 3), 0.05 + (1.5 - 0.05) * 0.5);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 6), 1.5);

    parse_ok(&sw, "opt.lr_g=1:2:3", &ax);
    assert_string_equal(ax.name, "opt.lr_g");
    assert_int_equal(ax.target, GDN_AXIS_OPT);
    assert_int_equal(ax.index,
                     gdn_param_index(sw.opts.opt->params, "lr_g"));

    parse_ok(&sw, "gamma=0:1:5", &ax);
    assert_string_equal(ax.name, "reg.gamma");
    assert_int_equal(ax.target, GDN_AXIS_REG);
    assert_int_equal(ax.reg, 0);
    assert_int_equal(ax.index, 0);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 0.25);

    parse_ok(&sw, "c=0:2:3", &ax); /* wgan-gp's c; l2 has none */
    assert_string_equal(ax.name, "model.c");
    assert_int_equal(ax.target, GDN_AXIS_MODEL);
    assert_int_equal(ax.index, 1);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 1);

    parse_ok(&sw, "lambda=0.5:4:8", &ax);
    assert_string_equal(ax.name, "model.lambda");
    assert_int_equal(ax.target, GDN_AXIS_MODEL);
    assert_int_equal(ax.index, 0);

    /* coordinates: phi1..phin are 0..n-1, theta1..thetan n..2n-1 */
    parse_ok(&sw, "phi1=-1:1:3", &ax);
    assert_string_equal(ax.name, "phi1");
    assert_int_equal(ax.target, GDN_AXIS_COORD);
    assert_int_equal(ax.index, 0);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 0);
    parse_ok(&sw, "theta2=-2:2:5", &ax);
    assert_string_equal(ax.name, "theta2");
    assert_int_equal(ax.target, GDN_AXIS_COORD);
    assert_int_equal(ax.index, 3);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 0), -2);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), -1);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 4), 2);
    parse_ok(&sw, "phi2=0:1:2", &ax);
    assert_int_equal(ax.index, 1);
    parse_ok(&sw, "theta1=0:1:2", &ax);
    assert_int_equal(ax.index, 2);

    /* log grids: geometric, both ends exact */
    parse_ok(&sw, "lr=log:0.001:1:4", &ax);
    assert_int_equal(ax.logscale, 1);
    assert_dbl_eq(ax.lo, 0.001);
    assert_dbl_eq(ax.hi, 1);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 0), 0.001);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 0.001 * pow(1000, 1.0 / 3));
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 2), 0.001 * pow(1000, 2.0 / 3));
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 3), 1);
    assert_true(fabs(gdn_sweep_axis_value(&ax, 1) - 0.01) < 1e-15);
    parse_ok(&sw, "theta1=log:0.5:8:5", &ax);
    assert_int_equal(ax.target, GDN_AXIS_COORD);
    assert_true(fabs(gdn_sweep_axis_value(&ax, 2) - 2) < 1e-14);

    /* a whole-number parameter: values rounded */
    gdn_sweep alt;
    double y0[2];
    base_sweep(&alt, "nsgan", NULL, 0, "altgd", 1, y0);
    parse_ok(&alt, "ndis=1:3:4", &ax);
    assert_string_equal(ax.name, "opt.ndis");
    assert_int_equal(ax.integer, 1);
    assert_int_equal(ax.index,
                     gdn_param_index(alt.opts.opt->params, "ndis"));
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 0), 1);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 2); /* 1.67 */
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 2), 2); /* 2.33 */
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 3), 3);
    parse_ok(&alt, "ndis=log:1:100:3", &ax);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 10);
    parse_ok(&alt, "ndis=1:2:5", &ax);
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 1), 1);  /* 1.25 */
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 2), 2);  /* 1.5: away from 0 */
    assert_dbl_eq(gdn_sweep_axis_value(&ax, 3), 2);  /* 1.75 */
}

static void test_axis_errors(void **state)
{
    (void)state;
    gdn_sweep sw, gp, alt;
    double x0[4], y0[4], z0[4];
    const char *l2[] = {"l2"}, *gpreg[] = {"gp"};
    base_sweep(&sw, "nsgan", l2, 1, "simgd", 2, x0);
    base_sweep(&gp, "wgan-gp", gpreg, 1, "simgd", 2, y0);
    base_sweep(&alt, "nsgan", NULL, 0, "altgd", 2, z0);
    bad_parses = 0;

    parse_bad(&sw, "lrr=0.1:1:3", "lrr", NULL);           /* unknown key */
    parse_bad(&sw, "beta1=0.1:0.5:3", "beta1", NULL);
    parse_bad(&sw, "foo.lr=0.1:1:3", "foo.lr", NULL);     /* bad qualifier */
    parse_bad(&sw, "model.lr=0.1:1:3", "model.lr", NULL); /* not the model's */
    parse_bad(&gp, "lambda=0:1:3", "lambda", "ambiguous");
    parse_bad(&gp, "lambda=0:1:3", "model.lambda", "reg.lambda");
    parse_bad(&alt, "order=0:1:2", "order", "dg|gd");     /* enum */
    parse_bad(&sw, "lr=1:1:3", "lr=1:1:3", "empty");      /* empty range */
    parse_bad(&sw, "lr=2:1:3", "lr=2:1:3", NULL);
    parse_bad(&sw, "theta1=1:-1:3", "theta1=1:-1:3", NULL);
    parse_bad(&sw, "lr=0.1:1:1", "1", NULL);              /* N < 2 */
    parse_bad(&sw, "lr=0.1:1:0", "0", NULL);
    parse_bad(&sw, "lr=0.1:1:2.5", "2.5", NULL);
    parse_bad(&sw, "lr=log:0:1:3", "lr=log:0:1:3", "LO > 0");
    parse_bad(&sw, "phi1=log:-1:1:3", "phi1=log:-1:1:3", NULL);
    parse_bad(&sw, "lr=0:1:5", "lr", "0");                /* lr > 0 */
    parse_bad(&sw, "gamma=-1:1:3", "gamma", "-1");        /* gamma >= 0 */
    parse_bad(&alt, "ndis=0:3:4", "ndis", "0");           /* ndis >= 1 */
    parse_bad(&alt, "ndis=1.5:3:4", "ndis", "1.5");       /* whole numbers */
    parse_bad(&sw, "theta3=0:1:3", "theta3", NULL);       /* n = 2 */
    parse_bad(&sw, "phi0=0:1:3", "phi0", NULL);
    parse_bad(&sw, "phi=0:1:3", "phi", NULL);
    parse_bad(&sw, "lr", "lr", "KEY=LO:HI:N");            /* malformed */
    parse_bad(&sw, "=0:1:3", "=0:1:3", NULL);
    parse_bad(&sw, "lr=0.1:1", "lr=0.1:1", NULL);
    parse_bad(&sw, "lr=0.1:1:3:4", "lr=0.1:1:3:4", NULL);
    parse_bad(&sw, "lr=a:1:3", "a", NULL);
    parse_bad(&sw, "lr=0.1:nan:3", "nan", NULL);
    parse_bad(&sw, "lr=log:0.1:1:3:9", "lr=log:0.1:1:3:9", NULL);
    assert_int_equal(bad_parses, 0);
}

/* --------------------------------------------------- count and ordering */

static void test_count_and_order(void **state)
{
    (void)state;
    gdn_sweep sw;
    gdn_error err = {0};
    double x0[4];
    base_sweep(&sw, "nsgan", NULL, 0, "simgd", 2, x0);
    assert_int_equal(gdn_sweep_count(&sw), 1); /* no axes: the base start */

    parse_ok(&sw, "lr=0.1:0.4:4", &sw.axes[0]);
    parse_ok(&sw, "theta2=-1:1:3", &sw.axes[1]);
    sw.naxes = 2;
    assert_int_equal(gdn_sweep_count(&sw), 12);
    for (size_t k = 0; k < 12; k++) {
        gdn_system sys;
        gdn_run_opts opts;
        double x[4];
        assert_int_equal(gdn_sweep_setup(&sw, k, &sys, &opts, x, &err),
                         GDN_OK);
        long i0 = (long)(k / 3), i1 = (long)(k % 3); /* last axis fastest */
        assert_dbl_eq(PAR(opts, "lr"), gdn_sweep_axis_value(&sw.axes[0], i0));
        assert_dbl_eq(x[3], -1 + (double)i1);
        assert_dbl_eq(x[0], 0.1);
        assert_dbl_eq(x[1], 0.2);
        assert_dbl_eq(x[2], 0.1 * 3.0);
        assert_dbl_eq(PAR(sw.opts, "lr"), 0.1); /* the base untouched */
    }

    /* explicit points: the slowest axis */
    double pts[3 * 4];
    for (size_t i = 0; i < 12; i++)
        pts[i] = 100 + (double)i;
    sw.points = pts, sw.npoints = 3;
    parse_ok(&sw, "lr_g=1:2:2", &sw.axes[1]); /* axes: lr (4), lr_g (2) */
    assert_int_equal(gdn_sweep_count(&sw), 24);
    for (size_t k = 0; k < 24; k++) {
        gdn_system sys;
        gdn_run_opts opts;
        double x[4];
        assert_int_equal(gdn_sweep_setup(&sw, k, &sys, &opts, x, &err),
                         GDN_OK);
        size_t p = k / 8, i0 = (k / 2) % 4, i1 = k % 2;
        for (size_t i = 0; i < 4; i++)
            assert_dbl_eq(x[i], pts[p * 4 + i]);
        assert_dbl_eq(PAR(opts, "lr"),
                      gdn_sweep_axis_value(&sw.axes[0], (long)i0));
        assert_dbl_eq(PAR(opts, "lr_g"), 1 + (double)i1);
    }
    gdn_system sys;
    gdn_run_opts opts;
    double x[4];
    assert_int_equal(gdn_sweep_setup(&sw, 24, &sys, &opts, x, &err),
                     GDN_EINVAL);

    /* points alone */
    sw.naxes = 0;
    assert_int_equal(gdn_sweep_count(&sw), 3);
    assert_int_equal(gdn_sweep_setup(&sw, 2, &sys, &opts, x, &err), GDN_OK);
    assert_dbl_eq(x[0], 108);
    assert_dbl_eq(x[3], 111);

    /* a model parameter and a regularizer's: they land in sys */
    gdn_sweep mr;
    double y0[4];
    const char *l2[] = {"l2"};
    base_sweep(&mr, "wgan-gp", l2, 1, "simgd", 2, y0);
    parse_ok(&mr, "lambda=1:3:3", &mr.axes[0]);
    parse_ok(&mr, "gamma=0:1:2", &mr.axes[1]);
    parse_ok(&mr, "phi2=-4:4:3", &mr.axes[2]);
    mr.naxes = 3;
    assert_int_equal(gdn_sweep_count(&mr), 18);
    assert_int_equal(gdn_sweep_setup(&mr, 17, &sys, &opts, x, &err), GDN_OK);
    assert_dbl_eq(sys.model.par[0], 3);
    assert_dbl_eq(sys.reg[0].par[0], 1);
    assert_dbl_eq(x[1], 4);
    assert_int_equal(gdn_sweep_setup(&mr, 7, &sys, &opts, x, &err), GDN_OK);
    /* 7 = (1 * 2 + 0) * 3 + 1 */
    assert_dbl_eq(sys.model.par[0], 2);
    assert_dbl_eq(sys.reg[0].par[0], 0);
    assert_dbl_eq(x[1], 0);
    assert_dbl_eq(mr.sys.model.par[0], 0.1); /* the base untouched */

    /* too many to count */
    mr.axes[0].count = 100000000, mr.axes[1].count = 100000000;
    mr.axes[2].count = 100000000;
    mr.axes[3] = mr.axes[2];
    mr.naxes = 4;
    assert_int_equal(gdn_sweep_count(&mr), 0);
    gdn_sweep_rec r;
    assert_int_equal(gdn_sweep_run(&mr, 0, 1, 1, 0, &r, &err), GDN_EINVAL);
}

/* A list held a chunk at a time: the records of points run with only the
 * starts of their chunk in memory (points_first, points_held, the rows of
 * gdn_sweep_point_rows) equal those of the whole list held, for chunks
 * that split a start's axis points, on the batched kernels and one by
 * one, with 1 and 2 threads; a point whose start is not held is refused. */
static void test_held_starts(void **state)
{
    (void)state;
    static const char *const opts[2] = {"simgd:lr=0.2", "adam:lr=0.05"};
    for (int o = 0; o < 2; o++) {
        gdn_sweep sw;
        gdn_error err = {0};
        double x0[4], pts[40 * 4];
        base_sweep(&sw, "nsgan", NULL, 0, opts[o], 2, x0);
        sw.opts.steps = 300, sw.opts.every = 10;
        gdn_sweep_random_starts(3, -1.5, 1.5, 40, 4, pts);
        sw.points = pts, sw.npoints = 40;
        parse_ok(&sw, "lr=0.05:0.3:3", &sw.axes[0]);
        sw.naxes = 1;
        size_t total = gdn_sweep_count(&sw);
        assert_int_equal(total, 120);
        gdn_sweep_rec all[120], part[120];
        assert_int_equal(gdn_sweep_run(&sw, 0, total, 1, 0, all, &err),
                         GDN_OK);
        static const size_t chunks[3] = {1, 7, 50};
        for (int c = 0; c < 3; c++)
            for (int t = 1; t <= 2; t++) {
                memset(part, 0xff, sizeof part);
                for (size_t lo = 0; lo < total; lo += chunks[c]) {
                    size_t count = total - lo < chunks[c] ? total - lo
                                                          : chunks[c];
                    size_t r0, r1;
                    double held[40 * 4];
                    gdn_sweep w = sw;
                    gdn_sweep_point_rows(&sw, lo, count, &r0, &r1);
                    memcpy(held, pts + 4 * r0, (r1 - r0) * 4 * sizeof *held);
                    w.points = held; /* a copy: the rows alone */
                    w.points_first = r0, w.points_held = r1 - r0;
                    assert_int_equal(gdn_sweep_run(&w, lo, count, t, 5,
                                                   part + lo, &err),
                                     GDN_OK);
                    gdn_sweep_rec scratch;
                    if (r0 > 0) /* the start before is not held */
                        assert_int_equal(gdn_sweep_run(&w, 3 * r0 - 1, 1, t,
                                                       0, &scratch, &err),
                                         GDN_EINVAL);
                }
                assert_memory_equal(part, all, sizeof all);
            }
    }
}

static void test_field_names(void **state)
{
    (void)state;
    static const char *const names[] = {"label", "theta_norm", "phi_norm",
                                        "gram",  "distance",   "t_eps",
                                        "t_stop", "rate", "rate_kind",
                                        "t_eps_measured"};
    assert_int_equal(GDN_SWEEP_NFIELDS, 10);
    for (size_t k = 0; k < 10; k++) {
        assert_string_equal(gdn_sweep_field_name(k), names[k]);
        assert_true(strlen(gdn_sweep_field_about(k)) > 0);
    }
    assert_string_equal(gdn_sweep_field_name(10), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_names),
        cmocka_unit_test(test_held_starts),
        cmocka_unit_test(test_axis_parameters),
        cmocka_unit_test(test_axis_errors),
        cmocka_unit_test(test_count_and_order),
        cmocka_unit_test(test_undefined_start),
        cmocka_unit_test(test_records_equal_single_runs),
        cmocka_unit_test(test_threads_and_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
