/*
 * flow.c - the continuous flow of a run over lanes: the augmented
 * right-hand side, dopri5's controller, the fixed-step methods' equal
 * substeps, and the samples on t = k dt (and t_end).  See run.c.
 *
 * A lane's step size, error, acceptance, step counts and stop are its own;
 * lanes that are over, or already at the sample time, are given a zero step
 * (dopri5) or put back (rk4/euler), so that the loops run straight over
 * all lanes and vectorise.  Without averages a batch's samples are taken
 * by selects over every lane (sample_lanes), and on the 2-D gan/nsgan the
 * field and rk4's substep are fused.c's.  rk4/euler's running lanes
 * share their counters (fx_*), written to a lane's info when it is over.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/gmath.h"
#include "gandyn/game.h"
#include "lanes.h"
#include "vector.h"

/* d <- -(lr d) for each player's rows, lane by lane.  Each loop below is
 * inlined twice: with B = 1 constant (a single run's scalar code) and for
 * any B (vector clones); the arithmetic is the same. */
static GDN_ALWAYS_INLINE void scale_body(const gdn_game *g, size_t B,
                                         const double *lr_all, double *dy)
{
    for (size_t p = 0; p < g->nplayers; p++) {
        const double *restrict lr = lr_all + p * B;
        for (size_t i = g->off[p]; i < g->off[p + 1]; i++) {
            double *restrict d = dy + i * B;
            for (size_t b = 0; b < B; b++)
                d[b] = -(lr[b] * d[b]);
        }
    }
}

GDN_VECTOR_CLONES
static void scale_lanes(const gdn_game *g, size_t B, const double *lr,
                        double *dy)
{
    scale_body(g, B, lr, dy);
}

static void scale_one(const gdn_game *g, const double *lr, double *dy)
{
    scale_body(g, 1, lr, dy);
}

/* y' = f(y) of every lane: x' = -(eta_p xi_p(x)) for each player p, and
 * the averages' equations.  Evaluations are counted by the callers, per
 * lane and step. */
static int flow_rhs(void *vl, const double *y, double *dy, int *st)
{
    gdn__lanes *L = vl;
    size_t B = L->B, m = L->m;
    if (L->fused_rhs) {
        L->fused_rhs(L, y, dy, st);
        return GDN_PT_OK;
    }
    int all = gdn_game_grad(L->game, B, y, dy, st);
    if (B == 1)
        scale_one(L->game, L->lr, dy);
    else
        scale_lanes(L->game, B, L->lr, dy);
    if (L->ngroups)
        gdn__avg_rhs(&L->avg, y, y + m * B, dy + m * B);
    return all;
}

/* Time of sample k. */
static double sample_time(const gdn__lanes *L, int64_t k)
{
    return k == L->nout - 1 ? L->opts.t_end : (double)k * L->opts.dt;
}

/* bad[b] = lane b of y (n lanes) left the blowup range (1), has a
 * non-finite average (2), or (st not NULL) its field was undefined (4);
 * returns whether a running lane (act) is bad. */
static GDN_ALWAYS_INLINE int check_body(const gdn__lanes *L, size_t B,
                                         const double *restrict y,
                                         const int *restrict st,
                                         int *restrict bad,
                                         const int *restrict act)
{
    size_t m = L->m, dim = L->dim;
    const double lim = L->opts.blowup;
    int any = 0;
    /* the first component with the statuses (m >= 1): no memset of bad */
    for (size_t b = 0; b < B; b++)
        bad[b] = (st && st[b] == GDN_PT_UNDEFINED ? 4 : 0) |
                 !(fabs(y[b]) <= lim);
    for (size_t i = 1; i < m; i++) {
        const double *restrict x = y + i * B;
        for (size_t b = 0; b < B; b++)
            bad[b] |= !(fabs(x[b]) <= lim);
    }
    for (size_t i = m; i < dim; i++) {
        const double *restrict x = y + i * B;
        for (size_t b = 0; b < B; b++)
            bad[b] |= 2 * !isfinite(x[b]);
    }
    for (size_t b = 0; b < B; b++)
        any |= act[b] & (bad[b] != 0);
    return any;
}

GDN_VECTOR_CLONES
static int check_lanes(const gdn__lanes *L, size_t n, const double *y,
                       const int *st, int *bad, const int *act)
{
    return check_body(L, n, y, st, bad, act);
}

static int check_one(const gdn__lanes *L, const double *y, const int *st,
                     int *bad, const int *act)
{
    return check_body(L, 1, y, st, bad, act);
}

/* check_body over n lanes (L's, or dopri5's packed ones) */
static int flow_check(const gdn__lanes *L, size_t n, const double *y,
                      const int *st, int *bad, const int *act)
{
    return n == 1 ? check_one(L, y, st, bad, act)
                  : check_lanes(L, n, y, st, bad, act);
}

