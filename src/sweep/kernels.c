/*
 * kernels.c - batched sweeps: many trajectories of the sigmoid GANs (gan,
 * nsgan) stepped together by simgd, altgd, or the flow (adaptive dopri5,
 * fixed-step RK4 or Euler), in structure-of-arrays batches that stay in
 * cache.
 *
 * Rule: every operation below is the one the generic path performs
 * (src/dynamics/{system,gd,run,dopri5}.c, src/models/sigmoid_gans.c), in
 * the same order, on the same values, so a batched record equals the record
 * of a single run bit for bit (tests/test_sweep.c checks it).  What the
 * kernels do not cover goes through gdn_run, point by point.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "../dynamics/dopri5_tableau.h"
#include "../dynamics/ode.h"
#include "../core/gmath.h"
#include "sweep_internal.h"

#define DEFAULT_BATCH 256

/* The hot loops are compiled for AVX-512, AVX2 and the baseline, and the
 * loader picks one: the same IEEE operations either way (no fused
 * multiply-adds: -ffp-contract=off), so the results do not change. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define GDN_VECTOR_CLONES \
    __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GDN_VECTOR_CLONES
#endif
#ifdef __GNUC__
#define GDN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define GDN_ALWAYS_INLINE inline
#endif

enum { K_SIMGD, K_ALTGD, K_RK4, K_EULER, K_DOPRI5 };

/* The kind of kernel for sw, or -1. */
static int kernel_of(const gdn_sweep *sw)
{
    const char *m = sw->sys.model.type->name, *o = sw->opts.opt->name;
    if (sw->sys.nreg != 0 || (strcmp(m, "gan") && strcmp(m, "nsgan")))
        return -1;
    /* axes may move the starts and the learning rates, nothing else: the
     * kernels hard-code the model (which has no parameters today) and
     * share the step structure (h, ndis) across a batch */
    for (size_t d = 0; d < sw->naxes; d++) {
        const gdn_sweep_axis *ax = &sw->axes[d];
        if (ax->target == GDN_AXIS_MODEL || ax->target == GDN_AXIS_REG)
            return -1;
        if (ax->target == GDN_AXIS_OPT) {
            const char *key = sw->opts.opt->params[ax->index].key;
            if (strcmp(key, "lr") && strcmp(key, "lr_d") && strcmp(key, "lr_g"))
                return -1;
        }
    }
    if (!strcmp(o, "simgd"))
        return K_SIMGD;
    if (!strcmp(o, "altgd"))
        return K_ALTGD;
    if (!strcmp(o, "flow")) {
        double method = gdn_run_opts_param(&sw->opts, GDN_FLOW_METHOD);
        return method == GDN_FLOW_RK4     ? K_RK4
               : method == GDN_FLOW_EULER ? K_EULER
                                          : K_DOPRI5;
    }
    return -1;
}

int gdn_sweep_batched(const gdn_sweep *sw)
{
    return kernel_of(sw) >= 0;
}

/* A batch: B trajectories, coordinate i of trajectory b at x[i * B + b]. */
typedef struct batch {
    size_t n, B;       /* dimension, trajectories */
    int ns;            /* nsgan (else gan) */
    double blowup;     /* |x_i| above this: diverged */
    double *x;         /* 2n * B: phi then theta */
    double *prev;      /* 2n * B: the state before the step */
    double *k[7], *yt; /* the field / RK4 and dopri5 stages, 2n * B each */
    double *cont;      /* dopri5: 5 * 2n * B dense-output coefficients */
    double *h, *t0, *hd, *err; /* dopri5, per trajectory: next step, the
                                  dense output's step, the error norm */
    long *nacc, *nrej; /* dopri5: steps accepted and rejected */
    double *hs;        /* dopri5: this round's trial steps */
    int *lastf;        /* dopri5: the trial ends at t_end */
    int *last_rej, *act; /* dopri5: the previous trial failed; stepping now */
    double *lr_d, *lr_g; /* per trajectory: learning rates or time scales */
    double *t;         /* per trajectory: the time reached (flow) */
    int *alive;        /* 1 until the trajectory stops */
    double *t_stop;    /* where it stopped */
    int *code;         /* how: a run outcome (GDN_EDIVERGED, ...) */
    gdn_diag_acc *acc; /* per trajectory */
    double *tmp;       /* 2n: one state, gathered */
    double *t_s, *p_s, *g_s; /* B each: scratch of field() */
    int *bad;                /* B: scratch of check() */
} batch;

