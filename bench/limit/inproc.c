/*
 * inproc.c - gandyn in-process for bench/limit.sh: the work of
 *
 *   gandyn sweep --model M [--reg R]... --opt O --random N --seed S
 *                [--steps K --every E | --t-end T --dt DT] --threads 1
 *
 * set up as src/cli/cmd_sweep.c sets it up (the same defaults: --every 10,
 * --t-end 100, --dt 0.1, the diagnosis' default tolerances), and the
 * points run by gdn_sweep_run in chunks of --chunk points (default 65536,
 * the CLI's) on the calling thread.  Only the gdn_sweep_run calls are timed,
 * in process CPU time (CLOCK_PROCESS_CPUTIME_ID): no parsing of arguments,
 * no drawing of starts, no output.  Prints one line of key=value pairs;
 * --dump FILE writes |phi| and |theta| at the end of the first --dump-count
 * points (default 1000), one point a line.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gandyn/run.h"
#include "gandyn/spec.h"
#include "gandyn/sweep.h"
#include "gandyn/text.h"

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int die(const char *what, const char *msg)
{
    fprintf(stderr, "inproc: %s: %s\n", what, msg);
    return 1;
}

int main(int argc, char **argv)
{
    const char *model = "nsgan", *opt = "simgd:lr=0.1", *dump = NULL;
    const char *regs[8];
    size_t nreg = 0;
    long N = 200000, seed = 1, steps = 1000, every = 10, chunk = 65536;
    long dump_count = 1000;
    double t_end = 100, dt = 0.1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (!strcmp(a, "--model")) model = v;
        else if (!strcmp(a, "--reg") && nreg < 8) regs[nreg++] = v;
        else if (!strcmp(a, "--opt")) opt = v;
        else if (!strcmp(a, "--random")) N = atol(v);
        else if (!strcmp(a, "--seed")) seed = atol(v);
        else if (!strcmp(a, "--steps")) steps = atol(v);
        else if (!strcmp(a, "--every")) every = atol(v);
        else if (!strcmp(a, "--t-end")) t_end = atof(v);
        else if (!strcmp(a, "--dt")) dt = atof(v);
        else if (!strcmp(a, "--chunk")) chunk = atol(v);
        else if (!strcmp(a, "--dump")) dump = v;
        else if (!strcmp(a, "--dump-count")) dump_count = atol(v);
        else return die("bad option", a);
    }
    if (N < 1 || chunk < 1)
        return die("options", "--random and --chunk must be positive");
    gdn_error err;
    gdn_sweep sw;
    memset(&sw, 0, sizeof sw);
    if (gdn_system_from_specs(&sw.sys, 2, model, regs, nreg, NULL, NULL, &err))
        return die("--model/--reg", err.msg);
    gdn_run_opts_init(&sw.opts, gdn_opt_find("flow"));
    if (gdn_spec_opt(opt, &sw.opts, NULL, &err))
        return die("--opt", err.msg);
    sw.opts.t_end = t_end, sw.opts.dt = dt;
    sw.opts.steps = steps, sw.opts.every = every;
    if (gdn_run_opts_check(&sw.opts, &err))
        return die("options", err.msg);
    gdn_diag_opts_init(&sw.dopts);
    size_t n = (size_t)N, m = 4;
    double *pts = malloc(n * m * sizeof *pts);
    size_t cb = (size_t)chunk < n ? (size_t)chunk : n;
    gdn_sweep_rec *recs = malloc(cb * sizeof *recs);
    size_t nd = (size_t)dump_count < n ? (size_t)dump_count : n;
    double *keep = malloc((nd ? nd : 1) * 2 * sizeof *keep);
    if (!pts || !recs || !keep)
        return die("malloc", "out of memory");
    gdn_sweep_random_starts((uint64_t)seed, -1, 1, n, m, pts);
    sw.points = pts, sw.npoints = n, sw.x0 = pts;
    memset(recs, 0, cb * sizeof *recs);
    long labels[7] = {0};
    double t0 = cpu_s(), busy = 0;
    for (size_t lo = 0; lo < n; lo += cb) {
        size_t c = n - lo < cb ? n - lo : cb;
        double a = cpu_s();
        if (gdn_sweep_run(&sw, lo, c, 1, 0, recs, &err))
            return die("gdn_sweep_run", err.msg);
        busy += cpu_s() - a;
        for (size_t k = 0; k < c; k++) {
            int l = (int)recs[k].label;
            if (l >= 0 && l < 7)
                labels[l]++;
            if (lo + k < nd)
                keep[2 * (lo + k)] = recs[k].phi_norm,
                keep[2 * (lo + k) + 1] = recs[k].theta_norm;
        }
    }
    (void)t0;
    printf("cpu_s=%.6f points=%ld batched=%d theta_norm0=%.17g "
           "labels=%ld,%ld,%ld,%ld,%ld,%ld,%ld\n",
           busy, N, gdn_sweep_batched(&sw), keep[1], labels[0], labels[1],
           labels[2], labels[3], labels[4], labels[5], labels[6]);
    if (dump) {
        FILE *fp = fopen(dump, "w");
        if (!fp)
            return die(dump, "cannot write");
        for (size_t k = 0; k < nd; k++)
            fprintf(fp, "%.17g %.17g\n", keep[2 * k], keep[2 * k + 1]);
        fclose(fp);
    }
    free(pts), free(recs), free(keep);
    return 0;
}