void gdn__flow_sample(gdn__lanes *L, size_t b, const double *y, double t)
{
    size_t m = L->m, B = L->B;
    if (y != L->out_x)
        for (size_t i = 0; i < m; i++)
            L->out_x[i * B + b] = y[i * B + b];
    if (L->ngroups)
        gdn__avg_sample(&L->avg, 1, b, t, L->x0, y + m * B, L->out_avg);
    L->out_t[b] = t;
}

/* Lane b of dopri5 stops at its time: GDN_EUNDEFINED, GDN_ESTEP or
 * GDN_EBUDGET. */
static void dopri5_fail(gdn__lanes *L, size_t b, int code)
{
    char why[GDN_ERRMSG_MAX];
    const gdn_run_info *in = &L->info[b];
    double t = L->t[b];
    if (code == GDN_EUNDEFINED)
        snprintf(why, sizeof why, "field undefined at t = %.17g after %" PRIu64
                 " steps", t, in->accepted);
    else if (code == GDN_EBUDGET)
        snprintf(why, sizeof why,
                 "step budget exhausted at t = %.17g: max_steps = %.17g "
                 "steps (%" PRIu64 " accepted, %" PRIu64 " rejected) used up",
                 t, L->fp->max_steps, in->accepted, in->rejected);
    else
        snprintf(why, sizeof why,
                 "step size underflow at t = %.17g after %" PRIu64 " steps: "
                 "the step fell below 1e-14 max(1, |t|), the field is stiff "
                 "there or blows up in finite time", t, in->accepted);
    gdn__flow_sample(L, b, L->y, t);
    gdn__lane_stop(L, b, code, why);
}

/* Lane b's accepted trial of step h left the range (bad as check_body
 * says): it stops at its last state. */
static void dopri5_diverged(gdn__lanes *L, size_t b, double h, int bad)
{
    char why[GDN_ERRMSG_MAX], where[64];
    int code = GDN_EDIVERGED, state = bad & 1;
    const gdn_run_info *in = &L->info[b];
    double t = L->t[b];
    snprintf(where, sizeof where, "to t = %.17g", t + h);
    if (state && in->accepted == 0)
        code = gdn__lane_overflow(L, b, why, sizeof why, where);
    else if (state)
        snprintf(why, sizeof why,
                 "diverged: |x| left the range %g at t = %.17g (step %" PRIu64
                 ")", L->opts.blowup, t + h, in->accepted + 1);
    else
        snprintf(why, sizeof why,
                 "diverged: an average left the finite range at t = %.17g "
                 "(step %" PRIu64 ")", t + h, in->accepted + 1);
    gdn__flow_sample(L, b, L->y, t);
    gdn__lane_stop(L, b, code, why);
}

/* The controller's loop looks up gdn__pow_pos's tables: gcc vectorises it
 * (gathers, emulated where slow); clang, whose baseline has no gathers,
 * would warn that the simd loop did not vectorise. */
#if defined(__clang__)
#define SIMD_GATHERS
#else
#define SIMD_GATHERS _Pragma("omp simd")
#endif

/* What a trial did to a lane (res bits). */
enum { TR_ACC = 1, TR_REJ = 2, TR_DIV = 4, TR_SMALL = 8 };

/* The lanes of one dopri5 trial: all of L's (n = B, L's own arrays; the
 * lanes not running have act 0 and step 0), or the n running ones packed
 * together (idx[k] their lanes in L) when few are, so that a round costs
 * what its running lanes need.  A lane's arithmetic is the same either
 * way: lanes never read each other. */
typedef struct dp_set {
    size_t n;
    int packed;
    gdn__dopri5 *w, pk;            /* k, cont; pk: the packed workspace */
    double *y, *y1, *lr;           /* dim n, dim n, nplayers n */
    double *t, *h, *hs, *err, *t1; /* n: time, next step, trial step, its
                                      error, time after it */
    int *st, *bad, *act, *last, *lrej, *res, *need; /* n */
} dp_set;

/* The spare doubles of dopri5's workspace (gdn__dopri5_size): the packed
 * workspace (gdn__dopri5_ws of B lanes at most), y, y1, lr (padded as
 * the workspace's arrays), 5 B doubles, 9 B ints. */
_Static_assert(9 * sizeof(int) <= 5 * sizeof(double),
               "9 B ints fit in 5 B doubles");