/* xi of every trajectory at y (2n * B) into out, as gdn_system_grad
 * computes it for gan / nsgan and no regularizer: t summed in index order,
 * p = 0 + s, q2 = 2 * 0, r = 0 - sm (nsgan) or 0 - s (gan), s2 = 2 * 0.
 * Stopped trajectories are computed too (their states are finite and are
 * never written back), so that the loops run straight over b and
 * vectorise; t, p and g are scratch of B each. */
GDN_VECTOR_CLONES
static void field(const batch *bt, const double *restrict y,
                  double *restrict out)
{
    size_t n = bt->n, B = bt->B;
    double *restrict t = bt->t_s, *restrict p = bt->p_s, *restrict g = bt->g_s;
    int ns = bt->ns;
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

static void gather(const batch *bt, size_t b)
{
    for (size_t i = 0; i < 2 * bt->n; i++)
        bt->tmp[i] = bt->x[i * bt->B + b];
}

/* Trajectory b stops at time t, at its current state: the diagnosis gets
 * that state as its last sample (unless it already has it). */
static void stop_lane(batch *bt, size_t b, double t, int code)
{
    bt->alive[b] = 0;
    bt->t_stop[b] = t;
    bt->code[b] = code;
    gather(bt, b);
    if (bt->acc[b].t_last != t)
        gdn_diag_acc_add(&bt->acc[b], t, bt->tmp);
}

static void sample(batch *bt, const double *t)
{
    for (size_t b = 0; b < bt->B; b++)
        if (bt->alive[b]) {
            gather(bt, b);
            gdn_diag_acc_add(&bt->acc[b], t[b], bt->tmp);
        }
}

/* Trajectories whose new state left the range go back to the state before
 * the step, stop at time t[b], and that state is their last sample (unless
 * it already was one): gdn_run's rule 1 and gdn_run_collect's. */
GDN_VECTOR_CLONES
static void check(batch *bt, const double *t)
{
    size_t m = 2 * bt->n, B = bt->B;
    int *restrict bad = bt->bad;
    const double lim = bt->blowup;
    for (size_t b = 0; b < B; b++)
        bad[b] = 0;
    for (size_t i = 0; i < m; i++) {
        const double *restrict x = bt->x + i * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++)
            bad[b] |= !(fabs(x[b]) <= lim);
    }
    for (size_t b = 0; b < B; b++) {
        if (!bad[b] || !bt->alive[b])
            continue;
        for (size_t i = 0; i < m; i++)
            bt->x[i * B + b] = bt->prev[i * B + b];
        /* from t = 0: the first step left the range (run.c's overflow) */
        stop_lane(bt, b, t[b], t[b] == 0 ? GDN_EOVERFLOW : GDN_EDIVERGED);
    }
}

/* One player's plain step: coordinates lo..lo+n of x along -lr xi, for
 * the live trajectories. */
GDN_VECTOR_CLONES
static void descend(batch *bt, size_t lo, const double *restrict lr)
{
    size_t B = bt->B;
    const int *restrict alive = bt->alive;
    for (size_t i = lo; i < lo + bt->n; i++) {
        double *restrict x = bt->x + i * B;
        const double *restrict xi = bt->k[0] + i * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double nx = x[b] - lr[b] * xi[b];
            x[b] = alive[b] ? nx : x[b];
        }
    }
}

/* simgd in 2-D, fused: one pass per step reads the state, computes the
 * field, steps, and checks the range, with the operations of field() and
 * descend() in the same order; the old state stays in place for a
 * trajectory that leaves the range, so nothing is copied.  Marks the
 * trajectories that left it in bad[b]. */
GDN_VECTOR_CLONES
static void simgd_step_2d(batch *bt)
{
    size_t B = bt->B;
    double *restrict p0 = bt->x, *restrict p1 = bt->x + B;
    double *restrict q0 = bt->x + 2 * B, *restrict q1 = bt->x + 3 * B;
    const double *restrict ld = bt->lr_d, *restrict lg = bt->lr_g;
    const int *restrict alive = bt->alive;
    int *restrict bad = bt->bad;
    const double lim = bt->blowup, q2 = 2 * 0.0, s2 = 2 * 0.0;
    const int ns = bt->ns;
#pragma omp simd
    for (size_t b = 0; b < B; b++) {
        double a0 = p0[b], a1 = p1[b], c0 = q0[b], c1 = q1[b];
        double t = 0;
        t += c0 * a0;
        t += c1 * a1;
        double e = gdn__exp(-fabs(t)), r = 1.0 / (1.0 + e);
        double s = t >= 0 ? r : e * r, sm = t >= 0 ? e * r : r;
        double P = 0.0 + s, G = ns ? 0.0 - sm : 0.0 - s;
        double n0 = a0 - ld[b] * (P * c0 + q2 * a0);
        double n1 = a1 - ld[b] * (P * c1 + q2 * a1);
        double m0 = c0 - lg[b] * (G * a0 + s2 * c0);
        double m1 = c1 - lg[b] * (G * a1 + s2 * c1);
        int out = !(fabs(n0) <= lim) | !(fabs(n1) <= lim) |
                  !(fabs(m0) <= lim) | !(fabs(m1) <= lim);
        int keep = (!alive[b]) | out;
        bad[b] = out;
        p0[b] = keep ? a0 : n0, p1[b] = keep ? a1 : n1;
        q0[b] = keep ? c0 : m0, q1[b] = keep ? c1 : m1;
    }
}

