/*
 * bench_sweep.c - time gdn_sweep_run in-process on a random-starts sweep
 * (the work of 'gandyn sweep --random N' without the output files), and
 * draw the growth figure of bench/sweep.sh.
 *
 * Timing mode:
 *
 *   gandyn_bench_sweep [--model SPEC] [--dim N] [--opt SPEC]
 *                      [--points N] [--seed S] [--box LO:HI]
 *                      [--steps K] [--every K] [--t-end T] [--dt DT]
 *                      [--threads T1,T2,...] [--batch B] [--reps R]
 *                      [--dump FILE] [--dump-count K]
 *
 * Builds a gdn_sweep of --points starts drawn uniform in the box (default
 * [-1, 1]^(2n)) with splitmix64 from --seed, exactly as 'gandyn sweep
 * --random N --seed S' draws them, and times gdn_sweep_run over all of them
 * once per repetition and thread count (0: all available; default "0,1";
 * the thread counts alternate within each repetition), after one untimed
 * warm-up sweep of min(points, 4096) points.  The records
 * array is allocated and touched before the clock starts.  Each run is
 * timed with clock_gettime(CLOCK_MONOTONIC); one line of key=value pairs
 * per thread count goes to stdout (parsed by bench/bench_sweep.py):
 *
 *   threads=2 points=... n=... opt=... batched=1 reps=1 median_s=...
 *   min_s=... max_s=... hash=... labels=a,b,c,d,e,f,g same=1
 *
 * hash is FNV-1a over the bytes of the records (the records must not depend
 * on the thread count: same=1 says every run gave the same hash); labels counts the diagnosis labels (converges, circle,
 * oscillates, diverges, undefined, undecided, stalls: gdn_diag_label order).
 *
 * --dump FILE writes, for the first --dump-count points (default 1000), a
 * CSV row: k, the start (2n), the record's fields, then a single run of the
 * same point through gdn_run (untimed): the final state (2n), accepted and
 * rejected steps, evaluations, status.  bench_sweep.py checks numpy and
 * scipy against it.
 *
 * Plot mode:
 *
 *   gandyn_bench_sweep --plot-csv FILE.csv --plot OUT.png
 *
 * FILE.csv has a header and rows "kind,x,y" with kind points (x: points,
 * y: seconds), steps (x: steps, y: seconds) or dim (x: n, y: ns per
 * point-step); draws three log-log panels (x as log10, y on a log axis)
 * with a dashed line proportional to x through the last point.
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "gandyn.h"

#define MAX_THREADS_LIST 8

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
    fprintf(stderr, "gandyn_bench_sweep: %s: %s\n", what, msg);
    return 1;
}

/* splitmix64, as src/cli/cmd_sweep.c draws --random starts. */
static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t fnv1a(const void *p, size_t len)
{
    const unsigned char *c = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

static int all_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/* ------------------------------------------------------------- plot mode */

#define PLOT_MAX 64

static int plot_mode(const char *csv, const char *out)
{
    static const char *kinds[3] = {"points", "steps", "dim"};
    static const char *titles[3] = {
        "time vs points (simgd, n = 2)",
        "time vs steps (simgd, n = 2)",
        "ns per point-step vs n (simgd)"};
    static const char *xlabels[3] = {"log10 points", "log10 steps",
                                     "log10 n"};
    static const char *ylabels[3] = {"seconds", "seconds",
                                     "ns / point-step"};
    double x[3][PLOT_MAX], y[3][PLOT_MAX], ideal[3][PLOT_MAX];
    size_t cnt[3] = {0, 0, 0};
    FILE *fp = fopen(csv, "r");
    if (!fp)
        return die(csv, "cannot open");
    char line[512];
    int first = 1;
    while (fgets(line, sizeof line, fp)) {
        if (first) { /* header */
            first = 0;
            continue;
        }
        char kind[32];
        double a, b;
        if (sscanf(line, "%31[^,],%lf,%lf", kind, &a, &b) != 3)
            continue;
        for (int k = 0; k < 3; k++)
            if (!strcmp(kind, kinds[k]) && cnt[k] < PLOT_MAX && a > 0 &&
                b > 0) {
                x[k][cnt[k]] = log10(a);
                y[k][cnt[k]] = b;
                cnt[k]++;
            }
    }
    fclose(fp);
    gdn_panel panels[3];
    gdn_line lines[3][2];
    size_t np = 0;
    for (int k = 0; k < 3; k++) {
        if (cnt[k] < 2)
            continue;
        size_t last = cnt[k] - 1;
        for (size_t i = 0; i < cnt[k]; i++) /* y proportional to x */
            ideal[k][i] = y[k][last] * pow(10.0, x[k][i] - x[k][last]);
        memset(lines[np], 0, sizeof lines[np]);
        lines[np][0] = (gdn_line){.x = x[k], .y = y[k], .count = cnt[k],
                                  .color = GDN_BLUE, .width = 2.2,
                                  .label = "measured"};
        lines[np][1] = (gdn_line){.x = x[k], .y = ideal[k], .count = cnt[k],
                                  .color = GDN_GREY, .dashed = 1,
                                  .label = "linear (through the last)"};
        panels[np] = (gdn_panel){.title = titles[k], .xlabel = xlabels[k],
                                 .ylabel = ylabels[k], .xmin = NAN,
                                 .xmax = NAN, .ymin = NAN, .ymax = NAN,
                                 .logy = 1, .legend = 1, .nlines = 2,
                                 .lines = lines[np]};
        np++;
    }
    if (np == 0)
        return die(csv, "no series with two or more points");
    gdn_figure fig = {.width = 420 * (int)np, .height = 420,
                      .title = "gandyn sweep: cost growth (nsgan)",
                      .rows = 1, .cols = np, .npanels = np,
                      .panels = panels};
    gdn_error err;
    if (gdn_figure_write(&fig, out, &err))
        return die(out, err.msg);
    return 0;
}

/* ----------------------------------------------------------- timing mode */

static int dump_points(const gdn_sweep *sw, const gdn_sweep_rec *recs,
                       size_t count, const char *path)
{
    size_t n = sw->sys.n, m = 2 * n;
    FILE *fp = fopen(path, "w");
    if (!fp)
        return die(path, "cannot write");
    double *x0 = malloc(m * sizeof *x0), *xf = malloc(m * sizeof *xf);
    if (!x0 || !xf) {
        fclose(fp);
        free(x0), free(xf);
        return die("malloc", "out of memory");
    }
    fprintf(fp, "k");
    for (size_t i = 0; i < m; i++)
        fprintf(fp, ",x0_%zu", i);
    for (size_t f = 0; f < GDN_SWEEP_NFIELDS; f++)
        fprintf(fp, ",%s", gdn_sweep_field_name(f));
    for (size_t i = 0; i < m; i++)
        fprintf(fp, ",xf_%zu", i);
    fprintf(fp, ",accepted,rejected,nevals,status\n");
    int rc = 0;
    for (size_t k = 0; k < count && !rc; k++) {
        gdn_system sys;
        gdn_run_opts o;
        gdn_error err;
        if (gdn_sweep_setup(sw, k, &sys, &o, x0, &err)) {
            rc = die("gdn_sweep_setup", err.msg);
            break;
        }
        gdn_run *run = gdn_run_new(&sys, &o, x0, &err);
        if (!run) {
            rc = die("gdn_run_new", err.msg);
            break;
        }
        int st;
        while ((st = gdn_run_next(run)) == GDN_OK)
            ;
        memcpy(xf, gdn_run_state(run), m * sizeof *xf);
        gdn_run_info info;
        gdn_run_get_info(run, &info);
        gdn_run_free(run);
        fprintf(fp, "%zu", k);
        for (size_t i = 0; i < m; i++)
            fprintf(fp, ",%.17g", x0[i]);
        const double *r = (const double *)&recs[k];
        for (size_t f = 0; f < GDN_SWEEP_NFIELDS; f++)
            fprintf(fp, ",%.17g", r[f]);
        for (size_t i = 0; i < m; i++)
            fprintf(fp, ",%.17g", xf[i]);
        fprintf(fp, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%d\n", info.accepted, info.rejected,
                info.nevals, st);
    }
    free(x0), free(xf);
    if (fclose(fp) && !rc)
        rc = die(path, "write failed");
    return rc;
}


static void usage(const char *bad)
{
    fprintf(stderr,
            "usage: gandyn_bench_sweep [--model SPEC] [--dim N] [--opt SPEC] "
            "[--points N]\n"
            "         [--seed S] [--box LO:HI] [--steps K] [--every K] "
            "[--t-end T] [--dt DT]\n"
            "         [--threads T1,T2,...] [--batch B] [--reps R] "
            "[--dump FILE] [--dump-count K]\n"
            "       gandyn_bench_sweep --plot-csv FILE.csv --plot OUT.png\n"
            "(bad or incomplete option '%s')\n",
            bad);
}

int main(int argc, char **argv)
{
    const char *model = "nsgan", *optspec = "simgd:lr=0.1", *dump = NULL;
    const char *plot_csv = NULL, *plot_out = NULL, *threads_arg = "0,1";
    double lo = -1, hi = 1, t_end = 100, dt = 100;
    long dim = 2, npoints = 1000, seed = 1, steps = 1000, every = 1000;
    long batch = 0, reps = 1, dump_count = 1000;
    int given_flow_times = 0, given_steps = 0;
    gdn_error err;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v) {
            bad = 1;
        } else if (!strcmp(a, "--model")) {
            model = v;
        } else if (!strcmp(a, "--opt")) {
            optspec = v;
        } else if (!strcmp(a, "--dim")) {
            bad = gdn_parse_long(v, a, 1, 1000000, &dim, &err) != GDN_OK;
        } else if (!strcmp(a, "--points")) {
            bad = gdn_parse_long(v, a, 1, 1000000000L, &npoints, &err);
        } else if (!strcmp(a, "--seed")) {
            bad = gdn_parse_long(v, a, 0, 2147483647L, &seed, &err);
        } else if (!strcmp(a, "--box")) {
            bad = sscanf(v, "%lf:%lf", &lo, &hi) != 2 || !(hi > lo);
        } else if (!strcmp(a, "--steps")) {
            bad = gdn_parse_long(v, a, 0, 1000000000L, &steps, &err);
            given_steps = 1;
        } else if (!strcmp(a, "--every")) {
            bad = gdn_parse_long(v, a, 1, 1000000000L, &every, &err);
            given_steps = 1;
        } else if (!strcmp(a, "--t-end")) {
            bad = gdn_parse_double(v, a, &t_end, &err);
            given_flow_times = 1;
        } else if (!strcmp(a, "--dt")) {
            bad = gdn_parse_double(v, a, &dt, &err);
            given_flow_times = 1;
        } else if (!strcmp(a, "--threads")) {
            threads_arg = v;
        } else if (!strcmp(a, "--batch")) {
            bad = gdn_parse_long(v, a, 0, 100000000L, &batch, &err);
        } else if (!strcmp(a, "--reps")) {
            bad = gdn_parse_long(v, a, 1, 1000000L, &reps, &err);
        } else if (!strcmp(a, "--dump")) {
            dump = v;
        } else if (!strcmp(a, "--dump-count")) {
            bad = gdn_parse_long(v, a, 0, 1000000000L, &dump_count, &err);
        } else if (!strcmp(a, "--plot-csv")) {
            plot_csv = v;
        } else if (!strcmp(a, "--plot")) {
            plot_out = v;
        } else {
            bad = 1;
        }
        if (bad) {
            usage(a);
            return 1;
        }
        i++;
    }
    if (plot_csv || plot_out) {
        if (!plot_csv || !plot_out) {
            usage("--plot-csv and --plot go together");
            return 1;
        }
        return plot_mode(plot_csv, plot_out);
    }

    int threads[MAX_THREADS_LIST], nthr = 0;
    {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", threads_arg);
        for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
            char *end;
            long t = strtol(tok, &end, 10);
            if (*end || t < 0 || t > 4096 || nthr == MAX_THREADS_LIST) {
                usage("--threads");
                return 1;
            }
            threads[nthr++] = (int)t;
        }
        if (nthr == 0) {
            usage("--threads");
            return 1;
        }
    }

    /* The sweep: system, options, random starts. */
    gdn_sweep sw;
    memset(&sw, 0, sizeof sw);
    if (gdn_system_from_specs(&sw.sys, (size_t)dim, model, NULL, 0, NULL,
                              NULL, &err))
        return die("--model", err.msg);
    gdn_run_opts_init(&sw.opts, gdn_opt_find("flow"));
    if (gdn_spec_opt(optspec, &sw.opts, NULL, &err))
        return die("--opt", err.msg);
    int flow = gdn_run_opts_is_flow(&sw.opts);
    if ((flow && given_steps) || (!flow && given_flow_times))
        return die("options", flow ? "--steps/--every are for discrete "
                                     "optimizers"
                                   : "--t-end/--dt are for the flow");
    sw.opts.t_end = t_end, sw.opts.dt = dt;
    sw.opts.steps = steps, sw.opts.every = every;
    if (gdn_run_opts_check(&sw.opts, &err))
        return die("options", err.msg);
    gdn_diag_opts_init(&sw.dopts);
    size_t n = (size_t)dim, m = 2 * n, N = (size_t)npoints;
    double *pts = malloc(N * m * sizeof *pts);
    gdn_sweep_rec *recs = malloc(N * sizeof *recs);
    uint64_t *hashes = malloc(sizeof *hashes);
    double *times = malloc((size_t)nthr * (size_t)reps * sizeof *times);
    if (!pts || !recs || !hashes || !times)
        return die("malloc", "out of memory");
    uint64_t s = (uint64_t)seed;
    for (size_t k = 0; k < N * m; k++)
        pts[k] = lo + (hi - lo) * ((double)(splitmix(&s) >> 11) * 0x1p-53);
    sw.points = pts, sw.npoints = N;
    sw.x0 = pts;

    /* Warm-up: page in the code, start the thread pool, touch recs. */
    memset(recs, 0, N * sizeof *recs);
    if (gdn_sweep_run(&sw, 0, N < 4096 ? N : 4096, 0, (size_t)batch, recs,
                      &err))
        return die("gdn_sweep_run (warm-up)", err.msg);

    /* Repetitions outermost, thread counts inside: a disturbance from
     * other processes hits every thread count alike. */
    int same_all = 1;
    for (long r = 0; r < reps; r++)
        for (int ti = 0; ti < nthr; ti++) {
            int nt = threads[ti] > 0 ? threads[ti] : all_threads();
            memset(recs, 0, N * sizeof *recs);
            double t0 = now_s();
            int rc = gdn_sweep_run(&sw, 0, N, nt, (size_t)batch, recs, &err);
            times[ti * reps + r] = now_s() - t0;
            if (rc)
                return die("gdn_sweep_run", err.msg);
            uint64_t h = fnv1a(recs, N * sizeof *recs);
            if (r == 0 && ti == 0)
                hashes[0] = h;
            same_all = same_all && h == hashes[0];
        }
    long labels[7] = {0, 0, 0, 0, 0, 0, 0};
    size_t nonfinite = 0;
    for (size_t k = 0; k < N; k++) {
        int l = (int)recs[k].label;
        if (l >= 0 && l < 7)
            labels[l]++;
        if (!isfinite(recs[k].distance))
            nonfinite++;
    }
    for (int ti = 0; ti < nthr; ti++) {
        int nt = threads[ti] > 0 ? threads[ti] : all_threads();
        double *tt = times + ti * reps;
        qsort(tt, (size_t)reps, sizeof *tt, cmp_double);
        double median = reps % 2 ? tt[reps / 2]
                                  : 0.5 * (tt[reps / 2 - 1] + tt[reps / 2]);
        printf("threads=%d points=%zu n=%zu opt=%s model=%s batched=%d "
               "batch=%ld steps=%ld every=%ld t_end=%.17g dt=%.17g reps=%ld "
               "median_s=%.6e min_s=%.6e max_s=%.6e hash=%016llx "
               "labels=%ld,%ld,%ld,%ld,%ld,%ld,%ld nonfinite=%zu same=%d\n",
               nt, N, n, optspec, model, gdn_sweep_batched(&sw), batch,
               flow ? 0L : steps, flow ? 0L : every, flow ? t_end : 0.0,
               flow ? dt : 0.0, reps, median, tt[0], tt[reps - 1],
               (unsigned long long)hashes[0], labels[0], labels[1],
               labels[2], labels[3], labels[4], labels[5], labels[6], nonfinite,
               same_all);
    }
    fflush(stdout);
    int rc = 0;
    if (dump)
        rc = dump_points(&sw, recs,
                         (size_t)dump_count < N ? (size_t)dump_count : N,
                         dump);
    free(pts), free(recs), free(hashes), free(times);
    return rc;
}