static void set_arrays(gdn__lanes *L, dp_set *S, int **idx, int **ist)
{
    size_t B = L->B, p = GDN__DOPRI5_PAD(B), nd = L->dim * B + p;
    double *sp = gdn__dopri5_spare(&L->dp) + gdn__dopri5_ws(L->dim, B) + p;
    S->y = sp, S->y1 = sp + nd, S->lr = sp + 2 * nd, sp += 3 * nd;
    S->t = sp, S->h = sp + B, S->hs = sp + 2 * B, S->err = sp + 3 * B;
    S->t1 = sp + 4 * B;
    int *ip = (int *)(void *)(sp + 5 * B); /* 9 B ints, in 5 B doubles */
    S->st = ip, S->bad = ip + B, S->act = ip + 2 * B, S->last = ip + 3 * B;
    S->lrej = ip + 4 * B, S->res = ip + 5 * B, S->need = ip + 6 * B;
    *idx = ip + 7 * B, *ist = ip + 8 * B;
}

/* act[b]: lane b runs and has not reached target (one pass over all). */
static GDN_ALWAYS_INLINE void running_body(gdn__lanes *L, size_t B,
                                           double target)
{
    const int *restrict status = L->status;
    const double *restrict t = L->t;
    int *restrict act = L->act;
    for (size_t b = 0; b < B; b++)
        act[b] = (status[b] == GDN_OK) & (t[b] < target);
}

GDN_VECTOR_CLONES
static void running_lanes(gdn__lanes *L, double target)
{
    running_body(L, L->B, target);
}

/* The trial steps of the set: the step left to t_end if h reaches it
 * (last), 0 for the lanes not running; need[k] (until the controller
 * says which were accepted): the running lanes whose trial would end past
 * target, as the controller's time after it.  Returns whether one would. */
static GDN_ALWAYS_INLINE int prepare_body(dp_set *S, size_t n,
                                          double target, double t_end)
{
    const int *restrict act = S->act;
    const double *restrict t = S->t, *restrict h = S->h;
    double *restrict hs = S->hs;
    int *restrict last = S->last, *restrict need = S->need;
    int any = 0;
#pragma omp simd reduction(| : any)
    for (size_t k = 0; k < n; k++) {
        double left = t_end - t[k];
        int l = act[k] & (h[k] >= left * (1 - 1e-12));
        last[k] = l;
        hs[k] = gdn__sel(act[k], gdn__sel(l, left, h[k]), 0.0);
        double tn = gdn__sel(l, t_end, t[k] + hs[k]);
        need[k] = act[k] & (tn > target);
        any |= need[k];
    }
    return any;
}

GDN_VECTOR_CLONES
static int prepare_lanes(dp_set *S, double target, double t_end)
{
    return prepare_body(S, S->n, target, t_end);
}

/* gdn_run's step-size controller, lane by lane in selects (its pow is
 * gdn__pow_pos's bits, gdn__pow_pos_sel): an accepted trial (err <= 1)
 * moves to t1 with h = h fac, fac = 0.9 err^-0.2 within [0.2, 5] (5 at
 * err = 0; at most 1 after a rejection); a rejected one shrinks h (by 0.25
 * where the field was undefined or err not finite) and fails below 1e-14
 * max(1, |t|); an accepted trial that left the range diverged.  need: an
 * accepted step past target, whose dense output the sample reads.  (A
 * single run takes control_one, the same in branches: keep them in
 * step.) */
static GDN_ALWAYS_INLINE void control_body(dp_set *S, size_t n,
                                           double target, double t_end)
{
    int *restrict act = S->act, *restrict lrej = S->lrej;
    int *restrict res = S->res, *restrict need = S->need;
    const int *restrict st = S->st, *restrict bad = S->bad;
    const int *restrict last = S->last;
    const double *restrict t = S->t, *restrict hs = S->hs;
    const double *restrict err = S->err;
    double *restrict h = S->h, *restrict t1 = S->t1;
    SIMD_GATHERS
    for (size_t k = 0; k < n; k++) {
        double hk = hs[k], e = err[k];
        int und = st[k] == GDN_PT_UNDEFINED;
        int ok = !und & (e <= 1.0);
        int acc = act[k] & ok & (bad[k] == 0);
        int div = act[k] & ok & (bad[k] != 0);
        int rej = act[k] & !ok;
        double tn = gdn__sel(last[k], t_end, t[k] + hk);
        double p = 0.9 * gdn__pow_pos_sel(e, -0.2);
        double fa = gdn__sel(e == 0, 5.0, gdn__fmin(5.0, gdn__fmax(0.2, p)));
        fa = gdn__sel(lrej[k] & (fa > 1), 1.0, fa);
        double fr = gdn__sel(und | !(fabs(e) < INFINITY), 0.25,
                             gdn__fmax(0.2, p));
        double hn = hk * gdn__sel(acc, fa, fr);
        int small = rej & (hn < 1e-14 * gdn__fmax(1.0, fabs(t[k])));
        h[k] = gdn__sel(acc | rej, hn, h[k]);
        lrej[k] = (int)gdn__seli(acc, 0, gdn__seli(rej, 1, lrej[k]));
        t1[k] = tn;
        need[k] = acc & (tn > target);
        res[k] = acc * TR_ACC + rej * TR_REJ + div * TR_DIV + small * TR_SMALL;
        act[k] = acc;
    }
}