static void run_discrete(batch *bt, const gdn_run_opts *o, int kind)
{
    size_t m = 2 * bt->n, B = bt->B, n = bt->n;
    long steps = o->steps, every = o->every;
    int g_first = kind == K_ALTGD && o->par[GDN_ALT_ORDER] == GDN_ORDER_GD;
    long ndis = kind == K_ALTGD ? (long)o->par[GDN_ALT_NDIS] : 1;
    for (size_t b = 0; b < B; b++)
        bt->t[b] = 0;
    sample(bt, bt->t);
    int fused = kind == K_SIMGD && n == 2;
    for (long k = 0; k < steps; k++) {
        if (fused) {
            simgd_step_2d(bt);
            for (size_t b = 0; b < B; b++)
                if (bt->bad[b] && bt->alive[b]) /* left the range: stop */
                    stop_lane(bt, b, bt->t[b],
                              k == 0 ? GDN_EOVERFLOW : GDN_EDIVERGED);
            for (size_t b = 0; b < B; b++)
                bt->t[b] = (double)(k + 1);
            if ((k + 1) % every == 0 || k + 1 == steps)
                sample(bt, bt->t);
            continue;
        }
        memcpy(bt->prev, bt->x, m * B * sizeof(double));
        if (kind == K_SIMGD) {
            field(bt, bt->x, bt->k[0]);
            descend(bt, 0, bt->lr_d);
            descend(bt, n, bt->lr_g);
        } else {
            if (g_first)
                field(bt, bt->x, bt->k[0]), descend(bt, n, bt->lr_g);
            for (long j = 0; j < ndis; j++)
                field(bt, bt->x, bt->k[0]), descend(bt, 0, bt->lr_d);
            if (!g_first)
                field(bt, bt->x, bt->k[0]), descend(bt, n, bt->lr_g);
        }
        check(bt, bt->t); /* a stopped run keeps step k's state, at k */
        for (size_t b = 0; b < B; b++)
            bt->t[b] = (double)(k + 1);
        if ((k + 1) % every == 0 || k + 1 == steps)
            sample(bt, bt->t);
    }
}

/* y' = -(eta xi(y)), computed for every trajectory (see field). */
GDN_VECTOR_CLONES
static void flow_rhs(const batch *bt, const double *y, double *dy)
{
    size_t n = bt->n, B = bt->B;
    field(bt, y, dy);
    for (size_t i = 0; i < n; i++) {
        double *restrict d = dy + i * B, *restrict e = dy + (n + i) * B;
        const double *restrict ld = bt->lr_d, *restrict lg = bt->lr_g;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            d[b] = -(ld[b] * d[b]);
            e[b] = -(lg[b] * e[b]);
        }
    }
}

/* yt = y + c k, with c = 0.5 h or h computed as the generic path does
 * (0.5 * h * k is (0.5 * h) * k there too). */
GDN_VECTOR_CLONES
static void rk4_stage(batch *bt, double *restrict yt, const double *restrict y,
                      double c, const double *restrict k)
{
    size_t mb = 2 * bt->n * bt->B;
#pragma omp simd
    for (size_t i = 0; i < mb; i++)
        yt[i] = y[i] + c * k[i];
}

/* y += h/6 (k1 + 2 k2 + 2 k3 + k4) for the live trajectories. */
GDN_VECTOR_CLONES
static void rk4_update(batch *bt, double h)
{
    size_t m = 2 * bt->n, B = bt->B;
    const double c = h / 6.0;
    const int *restrict alive = bt->alive;
    for (size_t i = 0; i < m; i++) {
        double *restrict y = bt->x + i * B;
        const double *restrict k1 = bt->k[0] + i * B, *restrict k2 = bt->k[1] + i * B;
        const double *restrict k3 = bt->k[2] + i * B, *restrict k4 = bt->k[3] + i * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double ny = y[b] + c * (k1[b] + 2 * k2[b] + 2 * k3[b] + k4[b]);
            y[b] = alive[b] ? ny : y[b];
        }
    }
}

