/*
 * bench_game.c - the Dirac game's evaluations, ns per lane.
 *
 *   field     src/sweep/kernels.c's field() (copied here verbatim, compiled
 *             as kernels.c is: target_clones, -fno-trapping-math), the
 *             batched sweeps' field before the game took it over
 *   fused     gdn_game_grad (gan / nsgan without regularisers: the fused
 *             path of src/game/dirac_fused.c)
 *   lanes     the generic lanes (gdn__dirac_grad_lanes)
 *   system    gdn_system_grad on each lane's own flat state (B = 1 each)
 *   game1     gdn_game_grad with B = 1, lane after lane
 *   jvp, vjp  gdn_game_jvp / _vjp (closed form) against
 *   dense     gdn_system_jacobian and the matrix-vector product
 *
 * Each figure is the minimum over --reps repetitions of the CPU time of a
 * repetition divided by its calls and lanes.
 *
 *   gandyn_bench_game [--model nsgan] [--n 2] [--B 256] [--reps 50]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "game/dirac.h"
#include "gandyn/game.h"
#include "core/gmath.h"
#include "core/simd.h"

/* kernels.c's field(), with its batch's fields as parameters. */
GDN_VECTOR_CLONES
static void field(size_t n, size_t B, int ns, double *restrict t,
                  double *restrict p, double *restrict g,
                  const double *restrict y, double *restrict out)
{
    for (size_t b = 0; b < B; b++)
        t[b] = 0;
    for (size_t i = 0; i < n; i++) {
        const double *restrict ph = y + i * B, *restrict th = y + (n + i) * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++)
            t[b] += th[b] * ph[b];
    }
    if (ns) {
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double e = gdn__exp(-fabs(t[b])), r = 1.0 / (1.0 + e);
            double s = t[b] >= 0 ? r : e * r, sm = t[b] >= 0 ? e * r : r;
            p[b] = 0.0 + s;
            g[b] = 0.0 - sm;
        }
    } else {
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double e = gdn__exp(-fabs(t[b])), r = 1.0 / (1.0 + e);
            double s = t[b] >= 0 ? r : e * r;
            p[b] = 0.0 + s;
            g[b] = 0.0 - s;
        }
    }
    const double q2 = 2 * 0.0, s2 = 2 * 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *restrict ph = y + i * B, *restrict th = y + (n + i) * B;
        double *restrict oph = out + i * B, *restrict oth = out + (n + i) * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            oph[b] = p[b] * th[b] + q2 * ph[b];
            oth[b] = g[b] * ph[b] + s2 * th[b];
        }
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static volatile double sink;

enum { W_FIELD, W_FUSED, W_LANES, W_SYSTEM, W_GAME1, W_JVP, W_VJP, W_DENSE,
       NW };
static const char *const NAMES[NW] = {"field", "fused", "lanes", "system",
                                      "game1", "jvp",   "vjp",   "dense"};

int main(int argc, char **argv)
{
    const char *model = "nsgan";
    size_t n = 2, B = 256;
    int reps = 50;
    for (int k = 1; k + 1 < argc; k += 2) {
        if (!strcmp(argv[k], "--model"))
            model = argv[k + 1];
        else if (!strcmp(argv[k], "--n"))
            n = (size_t)atol(argv[k + 1]);
        else if (!strcmp(argv[k], "--B"))
            B = (size_t)atol(argv[k + 1]);
        else if (!strcmp(argv[k], "--reps"))
            reps = atoi(argv[k + 1]);
    }
    gdn_system sys;
    gdn_game g;
    gdn_error err;
    const gdn_term_type *mt = gdn_term_find(gdn_models, model);
    if (!mt || gdn_system_init(&sys, n, mt, &err) ||
        gdn_game_dirac(&g, &sys, &err)) {
        fprintf(stderr, "bench_game: bad model or n\n");
        return 1;
    }
    size_t m = 2 * n;
    double *x = malloc(m * B * sizeof *x), *v = malloc(m * B * sizeof *v);
    double *y = malloc(m * B * sizeof *y), *xs = malloc(m * sizeof *xs);
    double *ys = malloc(m * sizeof *ys), *J = malloc(m * m * sizeof *J);
    double *t = malloc(3 * B * sizeof *t);
    int *st = malloc(B * sizeof *st);
    if (!x || !v || !y || !xs || !ys || !J || !t || !st)
        return 1;
    for (size_t k = 0; k < m * B; k++) {
        x[k] = 0.3 * sin(1.7 * (double)k + 0.2);
        v[k] = cos(0.9 * (double)k);
    }
    int ns = !strcmp(model, "nsgan");
    int fusable = gdn__dirac_fused_applies(&sys);
    /* calls per repetition: about 2e5 lane-evaluations of the field */
    long calls = (long)(2e5 / (double)(B * n)) + 1;
    long pcalls = (long)(2e4 / (double)(B * n)) + 1; /* products */
    long dcalls = (long)(2e4 / (double)(B * m * m)) + 1; /* dense */
    double best[NW];
    for (int w = 0; w < NW; w++)
        best[w] = INFINITY;
    for (int r = 0; r < reps; r++)
        for (int w = 0; w < NW; w++) {
            if ((w == W_FIELD && !fusable) || (w == W_DENSE && m > 1024))
                continue;
            long c = w >= W_JVP ? (w == W_DENSE ? dcalls : pcalls) : calls;
            double t0 = now();
            for (long k = 0; k < c; k++) {
                switch (w) {
                case W_FIELD:
                    field(n, B, ns, t, t + B, t + 2 * B, x, y);
                    break;
                case W_FUSED:
                    gdn_game_grad(&g, B, x, y, st);
                    break;
                case W_LANES:
                    gdn__dirac_grad_lanes(&sys, B, x, 0, m, y, st);
                    break;
                case W_SYSTEM:
                case W_GAME1:
                    for (size_t b = 0; b < B; b++) {
                        for (size_t i = 0; i < m; i++)
                            xs[i] = x[i * B + b];
                        if (w == W_SYSTEM)
                            gdn_system_grad(&sys, xs, ys);
                        else
                            gdn_game_grad(&g, 1, xs, ys, st);
                        y[b] = ys[0];
                    }
                    break;
                case W_JVP:
                    gdn_game_jvp(&g, B, x, v, y, st);
                    break;
                case W_VJP:
                    gdn_game_vjp(&g, B, x, v, y, st);
                    break;
                case W_DENSE:
                    for (size_t b = 0; b < B; b++) {
                        for (size_t i = 0; i < m; i++)
                            xs[i] = x[i * B + b];
                        gdn_system_jacobian(&sys, xs, J);
                        for (size_t i = 0; i < m; i++) {
                            double acc = 0;
                            for (size_t j = 0; j < m; j++)
                                acc += J[i * m + j] * v[j * B + b];
                            y[i * B + b] = acc;
                        }
                    }
                    break;
                }
                sink = y[k % (long)(m * B)];
            }
            double dt = (now() - t0) / (double)c / (double)B * 1e9;
            best[w] = dt < best[w] ? dt : best[w];
        }
    printf("model=%s n=%zu B=%zu reps=%d (ns per lane, min)\n", model, n, B,
           reps);
    for (int w = 0; w < NW; w++)
        if (isfinite(best[w]))
            printf("  %-7s %10.2f\n", NAMES[w], best[w]);
    free(x), free(v), free(y), free(xs), free(ys), free(J), free(t), free(st);
    return 0;
}