GDN_VECTOR_CLONES
static void control_lanes(dp_set *S, double target, double t_end)
{
    control_body(S, S->n, target, t_end);
}

/* The accepted lanes of L (act) move to their trial state and time and,
 * FSAL, k0 = k6.  Selects rather than branches, so that it vectorises. */
static GDN_ALWAYS_INLINE void accept_body(gdn__lanes *L, size_t B,
                                          const double *restrict t1)
{
    size_t dim = L->dim;
    const int *restrict act = L->act;
    double *restrict t = L->t;
    for (size_t i = 0; i < dim; i++) {
        double *restrict x = L->y + i * B, *restrict k0 = L->dp.k[0] + i * B;
        const double *restrict x1 = L->y1 + i * B;
        const double *restrict k6 = L->dp.k[6] + i * B;
        for (size_t b = 0; b < B; b++) {
            x[b] = gdn__sel(act[b] != 0, x1[b], x[b]);
            k0[b] = gdn__sel(act[b] != 0, k6[b], k0[b]);
        }
    }
    for (size_t b = 0; b < B; b++)
        t[b] = gdn__sel(act[b] != 0, t1[b], t[b]);
}

GDN_VECTOR_CLONES
static void accept_lanes(gdn__lanes *L, const double *t1)
{
    accept_body(L, L->B, t1);
}

/* The running lanes idx[0..n) of L into the packed set, lane by lane. */
static GDN_ALWAYS_INLINE void pack_body(gdn__lanes *L, dp_set *S,
                                        const int *idx, size_t n, size_t dim,
                                        size_t np)
{
    size_t B = L->B;
    const double *restrict y = L->y, *restrict k0 = L->dp.k[0];
    const double *restrict lr = L->lr;
    double *restrict py = S->y, *restrict pk0 = S->pk.k[0];
    double *restrict plr = S->lr;
    for (size_t k = 0; k < n; k++) {
        size_t b = (size_t)idx[k];
        for (size_t i = 0; i < dim; i++) {
            py[i * n + k] = y[i * B + b];
            pk0[i * n + k] = k0[i * B + b];
        }
        for (size_t p = 0; p < np; p++)
            plr[p * n + k] = lr[p * B + b];
        S->t[k] = L->t[b], S->h[k] = L->h[b];
        S->lrej[k] = L->last_rej[b], S->act[k] = 1;
    }
}

static void pack(gdn__lanes *L, dp_set *S, const int *idx, size_t n,
                 int *ist)
{
    size_t dim = L->dim, np = L->game->nplayers;
    gdn__dopri5_bind(&S->pk, dim, n, gdn__dopri5_spare(&L->dp), ist);
    S->pk.group = L->dp.group;
    S->w = &S->pk;
    S->n = n, S->packed = 1;
    L->dp_packed++;
    if (dim == 4 && np == 2) /* the 2-D games: loops unrolled */
        pack_body(L, S, idx, n, 4, 2);
    else
        pack_body(L, S, idx, n, dim, np);
}

/* The packed set's outcome back into its first n0 lanes' in L (the rest
 * are padding). */
static GDN_ALWAYS_INLINE void unpack_body(gdn__lanes *L, const dp_set *S,
                                          const int *idx, size_t n0,
                                          size_t dim)
{
    size_t B = L->B, n = S->n;
    const gdn__dopri5 *pk = &S->pk;
    double *restrict y = L->y, *restrict k0 = L->dp.k[0];
    double *restrict cont = L->dp.cont;
    const double *restrict y1 = S->y1, *restrict k6 = pk->k[6];
    const double *restrict pcont = pk->cont;
    for (size_t k = 0; k < n0; k++) {
        size_t b = (size_t)idx[k];
        L->h[b] = S->h[k];
        L->last_rej[b] = S->lrej[k];
        if (!(S->res[k] & TR_ACC))
            continue;
        L->t[b] = S->t1[k];
        for (size_t i = 0; i < dim; i++) {
            y[i * B + b] = y1[i * n + k];
            k0[i * B + b] = k6[i * n + k];
        }
        if (!S->need[k])
            continue;
        /* coefficient by coefficient, so that a constant dim unrolls */
        double *restrict c = cont + b;
        const double *restrict pc = pcont + k;
        for (int q = 0; q < 5; q++, c += L->dp.cs, pc += pk->cs)
            for (size_t i = 0; i < dim; i++)
                c[i * B] = pc[i * n];
        L->dp.t0[b] = pk->t0[k];
        L->dp.h[b] = pk->h[k];
    }
}