/* y += h k1 for the live trajectories. */
GDN_VECTOR_CLONES
static void euler_update(batch *bt, double h)
{
    size_t m = 2 * bt->n, B = bt->B;
    const int *restrict alive = bt->alive;
    for (size_t i = 0; i < m; i++) {
        double *restrict y = bt->x + i * B;
        const double *restrict k1 = bt->k[0] + i * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double ny = y[b] + h * k1[b];
            y[b] = alive[b] ? ny : y[b];
        }
    }
}

static void run_flow(batch *bt, const gdn_run_opts *o, int kind)
{
    size_t m = 2 * bt->n, B = bt->B, mb = m * B;
    double hmax = gdn_run_opts_param(o, GDN_FLOW_H);
    double K = floor(o->t_end / o->dt + 1e-9); /* gdn_run's sample times */
    long nout = (long)K + 1;
    if (K * o->dt < o->t_end * (1 - 1e-12))
        nout++;
    for (size_t b = 0; b < B; b++)
        bt->t[b] = 0;
    sample(bt, bt->t);
    double **k = bt->k, *y = bt->x, *yt = bt->yt;
    for (long kout = 1; kout < nout; kout++) {
        double target = kout == nout - 1 ? o->t_end : (double)kout * o->dt;
        int full = kout < nout - 1 || target == (double)kout * o->dt;
        /* every live trajectory is at the same time here */
        double t_now = bt->t[0];
        for (size_t b = 0; b < B; b++)
            if (bt->alive[b])
                t_now = bt->t[b];
        double span = full ? o->dt : target - t_now;
        double ks = ceil(span / hmax * (1 - 1e-12));
        /* at most max_steps <= 1e15 (gdn_run_opts_check in check_sweep):
         * the cast is defined */
        long nsub = ks < 1 ? 1 : ks > 1e15 ? (long)1e15 : (long)ks;
        double h = span / (double)nsub;
        for (long s = 0; s < nsub; s++) {
            memcpy(bt->prev, y, mb * sizeof(double));
            if (kind == K_EULER) {
                flow_rhs(bt, y, k[0]);
                euler_update(bt, h);
            } else {
                flow_rhs(bt, y, k[0]);
                rk4_stage(bt, yt, y, 0.5 * h, k[0]);
                flow_rhs(bt, yt, k[1]);
                rk4_stage(bt, yt, y, 0.5 * h, k[1]);
                flow_rhs(bt, yt, k[2]);
                rk4_stage(bt, yt, y, h, k[2]);
                flow_rhs(bt, yt, k[3]);
                rk4_update(bt, h);
            }
            check(bt, bt->t);
            for (size_t b = 0; b < B; b++)
                if (bt->alive[b])
                    bt->t[b] = s == nsub - 1 ? target : bt->t[b] + h;
        }
        sample(bt, bt->t);
    }
}

/* ----------------------------------------------------- adaptive dopri5 */

/* One trajectory's flow for gdn__dopri5_h0: gdn_system_grad and the time
 * scales, as run.c's flow_rhs computes them. */
typedef struct lane {
    const gdn_system *sys;
    double eta_d, eta_g;
} lane;

static int lane_rhs(void *ctx, const double *y, double *dy)
{
    const lane *l = ctx;
    size_t n = l->sys->n;
    int st = gdn_system_grad(l->sys, y, dy);
    for (size_t i = 0; i < n; i++) {
        dy[i] = -(l->eta_d * dy[i]);
        dy[n + i] = -(l->eta_g * dy[n + i]);
    }
    return st;
}

/* out = y + h[b] * (a[0] k[ix[0]] + a[1] k[ix[1]] + ...), the sum from the
 * left as dopri5.c forms it; loops over the batch, to vectorise.  Inlined
 * into dopri5_trial, where nk and ix are constants and the sum unrolls. */
static GDN_ALWAYS_INLINE void
dopri5_stage(const batch *bt, const double *restrict h, int nk,
             const double *a, const int *ix, double *restrict out)
{
    size_t m = 2 * bt->n, B = bt->B;
    for (size_t i = 0; i < m; i++) {
        const double *restrict yi = bt->x + i * B;
        const double *restrict kq[5];
        for (int q = 0; q < nk; q++)
            kq[q] = bt->k[ix[q]] + i * B;
        double *restrict o = out + i * B;
        for (size_t b = 0; b < B; b++) {
            double sum = a[0] * kq[0][b];
            for (int q = 1; q < nk; q++)
                sum += a[q] * kq[q][b];
            o[b] = yi[b] + h[b] * sum;
        }
    }
}

