/*
 * kernels.c - batched sweeps: B trajectories of one sweep stepped together
 * by the run driver over lanes (src/dynamics/lanes.h), in
 * structure-of-arrays batches that stay in cache.
 *
 * The lanes driver is the code every single run goes through (gdn_run is
 * its B = 1 case), so a batched record equals the record of a single run
 * bit for bit by construction (tests/test_sweep.c checks it).  A batch
 * shares the game and every option; only the starts and the learning
 * rates (lr, lr_d, lr_g on axes) differ per lane: every sweep whose axes
 * move only those runs in batches, any model, regularizer and method (the
 * sigmoid GANs without regularizer on the game's fused lanes field); the
 * rest goes through gdn_run, point by point.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "../analysis/diag_lanes.h"
#include "../dynamics/lanes.h"
#include "../dynamics/vector.h"
#include "sweep_internal.h"

#define DEFAULT_BATCH 256

enum { K_DISCRETE, K_RK4, K_EULER, K_DOPRI5 };

/* The kind of batch for sw, or -1 (one by one).  Every game and method
 * runs as lanes; a batch needs only that its lanes share the game and
 * every option but the starts and the learning rates, the two things the
 * lanes driver keeps per lane. */
static int kernel_of(const gdn_sweep *sw)
{
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
    if (!gdn_run_opts_is_flow(&sw->opts))
        return K_DISCRETE;
    struct gdn__flow_par fp;
    gdn_params_fill(sw->opts.opt->params, sw->opts.par, &fp);
    double method = fp.method;
    return method == GDN_FLOW_RK4     ? K_RK4
           : method == GDN_FLOW_EULER ? K_EULER
                                      : K_DOPRI5;
}

int gdn_sweep_batched(const gdn_sweep *sw)
{
    return kernel_of(sw) >= 0;
}

/* A batch: B trajectories, coordinate i of trajectory b at x[i * B + b]. */
typedef struct batch {
    size_t B;            /* trajectories */
    double *x;           /* 2n * B: the starts, phi then theta */
    double *lr;          /* 2 * B: the rates, lr[p * B + b] for player p */
    int *alive;          /* 1 until the trajectory's record is made */
    gdn__diag_lanes diag; /* the trajectories' diagnoses, as lanes */
    gdn_diag_opts *dopt; /* per trajectory: the diagnosis' options */
    double *tmp;         /* 2n: one state, gathered */
} batch;

/* Lane b's diagnosis a, its run over (info), into its record. */
static void lane_record(gdn_diag_acc *a, const gdn_run_info *info,
                        int discrete, gdn_sweep_rec *rec)
{
    gdn_diagnosis d;
    gdn_diag_acc_finish(a, info, discrete, NAN, &d);
    gdn__sweep_record(&d, rec);
}

/* Lane b of the lanes' samples x (out_x, or y: L->sample_y), gathered
 * into tmp, added to a. */
static void lane_add(const gdn__lanes *L, const double *x, size_t b,
                     double *tmp, gdn_diag_acc *a)
{
    for (size_t i = 0; i < L->m; i++)
        tmp[i] = x[i * L->B + b];
    gdn_diag_acc_add(a, L->out_t[b], tmp);
}

/* After a sample: any = some lane alive took it (GDN_OK), same = all those
 * took it at the returned time, stops = some lane alive is over now.  One
 * pass that vectorises: at the default sampling this runs every 10 steps. */
GDN_VECTOR_CLONES
static double scan_lanes(const gdn__lanes *L, const int *restrict alive,
                         int *any, int *same, int *stops)
{
    size_t B = L->B, first = 0;
    const int *restrict rc = L->rc;
    const double *restrict t = L->out_t;
    while (first < B && !(alive[first] && rc[first] == GDN_OK))
        first++;
    double t0 = first < B ? t[first] : 0;
    /* (all | reductions: clang's & reduction starts from an unsigned ~0) */
    int a = 0, d = 0, o = 0;
#pragma omp simd reduction(| : a, d, o)
    for (size_t b = 0; b < B; b++) {
        int live = alive[b] != 0, ok = rc[b] == GDN_OK;
        a |= live & ok;
        o |= live & !ok;
        d |= live & ok & !(t[b] == t0); /* a running lane elsewhere */
    }
    *any = a, *same = !d, *stops = o;
    return t0;
}

/* The lanes run of a batch, its records into recs: each lane's samples fed
 * to its diagnosis as gdn_sweep_one feeds a single run's.  The running
 * lanes share each sample's time, so the diagnoses of all lanes take it in
 * one call over lanes (which also writes over the lanes that are over:
 * their records are made before); a lane that stops is read out, given
 * its last sample alone and recorded. */