static void unpack(gdn__lanes *L, const dp_set *S, const int *idx, size_t n0)
{
    if (L->dim == 4)
        unpack_body(L, S, idx, n0, 4);
    else
        unpack_body(L, S, idx, n0, L->dim);
}

/* One trial of the set: the stages (a packed set's field is L's over its
 * lanes: L's lanes, rates and averages' lanes point at the packed ones
 * for the call) and, when a lane's trial would end past target, in the
 * same pass as the error norm, the dense output of every such lane (a
 * packed set's workspace is scratch: of all of its lanes, of which unpack
 * copies those needed); then the range check and the controller.  A
 * lane's dense output is read only after an accepted step past target
 * (need): until then the sample reads another step's, or none. */
static void dopri5_trial(gdn__lanes *L, dp_set *S, double target)
{
    double rtol = L->fp->rtol, atol = L->fp->atol, t_end = L->opts.t_end;
    size_t n = S->n;
    int cross = prepare_lanes(S, target, t_end);
    gdn__dopri5 *w = S->w;
    gdn__ode ode = L->ode;
    size_t B = L->B, aB = L->avg.B;
    double *lr = L->lr;
    if (S->packed) {
        ode.B = n;
        L->B = n, L->lr = S->lr, L->avg.B = n;
    }
    if (cross)
        gdn__dopri5_try_dense(w, &ode, S->hs, S->y, S->y1, rtol, atol,
                              S->err, S->st, S->packed ? NULL : S->need,
                              S->t);
    else
        gdn__dopri5_try(w, &ode, S->hs, S->y, S->y1, rtol, atol, S->err,
                        S->st);
    L->B = B, L->lr = lr, L->avg.B = aB;
    flow_check(L, n, S->y1, NULL, S->bad, S->act);
    control_lanes(S, target, t_end);
}

/* A trial's counters and stops of lane b (its outcome at s in the set). */
static GDN_ALWAYS_INLINE void trial_count(gdn__lanes *L, const dp_set *S,
                                          size_t b, size_t s)
{
    gdn_run_info *in = &L->info[b];
    int r = S->res[s];
    in->nevals += 6; /* the trial's stages */
    if (r & TR_ACC) {
        in->accepted++;
        in->h_last = S->hs[s];
    } else if (r & TR_REJ) {
        in->rejected++;
        if (r & TR_SMALL)
            dopri5_fail(L, b, S->st[s] == GDN_PT_UNDEFINED ? GDN_EUNDEFINED
                                                           : GDN_ESTEP);
    } else if (r & TR_DIV) {
        dopri5_diverged(L, b, S->hs[s], S->bad[s]);
    }
}

/* control_body's outcome for one running lane, in branches (a single
 * run: only the factor it takes is computed, from gdn__pow_pos's bits).
 * Keep the two in step: test_lanes and test_sweep hold batches against
 * single runs bit for bit. */
static void control_one(dp_set *S, double target, double t_end)
{
    double hk = S->hs[0], e = S->err[0], t = S->t[0];
    int und = S->st[0] == GDN_PT_UNDEFINED;
    int ok = !und & (e <= 1.0);
    double tn = S->last[0] ? t_end : t + hk;
    S->t1[0] = tn;
    S->need[0] = 0;
    S->act[0] = 0;
    if (ok && S->bad[0] == 0) { /* accepted */
        double fa = 5.0;
        if (e != 0)
            fa = gdn__fmin(5.0, gdn__fmax(0.2, 0.9 * gdn__pow_pos(e, -0.2)));
        if (S->lrej[0] && fa > 1)
            fa = 1.0;
        S->h[0] = hk * fa;
        S->lrej[0] = 0;
        S->need[0] = tn > target;
        S->res[0] = TR_ACC;
        S->act[0] = 1;
    } else if (ok) { /* accepted, out of range */
        S->res[0] = TR_DIV;
    } else { /* rejected */
        double fr = (und | !(fabs(e) < INFINITY))
                        ? 0.25
                        : gdn__fmax(0.2, 0.9 * gdn__pow_pos(e, -0.2));
        double hn = hk * fr;
        int small = hn < 1e-14 * gdn__fmax(1.0, fabs(t));
        S->h[0] = hn;
        S->lrej[0] = 1;
        S->res[0] = TR_REJ + small * TR_SMALL;
    }
}

/* A single run's dopri5_advance: its trials one after the other, without
 * the rounds' lane lists and selects. */