/* One trial step of every active trajectory from y with its own h into
 * prev (the trial state), stages in k[1..6] (k[0] = f(y) already), and its
 * error norm into err[b]: gdn__dopri5_try lane by lane. */
GDN_VECTOR_CLONES
static void dopri5_trial(batch *bt, const double *h, double rtol, double atol)
{
    const double a3[] = {A31, A32}, a4[] = {A41, A42, A43},
                 a5[] = {A51, A52, A53, A54}, a6[] = {A61, A62, A63, A64, A65},
                 a7[] = {A71, A73, A74, A75, A76};
    static const int i3[] = {0, 1}, i4[] = {0, 1, 2}, i5[] = {0, 1, 2, 3},
                     i6[] = {0, 1, 2, 3, 4}, i7[] = {0, 2, 3, 4, 5};
    size_t m = 2 * bt->n, B = bt->B;
    double **k = bt->k, *y = bt->x, *y1 = bt->prev, *yt = bt->yt;
    for (size_t i = 0; i < m; i++) /* (h A21) k0, as dopri5.c rounds it */
        for (size_t b = 0; b < B; b++)
            yt[i * B + b] = y[i * B + b] + h[b] * A21 * k[0][i * B + b];
    flow_rhs(bt, yt, k[1]);
    dopri5_stage(bt, h, 2, a3, i3, yt);
    flow_rhs(bt, yt, k[2]);
    dopri5_stage(bt, h, 3, a4, i4, yt);
    flow_rhs(bt, yt, k[3]);
    dopri5_stage(bt, h, 4, a5, i5, yt);
    flow_rhs(bt, yt, k[4]);
    dopri5_stage(bt, h, 5, a6, i6, yt);
    flow_rhs(bt, yt, k[5]);
    dopri5_stage(bt, h, 5, a7, i7, y1);
    flow_rhs(bt, y1, k[6]);
    double *sum = bt->err;
    for (size_t b = 0; b < B; b++)
        sum[b] = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t b = 0; b < B; b++) {
            size_t j = i * B + b;
            double e = h[b] * (E1 * k[0][j] + E3 * k[2][j] + E4 * k[3][j] +
                               E5 * k[4][j] + E6 * k[5][j] + E7 * k[6][j]);
            double sc = atol + rtol * fmax(fabs(y[j]), fabs(y1[j]));
            sum[b] += (e / sc) * (e / sc);
        }
    for (size_t b = 0; b < B; b++) { /* one block: the RMS, as in dopri5.c */
        double worst = fmax(0, sum[b] / (double)m);
        double err = sqrt(worst);
        sum[b] = isfinite(err) ? err : INFINITY;
    }
}

/* The dense output of trajectory b's accepted step from t0 (as
 * gdn__dopri5_dense), before x and k0 move on.  Only the steps that cross a
 * sample time need it: the sample reads the step that ended past it. */
static void dopri5_dense(batch *bt, size_t b, double t0, double h)
{
    size_t m = 2 * bt->n, B = bt->B;
    double **k = bt->k, *c = bt->cont;
    for (size_t i = 0; i < m; i++) {
        size_t j = i * B + b;
        double ydiff = bt->prev[j] - bt->x[j];
        double bspl = h * k[0][j] - ydiff;
        c[(0 * m + i) * B + b] = bt->x[j];
        c[(1 * m + i) * B + b] = ydiff;
        c[(2 * m + i) * B + b] = bspl;
        c[(3 * m + i) * B + b] = ydiff - h * k[6][j] - bspl;
        c[(4 * m + i) * B + b] = h * (D1 * k[0][j] + D3 * k[2][j] +
                                      D4 * k[3][j] + D5 * k[4][j] +
                                      D6 * k[5][j] + D7 * k[6][j]);
    }
    bt->t0[b] = t0, bt->hd[b] = h;
}

/* Every trajectory whose trial step was accepted (act[b]) moves to its
 * trial state, and, FSAL, k0 = k6.  Selects rather than branches, so that
 * it vectorises. */
GDN_VECTOR_CLONES
static void dopri5_accept(batch *bt)
{
    size_t m = 2 * bt->n, B = bt->B;
    const int *act = bt->act;
    for (size_t i = 0; i < m; i++) {
        double *restrict x = bt->x + i * B, *restrict k0 = bt->k[0] + i * B;
        const double *restrict p = bt->prev + i * B;
        const double *restrict k6 = bt->k[6] + i * B;
        for (size_t b = 0; b < B; b++) {
            x[b] = act[b] ? p[b] : x[b];
            k0[b] = act[b] ? k6[b] : k0[b];
        }
    }
}

/* fmin(hi, fmax(lo, v)) for v not NaN (here v = 0.9 err^-0.2, err finite
 * and positive), without libm's calls in the per-trajectory control. */