static int run_lanes(const gdn_sweep *sw, size_t B, batch *bt,
                     gdn_sweep_rec *recs, gdn_error *err)
{
    size_t m = 2 * sw->sys.n;
    int discrete = !gdn_run_opts_is_flow(&sw->opts);
    gdn__diag_lanes *D = &bt->diag;
    gdn_game game;
    if (gdn_game_dirac(&game, &sw->sys, err) != GDN_OK)
        return GDN_EINVAL;
    gdn__lanes *L = gdn__lanes_new(&game, &sw->opts, B, bt->x, bt->lr, err);
    if (!L)
        return GDN_ENOMEM;
    for (size_t b = 0; b < B; b++)
        bt->alive[b] = !L->undefined0[b];
    L->in_place = L->ngroups == 0; /* B > 1: sample_lanes' */
    gdn_diag_acc a;
    while (gdn__lanes_next(L) == GDN_OK) {
        int any, same, stops;
        double t = scan_lanes(L, bt->alive, &any, &same, &stops);
        for (size_t b = 0; stops && b < B; b++) {
            int rc = L->rc[b];
            if (!bt->alive[b] || rc == GDN_OK)
                continue;
            gdn__diag_lanes_get(D, b, &a);
            /* an outcome right after a sample repeats it */
            if (rc != GDN_DONE && !(a.count && L->out_t[b] == a.t_last))
                lane_add(L, L->out_x, b, bt->tmp, &a);
            lane_record(&a, &L->info[b], discrete, &recs[b]);
            bt->alive[b] = 0;
        }
        /* the samples of the lanes that run on */
        const double *xs = L->sample_y ? L->y : L->out_x;
        if (any && same) {
            gdn__diag_lanes_add(D, t, xs);
        } else if (any) { /* not seen: the lanes' samples are at k dt */
            for (size_t b = 0; b < B; b++)
                if (bt->alive[b]) {
                    gdn__diag_lanes_get(D, b, &a);
                    lane_add(L, xs, b, bt->tmp, &a);
                    gdn__diag_lanes_put(D, b, &a);
                }
        }
    }
    for (size_t b = 0; b < B; b++) {
        if (L->undefined0[b]) { /* as gdn_sweep_one records it */
            gdn_run_info info = {.status = GDN_EUNDEFINED, .t = 0};
            for (size_t i = 0; i < m; i++)
                bt->tmp[i] = bt->x[i * B + b];
            gdn_diag_acc_init(&a, sw->sys.n, 0, 0, &bt->dopt[b]);
            gdn_diag_acc_add(&a, 0, bt->tmp);
            lane_record(&a, &info, discrete, &recs[b]);
        } else if (bt->alive[b]) {
            gdn__diag_lanes_get(D, b, &a);
            lane_record(&a, &L->info[b], discrete, &recs[b]);
        }
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
        /* the rates after inheritance: the flow's and every discrete
         * method's struct have lr_d, lr_g */
        double par[GDN_MAX_PARAMS];
        gdn_params_fill(o.opt->params, o.par, par);
        const struct gdn__flow_par *fp = (const void *)par;
        const struct gdn__lr_par *lp = (const void *)par;
        bt->lr[b] = kind >= K_RK4 ? fp->lr_d : lp->lr_d;
        bt->lr[B + b] = kind >= K_RK4 ? fp->lr_g : lp->lr_g;
        bt->dopt[b] = sw->dopts; /* with what the method is */
        gdn_diag_opts_method(&bt->dopt[b], &sys, &o);
        bt->dopt[b].no_text = 1; /* a record holds no text */
    }
    /* the lanes share eps and tail: gdn_diag_opts_method leaves them */
    if (gdn__diag_lanes_init(&bt->diag, B, n, 0, t_end, &bt->dopt[0]))
        return gdn_error_set(err, GDN_ENOMEM, "out of memory for a batch");
    gdn__diag_lanes_lean(&bt->diag); /* a record is all we make of them */
    for (size_t b = 0; b < B; b++)
        gdn__diag_lanes_set_opts(&bt->diag, b, &bt->dopt[b]);
    int rc = run_lanes(sw, B, bt, recs, err);
    gdn__diag_lanes_free(&bt->diag);
    return rc;
}

static void batch_free(batch *bt)
{
    free(bt->x), free(bt->lr), free(bt->alive);
    free(bt->dopt), free(bt->tmp);
}

static int batch_alloc(batch *bt, const gdn_sweep *sw, size_t B)
{
    size_t m = 2 * sw->sys.n;
    memset(bt, 0, sizeof *bt);
    bt->x = malloc(m * B * sizeof(double));
    bt->lr = malloc(2 * B * sizeof(double));
    bt->alive = malloc(B * sizeof(int));
    bt->dopt = malloc(B * sizeof(gdn_diag_opts));
    bt->tmp = malloc(m * sizeof(double));
    int ok = bt->x && bt->lr && bt->alive && bt->dopt && bt->tmp;
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
     * keeps about 60 n B doubles (seven stages, the dense output, the
     * packed copy of the lanes still stepping) and steps only the lanes
     * that have not reached the next sample, packed: 128 up to n = 16
     * (measured, CPU s, nsgan to T = 100, min of 5: 2000 points at the
     * default rtol 0.59 / 0.60 / 0.66 at B = 64 / 128 / 256; 2 10^4 at rtol
     * 1e-3 0.91 / 0.79 / 0.77), fewer above */
    size_t dflt = kind == K_DOPRI5 ? 2048 / sw->sys.n : 16384 / sw->sys.n;
    size_t most = kind == K_DOPRI5 ? 128 : DEFAULT_BATCH;
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