static void dopri5_advance_one(gdn__lanes *L, double target)
{
    uint64_t max_steps = (uint64_t)L->fp->max_steps;
    double t_end = L->opts.t_end;
    const gdn_run_info *in = &L->info[0];
    size_t dim = L->dim;
    int *idx, *ist;
    dp_set S;
    set_arrays(L, &S, &idx, &ist);
    S.n = 1, S.packed = 0, S.w = &L->dp;
    S.y = L->y, S.y1 = L->y1, S.lr = L->lr;
    S.t = L->t, S.h = L->h, S.hs = L->hs, S.err = L->err;
    S.st = L->st, S.bad = L->bad, S.act = L->act;
    S.last = L->lastf, S.lrej = L->last_rej;
    while (L->status[0] == GDN_OK && L->t[0] < target) {
        if (in->accepted + in->rejected >= max_steps) {
            L->act[0] = 0;
            dopri5_fail(L, 0, GDN_EBUDGET);
            return;
        }
        /* prepare_body's step */
        double left = t_end - L->t[0], h = L->h[0];
        int l = h >= left * (1 - 1e-12);
        L->act[0] = 1;
        S.last[0] = l;
        S.hs[0] = l ? left : h;
        gdn__dopri5_try(S.w, &L->ode, S.hs, S.y, S.y1, L->fp->rtol,
                        L->fp->atol, S.err, S.st);
        check_one(L, S.y1, NULL, S.bad, S.act);
        control_one(&S, target, t_end);
        /* (rarely: a single run's steps are shorter than dt) */
        if (S.need[0])
            gdn__dopri5_dense_lanes(S.w, S.need, S.t, S.hs, S.y, S.y1);
        trial_count(L, &S, 0, 0);
        if (S.act[0]) { /* accept_body's move */
            memcpy(L->y, L->y1, dim * sizeof(double));
            memcpy(L->dp.k[0], L->dp.k[6], dim * sizeof(double));
            L->t[0] = S.t1[0];
        }
    }
}

/* Advances every running lane with dopri5 until it reaches target: rounds
 * of one trial step of every running lane short of target.  L->dp_most
 * bounds every lane's accepted + rejected: the budgets are looked at only
 * once one may be spent. */
static void dopri5_advance(gdn__lanes *L, double target)
{
    size_t B = L->B;
    uint64_t max_steps = (uint64_t)L->fp->max_steps;
    int *act = L->act, *idx, *ist;
    dp_set S;
    if (B == 1) {
        dopri5_advance_one(L, target);
        return;
    }
    size_t n = 0;
    set_arrays(L, &S, &idx, &ist);
    running_lanes(L, target); /* the running lanes short of target */
    for (size_t b = 0; b < B; b++) {
        idx[n] = (int)b;
        n += (size_t)act[b];
    }
    for (int round = 0;; round++) {
        if (round > 0)
            set_arrays(L, &S, &idx, &ist);
        if (L->dp_most >= max_steps) { /* the step budget */
            size_t q = 0;
            for (size_t k = 0; k < n; k++) {
                size_t b = (size_t)idx[k];
                const gdn_run_info *in = &L->info[b];
                if (in->accepted + in->rejected >= max_steps) {
                    act[b] = 0;
                    dopri5_fail(L, b, GDN_EBUDGET);
                } else {
                    idx[q++] = (int)b;
                }
            }
            n = q;
        }
        if (n == 0)
            return;
        /* a packed lane costs its copies, about a third of a trial */
        if (B >= 16 && 4 * n <= 3 * B) {
            /* padded with copies of the last lane to whole vectors of 4
             * (at most B: B >= 16), so that no loop ends in scalar code */
            size_t np4 = (n + 3) & ~(size_t)3;
            for (size_t k = n; k < np4; k++)
                idx[k] = idx[n - 1];
            pack(L, &S, idx, np4, ist);
        } else {
            if (round > 0) /* act of every lane */
                running_lanes(L, target);
            S.n = B, S.packed = 0, S.w = &L->dp;
            S.y = L->y, S.y1 = L->y1, S.lr = L->lr;
            S.t = L->t, S.h = L->h, S.hs = L->hs, S.err = L->err;
            S.st = L->st, S.bad = L->bad, S.act = L->act;
            S.last = L->lastf, S.lrej = L->last_rej;
        }
        dopri5_trial(L, &S, target);
        /* the accepted lanes move (a rejected or diverged one stays, where
         * its stop below samples it) */
        if (S.packed)
            unpack(L, &S, idx, n);
        else
            accept_lanes(L, S.t1);
        /* counters and stops; the next round's lanes among this one's */
        size_t r = 0;
        uint64_t most = L->dp_most;
        for (size_t k = 0; k < n; k++) {
            size_t b = (size_t)idx[k];
            trial_count(L, &S, b, S.packed ? k : b);
            const gdn_run_info *in = &L->info[b];
            uint64_t used = in->accepted + in->rejected;
            most = used > most ? used : most;
            idx[r] = (int)b;
            r += (L->status[b] == GDN_OK) & (L->t[b] < target);
        }
        L->dp_most = most;
        n = r;
    }
}

