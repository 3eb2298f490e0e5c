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

#include "../dynamics/lanes.h"
#include "../dynamics/vector.h"
#include "../models/fastexp.h"
#include "sweep_internal.h"

#define DEFAULT_BATCH 256

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
    double *k[1];      /* the field, 2n * B */
    double *lr;        /* 2 * B: the rates, lr[p * B + b] for player p */
    double *lr_d, *lr_g; /* per trajectory: learning rates or time scales */
    double *t;         /* per trajectory: the time reached (flow) */
    int *alive;        /* 1 until the trajectory stops */
    double *t_stop;    /* where it stopped */
    int *code;         /* how: a run outcome (GDN_EDIVERGED, ...) */
    gdn_diag_acc *acc; /* per trajectory */
    gdn_diag_opts *dopt; /* per trajectory: the diagnosis' options */
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
            double e = gdn__exp_neg(-fabs(t[b])), r = 1.0 / (1.0 + e);
            double s = t[b] >= 0 ? r : e * r, sm = t[b] >= 0 ? e * r : r;
            p[b] = 0.0 + s;
            g[b] = 0.0 - sm;
        }
    } else {
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double e = gdn__exp_neg(-fabs(t[b])), r = 1.0 / (1.0 + e);
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
        double e = gdn__exp_neg(-fabs(t)), r = 1.0 / (1.0 + e);
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

/* The lanes run of a flow batch, its records into recs: each lane's
 * samples fed to its diagnosis as gdn_sweep_one feeds a single run's. */
static int run_lanes(const gdn_sweep *sw, size_t B, batch *bt,
                     gdn_sweep_rec *recs, gdn_error *err)
{
    size_t m = 2 * sw->sys.n;
    gdn_game game;
    if (gdn_game_dirac(&game, &sw->sys, err) != GDN_OK)
        return GDN_EINVAL;
    gdn__lanes *L = gdn__lanes_new(&game, &sw->opts, B, bt->x, bt->lr, err);
    if (!L)
        return GDN_ENOMEM;
    for (size_t b = 0; b < B; b++)
        bt->alive[b] = !L->undefined0[b];
    while (gdn__lanes_next(L) == GDN_OK)
        for (size_t b = 0; b < B; b++) {
            int rc = L->rc[b];
            if (!bt->alive[b])
                continue;
            if (rc == GDN_DONE) {
                bt->alive[b] = 0;
                continue;
            }
            double t = L->out_t[b];
            for (size_t i = 0; i < m; i++)
                bt->tmp[i] = L->out_x[i * B + b];
            /* an outcome right after a sample repeats it */
            if (!(rc != GDN_OK && bt->acc[b].count && t == bt->acc[b].t_last))
                gdn_diag_acc_add(&bt->acc[b], t, bt->tmp);
            if (rc != GDN_OK)
                bt->alive[b] = 0;
        }
    for (size_t b = 0; b < B; b++) {
        gdn_diagnosis d;
        if (L->undefined0[b]) { /* as gdn_sweep_one records it */
            gdn_run_info info = {.status = GDN_EUNDEFINED, .t = 0};
            for (size_t i = 0; i < m; i++)
                bt->tmp[i] = bt->x[i * B + b];
            gdn_diag_acc_init(&bt->acc[b], sw->sys.n, 0, 0, &bt->dopt[b]);
            gdn_diag_acc_add(&bt->acc[b], 0, bt->tmp);
            gdn_diag_acc_finish(&bt->acc[b], &info, 0, NAN, &d);
        } else {
            gdn_diag_acc_finish(&bt->acc[b], &L->info[b], 0, NAN, &d);
        }
        gdn__sweep_record(&d, &recs[b]);
    }
    gdn__lanes_free(L);
    return GDN_OK;
}

/* Runs points [first, first + B) as one batch. */
static int run_batch(const gdn_sweep *sw, int kind, size_t first, size_t B,
                     batch *bt, gdn_sweep_rec *recs, gdn_error *err)
{
    size_t n = sw->sys.n, m = 2 * n;
    double t_end = kind >= K_RK4 ? sw->opts.t_end : (double)sw->opts.steps;
    bt->B = B;
    bt->lr_d = bt->lr, bt->lr_g = bt->lr + B;
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
        bt->dopt[b] = sw->dopts; /* with what the method is */
        gdn_diag_opts_method(&bt->dopt[b], &sys, &o);
        gdn_diag_acc_init(&bt->acc[b], n, 0, t_end, &bt->dopt[b]);
    }
    if (kind >= K_RK4)
        return run_lanes(sw, B, bt, recs, err);
    run_discrete(bt, &sw->opts, kind);
    for (size_t b = 0; b < B; b++) {
        gdn_run_info info = {.status = bt->alive[b] ? GDN_DONE : bt->code[b],
                             .t = bt->t_stop[b]};
        gdn_diagnosis d;
        gdn_diag_acc_finish(&bt->acc[b], &info, 1, NAN, &d);
        gdn__sweep_record(&d, &recs[b]);
    }
    return GDN_OK;
}

static void batch_free(batch *bt)
{
    free(bt->x), free(bt->prev), free(bt->k[0]), free(bt->lr);
    free(bt->t), free(bt->alive), free(bt->t_stop), free(bt->code);
    free(bt->acc), free(bt->dopt), free(bt->tmp);
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
    bt->k[0] = malloc(m * B * sizeof(double));
    bt->lr = malloc(2 * B * sizeof(double));
    bt->t = malloc(B * sizeof(double));
    bt->alive = malloc(B * sizeof(int));
    bt->t_stop = malloc(B * sizeof(double));
    bt->code = malloc(B * sizeof(int));
    bt->acc = malloc(B * sizeof(gdn_diag_acc));
    bt->dopt = malloc(B * sizeof(gdn_diag_opts));
    bt->tmp = malloc(m * sizeof(double));
    bt->t_s = malloc(B * sizeof(double));
    bt->p_s = malloc(B * sizeof(double));
    bt->g_s = malloc(B * sizeof(double));
    bt->bad = malloc(B * sizeof(int));
    int ok = bt->x && bt->prev && bt->k[0] && bt->lr && bt->t && bt->alive &&
             bt->t_stop && bt->code && bt->acc && bt->dopt && bt->tmp &&
             bt->t_s && bt->p_s && bt->g_s && bt->bad;
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