static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* 0, or -1 when out of memory. */
static int run_dopri5(batch *bt, const gdn_run_opts *o, const gdn_sweep *sw)
{
    size_t m = 2 * bt->n, B = bt->B;
    double rtol = gdn_run_opts_param(o, GDN_FLOW_RTOL);
    double atol = gdn_run_opts_param(o, GDN_FLOW_ATOL);
    unsigned long max_steps =
        (unsigned long)gdn_run_opts_param(o, GDN_FLOW_MAX_STEPS);
    double t_end = o->t_end;
    double K = floor(o->t_end / o->dt + 1e-9); /* gdn_run's sample times */
    long nout = (long)K + 1;
    if (K * o->dt < o->t_end * (1 - 1e-12))
        nout++;
    /* start: k0 = f(y0) and Hairer's first step, lane by lane */
    flow_rhs(bt, bt->x, bt->k[0]);
    double *y0 = malloc(m * sizeof *y0), *f0 = malloc(m * sizeof *f0);
    double *work = malloc(2 * m * sizeof *work);
    if (!y0 || !f0 || !work) {
        free(y0), free(f0), free(work);
        return -1;
    }
    for (size_t b = 0; b < B; b++) {
        lane l = {&sw->sys, bt->lr_d[b], bt->lr_g[b]};
        gdn__ode ode = {m, lane_rhs, &l};
        unsigned long ne = 0;
        for (size_t i = 0; i < m; i++)
            y0[i] = bt->x[i * B + b], f0[i] = bt->k[0][i * B + b];
        bt->h[b] = gdn__dopri5_h0(&ode, y0, f0, rtol, atol, t_end, work, &ne);
        bt->t[b] = 0, bt->nacc[b] = bt->nrej[b] = 0, bt->last_rej[b] = 0;
    }
    free(y0), free(f0), free(work);
    sample(bt, bt->t);
    for (long kout = 1; kout < nout; kout++) {
        double target = kout == nout - 1 ? t_end : (double)kout * o->dt;
        for (;;) { /* trial steps until every trajectory reached target */
            size_t nact = 0;
            for (size_t b = 0; b < B; b++) {
                bt->act[b] = bt->alive[b] && bt->t[b] < target;
                nact += (size_t)bt->act[b];
            }
            if (nact == 0)
                break;
            double *hstep = bt->hs;
            int *last = bt->lastf;
            for (size_t b = 0; b < B; b++) { /* dopri5_advance's loop head */
                hstep[b] = 0, last[b] = 0;
                if (!bt->act[b])
                    continue;
                if ((unsigned long)(bt->nacc[b] + bt->nrej[b]) >= max_steps) {
                    bt->act[b] = 0; /* step budget used up */
                    stop_lane(bt, b, bt->t[b], GDN_EBUDGET);
                    continue;
                }
                double h = bt->h[b], left = t_end - bt->t[b];
                if (h >= left * (1 - 1e-12))
                    h = left, last[b] = 1;
                hstep[b] = h;
            }
            dopri5_trial(bt, hstep, rtol, atol);
            int *bad = bt->bad; /* the trial state left the blowup range */
            for (size_t b = 0; b < B; b++)
                bad[b] = 0;
            for (size_t i = 0; i < m; i++)
                for (size_t b = 0; b < B; b++)
                    bad[b] |= !(fabs(bt->prev[i * B + b]) <= bt->blowup);
            for (size_t b = 0; b < B; b++) {
                double h = hstep[b], err = bt->err[b];
                if (!bt->act[b])
                    continue;
                bt->act[b] = 0; /* from here: 1 if the step is accepted */
                if (err <= 1.0) {
                    if (bad[b]) { /* diverged: the last accepted state stays */
                        stop_lane(bt, b, bt->t[b],
                                  bt->nacc[b] == 0 ? GDN_EOVERFLOW
                                                   : GDN_EDIVERGED);
                        continue;
                    }
                    bt->act[b] = 1;
                    double t1 = last[b] ? t_end : bt->t[b] + h;
                    if (t1 > target)
                        dopri5_dense(bt, b, bt->t[b], h);
                    bt->t[b] = t1;
                    bt->nacc[b]++;
                    double fac = err == 0 ? 5.0
                                          : clamp(0.9 * gdn__pow_pos(err, -0.2), 0.2, 5.0);
                    if (bt->last_rej[b] && fac > 1)
                        fac = 1;
                    bt->h[b] = h * fac;
                    bt->last_rej[b] = 0;
                } else {
                    bt->nrej[b]++;
                    double fac = !isfinite(err) ? 0.25
                                                : clamp(0.9 * gdn__pow_pos(err, -0.2), 0.2, INFINITY);
                    bt->h[b] = h * fac;
                    bt->last_rej[b] = 1;
                    if (bt->h[b] < 1e-14 * fmax(1.0, fabs(bt->t[b])))
                        stop_lane(bt, b, bt->t[b], GDN_ESTEP); /* underflow */
                }
            }
            dopri5_accept(bt);
        }
        /* the sample: the dense output at target, or the state itself */
        for (size_t b = 0; b < B; b++) {
            if (!bt->alive[b])
                continue;
            if (target != bt->t[b]) {
                double s = (target - bt->t0[b]) / bt->hd[b], s1 = 1.0 - s;
                const double *c = bt->cont;
                for (size_t i = 0; i < m; i++)
                    bt->tmp[i] = c[(0 * m + i) * B + b] +
                                 s * (c[(1 * m + i) * B + b] +
                                      s1 * (c[(2 * m + i) * B + b] +
                                            s * (c[(3 * m + i) * B + b] +
                                                 s1 * c[(4 * m + i) * B + b])));
            } else {
                gather(bt, b);
            }
            gdn_diag_acc_add(&bt->acc[b], target, bt->tmp);
        }
    }
    return 0;
}