/* Equal fixed substeps of at most h from the lanes' time to target.  The
 * span of a full interval is dt itself, not a difference of times, so that
 * h = dt = lr reproduces simgd exactly.  The running lanes share the time
 * and the step counts; a lane's counters are written when it stops and at
 * the end.  Lanes that are over are stepped too and never read again. */
static void fixed_advance(gdn__lanes *L, double target)
{
    size_t B = L->B;
    int shared = B > 1; /* the counters kept once for the running lanes */
    int full = L->kout < L->nout - 1 ||
               target == (double)L->kout * L->opts.dt;
    double t = shared ? L->fx_t : L->t[0];
    double span = full ? L->opts.dt : target - t;
    double hmax = L->fp->h;
    double ksteps = ceil(span / hmax * (1 - 1e-12));
    /* at most max_steps <= 1e15 (gdn_run_opts_check): the cast is defined */
    int64_t nsub = ksteps < 1      ? 1
                   : ksteps > 1e15 ? (int64_t)1e15
                                   : (int64_t)ksteps;
    double h = span / (double)nsub;
    uint64_t stages = L->method == GDN_FLOW_RK4 ? 4 : 1;
    int *st = L->st, *ist = L->ist;
    int fused = L->fused_flow != NULL; /* keeps the bad lanes' states */
    for (int64_t s = 0; s < nsub; s++) {
        int any;
        if (fused) {
            any = L->fused_flow(L, h);
        } else {
            memcpy(L->y1, L->y, L->dim * B * sizeof(double));
            if (L->method == GDN_FLOW_RK4)
                gdn__rk4_step(&L->ode, h, L->y, L->work, st, ist);
            else
                gdn__euler_step(&L->ode, h, L->y, L->work, st);
            any = flow_check(L, B, L->y, st, L->bad, L->act);
        }
        if (any)
            for (size_t b = 0; b < B; b++) {
                if (!L->act[b] || !L->bad[b])
                    continue;
                gdn_run_info *in = &L->info[b];
                char why[GDN_ERRMSG_MAX], where[64];
                int und = (L->bad[b] & 4) != 0, state = L->bad[b] & 1;
                int code = und ? GDN_EUNDEFINED : GDN_EDIVERGED;
                if (shared) {
                    in->accepted = L->fx_steps;
                    in->nevals = stages * L->fx_steps;
                    in->h_last = L->fx_h;
                }
                in->accepted += (uint64_t)s;
                in->nevals += stages * (uint64_t)(s + 1);
                if (s > 0)
                    in->h_last = h;
                L->t[b] = t;
                snprintf(where, sizeof where, "to t = %.17g", t + h);
                if (code == GDN_EDIVERGED && state && in->accepted == 0)
                    code = gdn__lane_overflow(L, b, why, sizeof why, where);
                else
                    snprintf(why, sizeof why, "%s at t = %.17g (step %" PRIu64
                             ")", und ? "field undefined"
                             : !state ? "diverged: an average left the finite "
                                        "range"
                                      : "diverged: |x| left the range",
                             t + h, in->accepted + 1);
                L->act[b] = 0;
                for (size_t i = 0; !fused && i < L->dim; i++)
                    L->y[i * B + b] = L->y1[i * B + b];
                gdn__flow_sample(L, b, L->y, t);
                gdn__lane_stop(L, b, code, why);
            }
        t = s == nsub - 1 ? target : t + h;
    }
    if (shared) {
        L->fx_steps += (uint64_t)nsub;
        L->fx_h = h;
        L->fx_t = t;
        return;
    }
    for (size_t b = 0; b < B; b++)
        if (L->act[b]) {
            gdn_run_info *in = &L->info[b];
            in->accepted += (uint64_t)nsub;
            in->nevals += stages * (uint64_t)nsub;
            in->h_last = h;
            L->t[b] = t;
        }
}

void gdn__flow_settle(gdn__lanes *L, size_t b)
{
    gdn_run_info *in = &L->info[b];
    if (L->B == 1)
        return;
    if (L->method == GDN_FLOW_DOPRI5) {
        in->t = L->t[b];
        in->step = (int64_t)in->accepted;
        return;
    }
    uint64_t stages = L->method == GDN_FLOW_RK4 ? 4 : 1;
    in->accepted = L->fx_steps;
    in->nevals = stages * L->fx_steps;
    in->h_last = L->fx_h;
    in->t = L->t[b] = L->fx_t;
    in->step = (int64_t)L->fx_steps;
}

