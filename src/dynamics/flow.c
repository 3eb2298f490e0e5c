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

/* bad[b] = lane b of y left the blowup range (1), has a non-finite
 * average (2), or (st not NULL) its field was undefined (4); returns
 * whether a running lane (act) is bad. */
static GDN_ALWAYS_INLINE int check_body(gdn__lanes *L, size_t B,
                                         const double *restrict y,
                                         const int *restrict st)
{
    size_t m = L->m, dim = L->dim;
    int *restrict bad = L->bad;
    const int *restrict act = L->act;
    const double lim = L->opts.blowup;
    int any = 0;
    for (size_t b = 0; b < B; b++)
        bad[b] = st && st[b] == GDN_PT_UNDEFINED ? 4 : 0;
    for (size_t i = 0; i < m; i++) {
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
static int check_lanes(gdn__lanes *L, const double *y, const int *st)
{
    return check_body(L, L->B, y, st);
}

static int check_one(gdn__lanes *L, const double *y, const int *st)
{
    return check_body(L, 1, y, st);
}

static int flow_check(gdn__lanes *L, const double *y, const int *st)
{
    return L->B == 1 ? check_one(L, y, st) : check_lanes(L, y, st);
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

/* Lane b's accepted trial left the range: it stops at its last state. */
static void dopri5_diverged(gdn__lanes *L, size_t b, double h)
{
    char why[GDN_ERRMSG_MAX], where[64];
    int code = GDN_EDIVERGED, state = L->bad[b] & 1;
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

/* The accepted lanes (act) move to their trial state and, FSAL, k0 = k6.
 * Selects rather than branches, so that it vectorises. */
static GDN_ALWAYS_INLINE void accept_body(gdn__lanes *L, size_t B)
{
    size_t dim = L->dim;
    const int *restrict act = L->act;
    for (size_t i = 0; i < dim; i++) {
        double *restrict x = L->y + i * B, *restrict k0 = L->dp.k[0] + i * B;
        const double *restrict x1 = L->y1 + i * B;
        const double *restrict k6 = L->dp.k[6] + i * B;
        for (size_t b = 0; b < B; b++) {
            x[b] = gdn__sel(act[b] != 0, x1[b], x[b]);
            k0[b] = gdn__sel(act[b] != 0, k6[b], k0[b]);
        }
    }
}

GDN_VECTOR_CLONES
static void accept_lanes(gdn__lanes *L) { accept_body(L, L->B); }

static void accept_one(gdn__lanes *L) { accept_body(L, 1); }

static void dopri5_accept(gdn__lanes *L)
{
    if (L->B == 1)
        accept_one(L);
    else
        accept_lanes(L);
}

/* Advances every running lane with dopri5 until it reaches target. */
static void dopri5_advance(gdn__lanes *L, double target)
{
    size_t B = L->B;
    double rtol = L->fp->rtol, atol = L->fp->atol;
    double t_end = L->opts.t_end;
    uint64_t max_steps = (uint64_t)L->fp->max_steps;
    int *act = L->act, *last = L->lastf;
    if (B == 1 && !(L->t[0] < target)) /* a single run between steps */
        return;
    for (;;) { /* trial steps until every running lane reached target */
        size_t nact = 0;
        for (size_t b = 0; b < B; b++) {
            gdn_run_info *in = &L->info[b];
            L->hs[b] = 0, last[b] = 0;
            act[b] = L->status[b] == GDN_OK && L->t[b] < target;
            if (!act[b])
                continue;
            if (in->accepted + in->rejected >= max_steps) {
                act[b] = 0;
                dopri5_fail(L, b, GDN_EBUDGET);
                continue;
            }
            double h = L->h[b], left = t_end - L->t[b];
            if (h >= left * (1 - 1e-12)) {
                h = left;
                last[b] = 1;
            }
            L->hs[b] = h;
            nact++;
        }
        if (nact == 0)
            return;
        gdn__dopri5_try(&L->dp, &L->ode, L->hs, L->y, L->y1, rtol, atol,
                        L->err, L->st);
        flow_check(L, L->y1, NULL);
        for (size_t b = 0; b < B; b++) {
            if (!act[b])
                continue;
            gdn_run_info *in = &L->info[b];
            double h = L->hs[b], err = L->err[b];
            int pt = L->st[b];
            in->nevals += 6; /* the trial's stages */
            if (pt != GDN_PT_UNDEFINED && err <= 1.0) {
                if (L->bad[b]) {
                    act[b] = 0;
                    dopri5_diverged(L, b, h);
                    continue;
                }
                double t1 = last[b] ? t_end : L->t[b] + h;
                /* only a step past the sample time is read by the sample */
                if (t1 > target)
                    gdn__dopri5_dense(&L->dp, b, L->t[b], h, L->y, L->y1);
                L->t[b] = t1;
                in->accepted++;
                in->h_last = h;
                double fac =
                    err == 0 ? 5.0 : fmin(5.0, fmax(0.2, 0.9 * gdn__pow_pos(err, -0.2)));
                if (L->last_rej[b] && fac > 1)
                    fac = 1;
                L->h[b] = h * fac;
                L->last_rej[b] = 0;
            } else {
                act[b] = 0;
                in->rejected++;
                double fac = pt == GDN_PT_UNDEFINED || !isfinite(err)
                                 ? 0.25
                                 : fmax(0.2, 0.9 * gdn__pow_pos(err, -0.2));
                L->h[b] = h * fac;
                L->last_rej[b] = 1;
                if (L->h[b] < 1e-14 * fmax(1.0, fabs(L->t[b])))
                    dopri5_fail(L, b, pt == GDN_PT_UNDEFINED ? GDN_EUNDEFINED
                                                             : GDN_ESTEP);
            }
        }
        dopri5_accept(L);
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
            any = flow_check(L, L->y, st);
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
        if (L->in_place)
            L->sample_y = 1;
        else
            memcpy(ox, y, m * B * sizeof *ox);
        return;
    }
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
    for (size_t b = 0; b < B; b++)
        sv[b] = (target - t0[b]) / hd[b];
    size_t n = L->dim; /* = m without averages */
    for (size_t i = 0; i < m; i++)
        for (size_t b = 0; b < B; b++) {
            double sb = sv[b], s1 = 1.0 - sb;
            double v = c[(0 * n + i) * B + b] +
                       sb * (c[(1 * n + i) * B + b] +
                             s1 * (c[(2 * n + i) * B + b] +
                                   sb * (c[(3 * n + i) * B + b] +
                                         s1 * c[(4 * n + i) * B + b])));
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