/* Runs points [first, first + B) as one batch. */
static int run_batch(const gdn_sweep *sw, int kind, size_t first, size_t B,
                     batch *bt, gdn_sweep_rec *recs, gdn_error *err)
{
    size_t n = sw->sys.n, m = 2 * n;
    double t_end = kind >= K_RK4 ? sw->opts.t_end : (double)sw->opts.steps;
    bt->B = B;
    for (size_t b = 0; b < B; b++) {
        gdn_system sys;
        gdn_run_opts o;
        if (gdn_sweep_setup(sw, first + b, &sys, &o, bt->tmp, err))
            return GDN_EINVAL;
        for (size_t i = 0; i < m; i++) {
            if (!isfinite(bt->tmp[i]))
                return gdn_error_set(err, GDN_EINVAL,
                                     "point %zu: a start value is not finite",
                                     first + b);
            bt->x[i * B + b] = bt->tmp[i];
        }
        size_t kd = kind >= K_RK4 ? GDN_FLOW_LR_D : GDN_OPT_LR_D;
        size_t kg = kind >= K_RK4 ? GDN_FLOW_LR_G : GDN_OPT_LR_G;
        bt->lr_d[b] = gdn_run_opts_param(&o, kd);
        bt->lr_g[b] = gdn_run_opts_param(&o, kg);
        bt->alive[b] = 1;
        bt->t_stop[b] = NAN;
        bt->code[b] = GDN_DONE;
        gdn_diag_opts dopt = sw->dopts; /* with what the method is */
        gdn_diag_opts_method(&dopt, &sys, &o);
        gdn_diag_acc_init(&bt->acc[b], n, 0, t_end, &dopt);
    }
    if (kind == K_DOPRI5) {
        if (run_dopri5(bt, &sw->opts, sw))
            return gdn_error_set(err, GDN_ENOMEM, "out of memory (dopri5 batch)");
    } else if (kind >= K_RK4)
        run_flow(bt, &sw->opts, kind);
    else
        run_discrete(bt, &sw->opts, kind);
    for (size_t b = 0; b < B; b++) {
        gdn_run_info info = {.status = bt->alive[b] ? GDN_DONE : bt->code[b],
                             .t = bt->t_stop[b]};
        gdn_diagnosis d;
        gdn_diag_acc_finish(&bt->acc[b], &info, kind < K_RK4, NAN, &d);
        gdn__sweep_record(&d, &recs[b]);
    }
    return GDN_OK;
}

static void batch_free(batch *bt)
{
    free(bt->x), free(bt->prev), free(bt->yt);
    for (int i = 0; i < 7; i++)
        free(bt->k[i]);
    free(bt->cont), free(bt->h), free(bt->t0), free(bt->hd), free(bt->err);
    free(bt->nacc), free(bt->nrej), free(bt->last_rej), free(bt->act);
    free(bt->hs), free(bt->lastf);
    free(bt->lr_d), free(bt->lr_g), free(bt->t), free(bt->alive);
    free(bt->t_stop), free(bt->code), free(bt->acc), free(bt->tmp);
    free(bt->t_s), free(bt->p_s), free(bt->g_s), free(bt->bad);
}