int gdn__flow_start(gdn__lanes *L)
{
    size_t B = L->B, m = L->m;
    gdn__avg_start(&L->avg, 1, L->x0, L->y + m * B);
    L->ode.dim = L->dim;
    L->ode.B = B;
    L->ode.f = flow_rhs;
    L->ode.ctx = L;
    if (B > 1) /* a single run keeps its scalar field */
        L->fused_rhs = gdn__fused_rhs_for(L->game, &L->opts, &L->fused_ns);
    if (L->method != GDN_FLOW_DOPRI5) {
        L->fused_flow = gdn__fused_flow_for(L->game, &L->opts, &L->fused_ns);
        return GDN_OK;
    }
    gdn__dopri5_bind(&L->dp, L->dim, B, L->dpmem, L->ist);
    /* each average is controlled on its own, so adding one never loosens
     * the state's accuracy */
    L->dp.group = m;
    flow_rhs(L, L->y, L->dp.k[0], L->st);
    gdn__dopri5_h0(&L->ode, L->y, L->dp.k[0], L->fp->rtol, L->fp->atol,
                   L->opts.t_end, L->work, L->st, L->h);
    /* k0 and the starting step's probe, which the reports have always
     * counted twice */
    for (size_t b = 0; b < B; b++)
        L->info[b].nevals += L->status[b] == GDN_OK ? 3 : 0;
    return GDN_OK;
}

/* The samples at target of the lanes that were running and still are,
 * without averages (B > 1): gdn__flow_sample and gdn__dopri5_eval's
 * arithmetic, as selects over all lanes so that it vectorises. */
GDN_VECTOR_CLONES
static void sample_lanes(gdn__lanes *L, double target)
{
    size_t B = L->B, m = L->m;
    const int *restrict rc = L->rc, *restrict status = L->status;
    int *restrict take = L->lastf; /* scratch between dopri5's trials */
    const double *restrict t = L->t, *restrict y = L->y;
    double *restrict ox = L->out_x, *restrict ot = L->out_t;
    int all = 1;
    for (size_t b = 0; b < B; b++)
        all &= (rc[b] == GDN_OK) & (status[b] == GDN_OK);
    if (all && L->method != GDN_FLOW_DOPRI5) {
        /* every lane runs on (a sweep's usual case): a copy */
        for (size_t b = 0; b < B; b++)
            ot[b] = target;
        gdn__lanes_sample_all(L);
        return;
    }
#pragma omp simd
    for (size_t b = 0; b < B; b++) {
        take[b] = (rc[b] == GDN_OK) & (status[b] == GDN_OK);
        ot[b] = gdn__sel(take[b], target, ot[b]);
    }
    if (L->method != GDN_FLOW_DOPRI5) {
        for (size_t i = 0; i < m; i++)
            for (size_t b = 0; b < B; b++)
                ox[i * B + b] = gdn__sel(take[b], y[i * B + b], ox[i * B + b]);
        return;
    }
    /* between steps: the dense output of the lane's last step */
    const double *restrict t0 = L->dp.t0, *restrict hd = L->dp.h;
    const double *restrict c = L->dp.cont;
    double *restrict sv = L->hs; /* free after the trials */
#pragma omp simd
    for (size_t b = 0; b < B; b++)
        sv[b] = (target - t0[b]) / hd[b];
    size_t cs = L->dp.cs; /* the coefficients' blocks */
    for (size_t i = 0; i < m; i++)
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double sb = sv[b], s1 = 1.0 - sb;
            double v = c[i * B + b] +
                       sb * (c[cs + i * B + b] +
                             s1 * (c[2 * cs + i * B + b] +
                                   sb * (c[3 * cs + i * B + b] +
                                         s1 * c[4 * cs + i * B + b])));
            v = gdn__sel(target != t[b], v, y[i * B + b]);
            ox[i * B + b] = gdn__sel(take[b], v, ox[i * B + b]);
        }
}

int gdn__flow_next(gdn__lanes *L)
{
    size_t B = L->B;
    double target = sample_time(L, L->kout);
    if (L->method == GDN_FLOW_DOPRI5)
        dopri5_advance(L, target);
    else
        fixed_advance(L, target);
    if (B > 1 && L->ngroups == 0) {
        sample_lanes(L, target);
        return GDN_OK;
    }
    for (size_t b = 0; b < B; b++) {
        if (L->rc[b] != GDN_OK || L->status[b] != GDN_OK)
            continue; /* over before, or stopped now (sampled then) */
        if (L->method == GDN_FLOW_DOPRI5 && target != L->t[b]) {
            /* without averages the dense output is the sample itself */
            double *y = L->ngroups ? L->y1 : L->out_x;
            gdn__dopri5_eval(&L->dp, b, target, y);
            gdn__flow_sample(L, b, y, target);
        } else {
            gdn__flow_sample(L, b, L->y, target);
        }
    }
    return GDN_OK;
}
