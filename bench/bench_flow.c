/*
 * bench_flow.c - time the seed's figure in-process: nsgan, 2-D, start
 * (phi, theta) = (0.1, 0.2, 0.2, 0.1), gradient flow to T = 100 with a
 * sample every 0.1 (1001 samples), dopri5 at the given tolerances.
 *
 * One repetition = gdn_run_new + gdn_run_collect (every sample recorded in
 * a gdn_traj) + gdn_traj_release + gdn_run_free, the work 'gandyn simulate'
 * does before writing.  Each repetition is timed on its own with
 * clock_gettime(CLOCK_MONOTONIC); the median is the figure of merit.
 *
 * usage: gandyn_bench_flow [--model SPEC] [--rtol R] [--atol A]
 *                          [--t-end T] [--dt DT]
 *                          [--reps N] [--min-time SECONDS]
 *
 * Runs max(N, as many as fit in SECONDS) repetitions after one warm-up and
 * prints one line of key=value pairs (parsed by bench/bench.py):
 *
 *   model=nsgan rtol=1e-10 atol=1e-12 reps=... median_s=... min_s=...
 *   mean_s=... nevals=... accepted=... rejected=... samples=... final=...
 *
 * Exit status 0, or 1 with a message on stderr for any error.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gandyn.h"

/* A method's parameter by key (tables are not indexed by position). */
#define PAR(o, key) ((o).par[gdn_param_index((o).opt->params, (key))])

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int die(const char *what, const char *msg)
{
    fprintf(stderr, "gandyn_bench_flow: %s: %s\n", what, msg);
    return 1;
}

/* One trajectory; fills info and the final state; returns 0 or 1. */
static int one_run(const gdn_system *sys, const gdn_run_opts *opts,
                   const double *x0, gdn_run_info *info, double *final,
                   size_t *samples)
{
    gdn_error err;
    gdn_traj tr;
    gdn_run *run = gdn_run_new(sys, opts, x0, &err);
    if (!run)
        return die("gdn_run_new", err.msg);
    gdn_traj_init(&tr, sys->n, gdn_run_navg(run), 0);
    int rc = gdn_run_collect(run, &tr, &err);
    gdn_run_get_info(run, info);
    int bad = rc != GDN_DONE || tr.count == 0;
    if (!bad) {
        memcpy(final, tr.x + (tr.count - 1) * 2 * sys->n,
               2 * sys->n * sizeof *final);
        *samples = tr.count;
    }
    gdn_traj_release(&tr);
    gdn_run_free(run);
    if (bad)
        return die("gdn_run_collect",
                   info->why[0] ? info->why : "run did not finish");
    return 0;
}

int main(int argc, char **argv)
{
    const char *model = "nsgan";
    double rtol = GDN_FLOW_RTOL_DEFAULT, atol = GDN_FLOW_ATOL_DEFAULT;
    double t_end = 100, dt = 0.1, min_time = 1.0;
    long reps = 50;
    gdn_error err;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v) {
            bad = 1;
        } else if (!strcmp(a, "--model")) {
            model = v;
        } else if (!strcmp(a, "--rtol")) {
            bad = gdn_parse_double(v, a, &rtol, &err) != GDN_OK;
        } else if (!strcmp(a, "--atol")) {
            bad = gdn_parse_double(v, a, &atol, &err) != GDN_OK;
        } else if (!strcmp(a, "--t-end")) {
            bad = gdn_parse_double(v, a, &t_end, &err) != GDN_OK;
        } else if (!strcmp(a, "--dt")) {
            bad = gdn_parse_double(v, a, &dt, &err) != GDN_OK;
        } else if (!strcmp(a, "--min-time")) {
            bad = gdn_parse_double(v, a, &min_time, &err) != GDN_OK;
        } else if (!strcmp(a, "--reps")) {
            bad = gdn_parse_long(v, a, 1, 100000000L, &reps, &err) != GDN_OK;
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr,
                    "usage: gandyn_bench_flow [--model SPEC] [--rtol R] "
                    "[--atol A] [--t-end T] [--dt DT] [--reps N] "
                    "[--min-time S]\n(bad or incomplete option '%s')\n", a);
            return 1;
        }
        i++;
    }

    gdn_system sys;
    gdn_term term;
    unsigned char given[GDN_MAX_PARAMS];
    if (gdn_spec_term(model, gdn_models, "model", &term, given, &err))
        return die("--model", err.msg);
    if (gdn_system_init(&sys, 2, term.type, &err))
        return die("gdn_system_init", err.msg);
    memcpy(sys.model.par, term.par, sizeof term.par);

    gdn_run_opts opts;
    const gdn_opt_type *flow = gdn_opt_find("flow");
    if (!flow)
        return die("gdn_opt_find", "no 'flow' optimizer");
    gdn_run_opts_init(&opts, flow);
    PAR(opts, "method") = GDN_FLOW_DOPRI5;
    PAR(opts, "rtol") = rtol;
    PAR(opts, "atol") = atol;
    opts.t_end = t_end;
    opts.dt = dt;
    if (gdn_run_opts_check(&opts, &err))
        return die("options", err.msg);

    const double x0[4] = {0.1, 0.2, 0.2, 0.1};
    double final[4];
    size_t samples = 0;
    gdn_run_info info;

    /* Warm-up: page in code and the allocator. */
    if (one_run(&sys, &opts, x0, &info, final, &samples))
        return 1;

    size_t cap = 1024, n = 0;
    double *times = malloc(cap * sizeof *times);
    if (!times)
        return die("malloc", "out of memory");
    double start = now_s();
    while (n < (size_t)reps || now_s() - start < min_time) {
        if (n == cap) {
            double *p = realloc(times, 2 * cap * sizeof *times);
            if (!p) {
                free(times);
                return die("realloc", "out of memory");
            }
            times = p, cap *= 2;
        }
        double t0 = now_s();
        if (one_run(&sys, &opts, x0, &info, final, &samples)) {
            free(times);
            return 1;
        }
        times[n++] = now_s() - t0;
    }
    double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += times[k];
    qsort(times, n, sizeof *times, cmp_double);
    double median = n % 2 ? times[n / 2]
                          : 0.5 * (times[n / 2 - 1] + times[n / 2]);

    printf("model=%s rtol=%.17g atol=%.17g t_end=%.17g dt=%.17g reps=%zu "
           "median_s=%.6e min_s=%.6e mean_s=%.6e nevals=%" PRIu64
           " accepted=%" PRIu64 " rejected=%" PRIu64 " samples=%zu final=%.17g,%.17g,%.17g,%.17g\n",
           model, rtol, atol, t_end, dt, n, median, times[0], sum / (double)n,
           info.nevals, info.accepted, info.rejected, samples, final[0],
           final[1], final[2], final[3]);
    free(times);
    return 0;
}