static int batch_alloc(batch *bt, const gdn_sweep *sw, size_t B)
{
    size_t m = 2 * sw->sys.n;
    memset(bt, 0, sizeof *bt);
    bt->n = sw->sys.n;
    bt->ns = !strcmp(sw->sys.model.type->name, "nsgan");
    bt->blowup = sw->opts.blowup;
    bt->x = malloc(m * B * sizeof(double));
    bt->prev = malloc(m * B * sizeof(double));
    bt->yt = malloc(m * B * sizeof(double));
    for (int i = 0; i < 7; i++)
        bt->k[i] = malloc(m * B * sizeof(double));
    bt->cont = malloc(5 * m * B * sizeof(double));
    bt->h = malloc(B * sizeof(double)), bt->t0 = malloc(B * sizeof(double));
    bt->hd = malloc(B * sizeof(double)), bt->err = malloc(B * sizeof(double));
    bt->nacc = malloc(B * sizeof(long)), bt->nrej = malloc(B * sizeof(long));
    bt->last_rej = malloc(B * sizeof(int)), bt->act = malloc(B * sizeof(int));
    bt->hs = malloc(B * sizeof(double)), bt->lastf = malloc(B * sizeof(int));
    bt->lr_d = malloc(B * sizeof(double));
    bt->lr_g = malloc(B * sizeof(double));
    bt->t = malloc(B * sizeof(double));
    bt->alive = malloc(B * sizeof(int));
    bt->t_stop = malloc(B * sizeof(double));
    bt->code = malloc(B * sizeof(int));
    bt->acc = malloc(B * sizeof(gdn_diag_acc));
    bt->tmp = malloc(m * sizeof(double));
    bt->t_s = malloc(B * sizeof(double));
    bt->p_s = malloc(B * sizeof(double));
    bt->g_s = malloc(B * sizeof(double));
    bt->bad = malloc(B * sizeof(int));
    int ok = bt->bad && bt->t_s && bt->p_s && bt->g_s && bt->x && bt->prev && bt->yt && bt->lr_d && bt->lr_g && bt->t &&
             bt->alive && bt->t_stop && bt->code && bt->acc && bt->tmp;
    for (int i = 0; i < 7; i++)
        ok = ok && bt->k[i];
    ok = ok && bt->cont && bt->h && bt->t0 && bt->hd && bt->err && bt->nacc &&
         bt->nrej && bt->last_rej && bt->act && bt->hs && bt->lastf;
    if (!ok)
        batch_free(bt);
    return ok;
}

int gdn__sweep_run_batched(const gdn_sweep *sw, size_t first, size_t count,
                           int nthreads, size_t batch_size, gdn_sweep_rec *recs,
                           gdn_error *err)
{
    int kind = kernel_of(sw);
    /* the default keeps a batch's working set (about 12 n B doubles for
     * the fixed-step kernels) in L2:
     * 256 trajectories up to n = 64, fewer above, at least 16.  dopri5
     * keeps about 30 n B doubles (seven stages, the dense output) and its
     * lanes wait for the slowest of their batch: 64 (measured: 10^4 nsgan
     * trajectories to T = 100, 1.27 s at B = 64 and 32, 1.33 s at 128,
     * 1.4-1.6 s at 256 and 16), fewer above n = 32 */
    size_t dflt = kind == K_DOPRI5 ? 2048 / sw->sys.n : 16384 / sw->sys.n;
    size_t most = kind == K_DOPRI5 ? 64 : DEFAULT_BATCH;
    dflt = dflt > most ? most : (dflt < 16 ? 16 : dflt);
    size_t B = batch_size ? batch_size : dflt;
    size_t nbatches = (count + B - 1) / B;
    int failed = 0;
    gdn_error first_err = {0};
#ifdef _OPENMP
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
#else
    (void)nthreads;
#endif
    {
        batch bt;
        int have = batch_alloc(&bt, sw, B);
        gdn_error e = {0};
        if (!have) {
#ifdef _OPENMP
#pragma omp critical(gdn_sweep_batch_error)
#endif
            if (!gdn__load_flag(&failed)) {
                first_err = (gdn_error){GDN_ENOMEM, "out of memory for a batch"};
                gdn__store_flag(&failed, GDN_ENOMEM);
            }
        }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (size_t j = 0; j < nbatches; j++) {
            if (gdn__load_flag(&failed) || !have)
                continue;
            size_t lo = j * B, size = count - lo < B ? count - lo : B;
            if (run_batch(sw, kind, first + lo, size, &bt, recs + lo, &e)) {
#ifdef _OPENMP
#pragma omp critical(gdn_sweep_batch_error)
#endif
                if (!gdn__load_flag(&failed)) {
                    first_err = e;
                    gdn__store_flag(&failed, e.code ? e.code : GDN_EINVAL);
                }
            }
        }
        if (have)
            batch_free(&bt);
    }
    if (failed && err)
        *err = first_err;
    return failed;
}
