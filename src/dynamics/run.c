/*
 * run.c - the run driver over lanes (lanes.h) and gandyn/run.h on top of
 * it: a gdn_run is the driver with B = 1.
 *
 * Flow (flow.c):     y = (x, e_1..e_m, s) of length 2n (1 + m + [uniform]),
 *                    with x' = -(eta_D xi_phi, eta_G xi_theta) and the
 *                    averages' equations (average.h); dopri5 steps freely,
 *                    each lane with its own step size, and its dense output
 *                    lands every sample exactly on k dt; rk4/euler take
 *                    equal substeps of at most h between samples.
 * Discrete (discrete.c): x <- step(x) by the optimizer's vtable, then the
 *                    averages (average.h).
 *
 * Invariants:
 *  1. A sample never holds a non-finite value: on a bad step a lane keeps
 *     its last finite state, stops, and says where (info.why).
 *  2. Nothing is allocated after gdn__lanes_new / gdn_run_new.
 *  3. A lane's numbers do not depend on the other lanes, nor on B.
 */
#include "gandyn/run.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/game.h"
#include "gandyn/param.h"
#include "gandyn/text.h"
#include "gandyn/traj.h"
#include "../models/norm.h"
#include "lanes.h"
#include "vector.h"

/* ---------------------------------------------------------------- options */

void gdn_run_opts_init(gdn_run_opts *opts, const gdn_opt_type *opt)
{
    memset(opts, 0, sizeof *opts);
    opts->opt = opt;
    for (size_t k = 0; k < gdn_param_count(opt->params); k++)
        opts->par[k] = opt->params[k].def;
    opts->t_end = 100;
    opts->dt = 0.1;
    opts->steps = 1000;
    opts->every = 1;
    opts->blowup = 1e100;
}

int gdn_run_opts_is_flow(const gdn_run_opts *opts)
{
    return (opts->opt->flags & GDN_OPT_FLOW) != 0;
}

double gdn_run_opts_param(const gdn_run_opts *opts, size_t k)
{
    const gdn_param *p = opts->opt->params;
    double v = opts->par[k];
    if (isnan(v) && p[k].inherits)
        return gdn_run_opts_get(opts, p[k].inherits);
    return v;
}

/* Real stability limits of the flow's integrators on e' = -e / tau, by
 * GDN_FLOW_*: |R(-h / tau)| <= 1 up to h / tau = 3.3066 (dopri5: R(z) =
 * sum_{k<=5} z^k / k! + z^6 / 600), 2.7853 (RK4), 2 (Euler), rounded up. */
static const double stab_limit[] = {3.307, 2.7853, 2.0};

/* Time constant of EMA j of the flow. */
static double ema_tau(const gdn_run_opts *o, size_t j)
{
    return o->ema[j].tau != 0 ? o->ema[j].tau : o->dt / (1.0 - o->ema[j].beta);
}

/* Steps rk4/euler take to t_end with steps of at most h, counted in double
 * as fixed_advance cuts the output intervals (so that no h overflows an
 * integer); *hbig gets the longest of them. */
static double fixed_steps(const gdn_run_opts *o, double h, double *hbig)
{
    double K = floor(o->t_end / o->dt + 1e-9);
    double full = fmax(1, ceil(o->dt / h * (1 - 1e-12)));
    double need = K * full;
    *hbig = K > 0 ? o->dt / full : 0;
    if (K * o->dt < o->t_end * (1 - 1e-12)) {
        double span = o->t_end - K * o->dt;
        double part = fmax(1, ceil(span / h * (1 - 1e-12)));
        need += part;
        *hbig = fmax(*hbig, span / part);
    }
    return need;
}

/* The flow's work is bounded before it starts: rk4/euler need a known
 * number of steps, dopri5 at least t_end / (3.307 tau) with an EMA of time
 * constant tau (its steps cannot exceed its stability limit on the
 * average); more than max_steps is refused, and so is an average the
 * fixed-step methods cannot integrate stably. */
static int flow_work_check(const gdn_run_opts *o, gdn_error *err)
{
    int method = (int)gdn_run_opts_get(o, "method");
    double budget = gdn_run_opts_get(o, "max_steps");
    const char *mname = method == GDN_FLOW_DOPRI5 ? "dopri5"
                        : method == GDN_FLOW_RK4  ? "rk4"
                                                  : "euler";
    char tend[32], tau_s[32], h_s[32];
    gdn_format_double(o->t_end, tend, sizeof tend);
    if (method != GDN_FLOW_DOPRI5) {
        double h = gdn_run_opts_get(o, "h"), hbig;
        double need = fixed_steps(o, h, &hbig);
        gdn_format_double(h, h_s, sizeof h_s);
        if (need > budget) {
            /* q steps per interval fit (K + 1) q <= budget: h = dt / q */
            double K = floor(o->t_end / o->dt + 1e-9);
            double q = floor(budget / (K + 1));
            char acc[96], need_s[32];
            gdn_format_double(need, need_s, sizeof need_s);
            if (need <= 1e15 && q >= 1)
                snprintf(acc, sizeof acc, "max_steps >= %s or h >= about %.4g",
                         need_s, o->dt / q);
            else if (need <= 1e15)
                snprintf(acc, sizeof acc, "max_steps >= %s", need_s);
            else if (q >= 1)
                snprintf(acc, sizeof acc, "h >= about %.4g", o->dt / q);
            else
                snprintf(acc, sizeof acc, "a larger h and max_steps");
            return gdn_error_set(err, GDN_EINVAL,
                                 "flow: h=%s needs %.4g steps to t-end = %s "
                                 "(budget: max_steps = %.4g, at most 1e15; "
                                 "accepted: %s)",
                                 h_s, need, tend, budget, acc);
        }
        for (size_t j = 0; j < o->nema; j++) {
            double tau = ema_tau(o, j);
            if (hbig > stab_limit[method] * tau) {
                gdn_format_double(tau, tau_s, sizeof tau_s);
                return gdn_error_set(
                    err, GDN_EINVAL,
                    "ema tau=%s: %s steps of %.4g are unstable on this "
                    "average (stable up to %.5g tau = %.4g); lower h or "
                    "raise tau",
                    tau_s, mname, hbig, stab_limit[method],
                    stab_limit[method] * tau);
            }
        }
        return GDN_OK;
    }
    for (size_t j = 0; j < o->nema; j++) {
        double tau = ema_tau(o, j), hmax = stab_limit[method] * tau;
        double hmin = 1e-14 * fmax(1.0, o->t_end), need = o->t_end / hmax;
        gdn_format_double(tau, tau_s, sizeof tau_s);
        if (!(hmax >= hmin))
            return gdn_error_set(
                err, GDN_EINVAL,
                "ema tau=%s: dopri5's steps stay below %.4g tau = %.4g (its "
                "stability limit), under its smallest step 1e-14 max(1, "
                "t-end) = %.4g; raise tau (accepted: tau >= %.4g)",
                tau_s, stab_limit[method], hmax, hmin,
                hmin / stab_limit[method]);
        if (need > budget)
            return gdn_error_set(
                err, GDN_EINVAL,
                "ema tau=%s: dopri5's steps stay below %.4g tau = %.4g (its "
                "stability limit): t-end = %s needs more than %.4g steps "
                "(budget: max_steps = %.4g; raise tau or max_steps)",
                tau_s, stab_limit[method], hmax, tend, need, budget);
    }
    return GDN_OK;
}

int gdn_run_opts_check(const gdn_run_opts *o, gdn_error *err)
{
    if (!o->opt)
        return gdn_error_set(err, GDN_EINVAL, "no optimizer given");
    const gdn_param *p = o->opt->params;
    for (size_t k = 0; p[k].key; k++) {
        double v = gdn_run_opts_param(o, k);
        if (!isfinite(v))
            return gdn_error_set(err, GDN_EINVAL, "%s: %s must be finite",
                                 o->opt->name, p[k].key);
        if (gdn_param_check(&p[k], o->opt->name, v, err) != GDN_OK)
            return GDN_EINVAL;
    }
    if (o->opt->flags & GDN_OPT_FLOW) {
        if (!(o->t_end > 0) || !isfinite(o->t_end))
            return gdn_error_set(err, GDN_EINVAL,
                                 "t-end must be a finite number > 0");
        if (!(o->dt > 0) || !isfinite(o->dt))
            return gdn_error_set(err, GDN_EINVAL,
                                 "dt must be a finite number > 0");
        if (o->t_end / o->dt > 1e9)
            return gdn_error_set(err, GDN_EINVAL,
                                 "t-end/dt = %g samples is too many (at most 1e9)",
                                 o->t_end / o->dt);
    } else {
        if (o->steps < 0)
            return gdn_error_set(err, GDN_EINVAL, "steps must be >= 0");
        if (o->every < 1)
            return gdn_error_set(err, GDN_EINVAL, "every must be >= 1");
    }
    if (o->nema > GDN_MAX_EMA)
        return gdn_error_set(err, GDN_EINVAL, "at most %d EMAs", GDN_MAX_EMA);
    for (size_t j = 0; j < o->nema; j++) {
        const gdn_ema *e = &o->ema[j];
        if (e->tau != 0) {
            if (!(o->opt->flags & GDN_OPT_FLOW))
                return gdn_error_set(err, GDN_EINVAL,
                                     "ema tau=%g: a time constant needs the "
                                     "flow; give a decay beta in [0, 1)",
                                     e->tau);
            if (!(e->tau > 0) || !isfinite(e->tau))
                return gdn_error_set(err, GDN_EINVAL,
                                     "ema tau=%.17g: must be a finite number "
                                     "> 0", e->tau);
        } else if (!(e->beta >= 0 && e->beta < 1)) {
            char val[32];
            gdn_format_double(e->beta, val, sizeof val);
            return gdn_error_set(err, GDN_EINVAL,
                                 "ema %s: the decay must be in [0, 1)", val);
        }
    }
    if (!(o->blowup > 0))
        return gdn_error_set(err, GDN_EINVAL, "blowup must be > 0");
    if (o->opt->flags & GDN_OPT_FLOW)
        return flow_work_check(o, err);
    return GDN_OK;
}

/* ------------------------------------------------------- the lanes driver */

int gdn__lane_state_ok(const gdn__lanes *L, const double *x, size_t b)
{
    for (size_t i = 0; i < L->m; i++)
        if (!(fabs(x[i * L->B + b]) <= L->opts.blowup))
            return 0;
    return 1;
}

int gdn__lane_overflow(const gdn__lanes *L, size_t b, char *why, size_t size,
                       const char *where)
{
    snprintf(why, size,
             "overflow: the first step (%s) left the range %g; |x0| = %.4g, "
             "|xi(x0)| = %.4g: the parameters are too large for this start",
             where, L->opts.blowup, L->x0_norm[b], L->xi0_norm[b]);
    return GDN_EOVERFLOW;
}

void gdn__lanes_sample_all(gdn__lanes *L)
{
    if (L->in_place)
        L->sample_y = 1;
    else
        memcpy(L->out_x, L->y, L->m * L->B * sizeof *L->out_x);
}

void gdn__lane_stop(gdn__lanes *L, size_t b, int code, const char *why)
{
    gdn_run_info *in = &L->info[b];
    L->nstops++;
    in->status = L->status[b] = code;
    strncpy(in->why, why, sizeof in->why - 1);
    in->why[sizeof in->why - 1] = '\0';
}

gdn__lanes *gdn__lanes_new(const gdn_game *game, const gdn_run_opts *opts,
                           size_t B, const double *x0, const double *lr,
                           gdn_error *err)
{
    size_t m = game->dim, np = game->nplayers;
    int flow = (opts->opt->flags & GDN_OPT_FLOW) != 0;
    size_t ngroups = opts->nema + (opts->uniform ? 1 : 0);
    size_t dim = flow ? m * (1 + ngroups) : m;
    size_t mem = flow ? 0 : opts->opt->mem_size(game) * B;
    /* x0, y, y1, out_x, out_avg, out_t, acc, lr, 6 per-lane doubles, work,
     * the optimizer's memory, dopri5 */
    size_t work = flow ? (5 * dim + 3) * B : GDN_STEP_WORK * m * B;
    size_t total = m * B + 2 * dim * B + m * B + ngroups * m * B + B +
                   (flow ? 0 : ngroups * m * B) + np * B + 6 * B + work + mem +
                   (flow ? gdn__dopri5_size(dim, B) : 0);
    gdn__lanes *L = calloc(1, sizeof *L);
    double *block = calloc(total, sizeof(double));
    int *iblock = calloc(9 * B, sizeof(int));
    gdn_run_info *info = calloc(B, sizeof *info);
    if (!L || !block || !iblock || !info) {
        free(L), free(block), free(iblock), free(info);
        gdn_error_set(err, GDN_ENOMEM,
                      "out of memory for a run of dimension %zu", m / 2);
        return NULL;
    }
    L->block = block, L->iblock = iblock, L->info = info;
    L->game = game;
    L->opts = *opts;
    gdn_params_fill(opts->opt->params, opts->par, L->par);
    L->fp = (const void *)L->par;
    L->B = B, L->m = m, L->ngroups = ngroups, L->dim = dim, L->flow = flow;
    L->x0 = block, block += m * B;
    L->y = block, block += dim * B;
    L->y1 = block, block += dim * B;
    L->out_x = block, block += m * B;
    L->out_avg = block, block += ngroups * m * B;
    L->out_t = block, block += B;
    L->acc = block, block += flow ? 0 : ngroups * m * B;
    L->lr = block, block += np * B;
    L->x0_norm = block, block += B;
    L->xi0_norm = block, block += B;
    L->t = block, block += B;
    L->h = block, block += B;
    L->hs = block, block += B;
    L->err = block, block += B;
    L->work = block, block += work;
    L->ctx.mem = block, block += mem;
    L->dpmem = block; /* flow: dopri5's workspace, the rest */
    L->last_rej = iblock, L->lastf = iblock + B, L->act = iblock + 2 * B;
    L->st = iblock + 3 * B, L->bad = iblock + 4 * B;
    L->undefined0 = iblock + 5 * B, L->rc = iblock + 6 * B;
    L->ist = iblock + 7 * B, L->status = iblock + 8 * B;
    memcpy(L->x0, x0, m * B * sizeof *x0);
    memcpy(L->y, x0, m * B * sizeof *x0);
    /* every discrete method's struct begins with lr, lr_d, lr_g */
    const struct gdn__lr_par *lp = (const void *)L->par;
    double lr_d = flow ? L->fp->lr_d : lp->lr_d;
    double lr_g = flow ? L->fp->lr_g : lp->lr_g;
    for (size_t b = 0; b < B; b++)
        for (size_t p = 0; p < np; p++)
            L->lr[p * B + b] = lr ? lr[p * B + b] : p == 0 ? lr_d : lr_g;

    /* The start must be a point where the field exists. */
    double *xi = L->work, *xs = L->work + m * B;
    gdn_game_grad(game, B, x0, xi, L->st);
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < m; i++)
            xs[i] = x0[i * B + b];
        L->x0_norm[b] = gdn__norm(xs, m);
        for (size_t i = 0; i < m; i++)
            xs[i] = xi[i * B + b];
        L->xi0_norm[b] = gdn__norm(xs, m);
        L->undefined0[b] = L->st[b] == GDN_PT_UNDEFINED;
        L->info[b].status = L->status[b] =
            L->undefined0[b] ? GDN_EUNDEFINED : GDN_OK;
    }
    gdn__avg_init(&L->avg, opts, m, B);
    if (flow) {
        L->method = (int)L->fp->method;
        double K = floor(opts->t_end / opts->dt + 1e-9);
        L->nout = (int64_t)K + 1;
        if (K * opts->dt < opts->t_end * (1 - 1e-12))
            L->nout++;
        gdn__flow_start(L);
    } else {
        L->ctx.game = game;
        L->ctx.B = B;
        L->ctx.par = L->par;
        L->ctx.lr = L->lr;
        L->ctx.work = L->work;
        L->ctx.st = L->st;
        L->fused = gdn__fused_step_for(game, opts, &L->fused_ns);
        gdn__avg_start(&L->avg, 0, x0, L->acc);
        L->nout = (opts->steps + opts->every - 1) / opts->every + 1;
    }
    return L;
}

/* rc = status, act = running at entry, for every lane; the lanes running.
 * One pass that vectorises (it runs at every sample). */
GDN_VECTOR_CLONES
static size_t lanes_at_entry(size_t B, const int *restrict status,
                             int *restrict rc, int *restrict act)
{
    int nrun = 0;
    for (size_t b = 0; b < B; b++) {
        rc[b] = status[b];
        act[b] = status[b] == GDN_OK;
        nrun += act[b];
    }
    return (size_t)nrun;
}

int gdn__lanes_next(gdn__lanes *L)
{
    size_t B = L->B, nrun = 0;
    L->sample_y = 0;
    if (!L->started) {
        L->started = 1;
        L->kout = 1;
        for (size_t b = 0; b < B; b++) {
            L->rc[b] = L->status[b];
            if (L->status[b] != GDN_OK)
                continue;
            if (L->flow)
                gdn__flow_sample(L, b, L->y, 0.0);
            else
                gdn__discrete_sample(L, b, 0);
            nrun++;
        }
        return nrun ? GDN_OK : GDN_DONE;
    }
    if (B == 1 && L->flow && L->status[0] == GDN_OK &&
        L->kout < L->nout) { /* a single run's sample: the loops below */
        L->rc[0] = GDN_OK;
        L->act[0] = 1;
        gdn__flow_next(L);
        L->kout++;
        L->rc[0] = L->status[0];
        L->info[0].t = L->t[0];
        L->info[0].step = (int64_t)L->info[0].accepted;
        return GDN_OK;
    }
    nrun = lanes_at_entry(B, L->status, L->rc, L->act);
    if (nrun == 0)
        return GDN_DONE;
    if (L->flow) {
        if (L->kout >= L->nout) {
            for (size_t b = 0; b < B; b++)
                if (L->status[b] == GDN_OK) {
                    gdn__flow_settle(L, b);
                    L->info[b].status = L->status[b] = L->rc[b] = GDN_DONE;
                }
            return GDN_OK;
        }
        uint64_t stops = L->nstops;
        gdn__flow_next(L);
        L->kout++;
        /* a running lane's time and step are written to its info when it
         * is over (gdn__flow_settle); rc changes only for lanes that
         * stopped now */
        if (L->nstops != stops)
            for (size_t b = 0; b < B; b++)
                if (L->rc[b] == GDN_OK && L->status[b] != GDN_OK) {
                    L->rc[b] = L->status[b];
                    L->info[b].t = L->t[b];
                    L->info[b].step = (int64_t)L->info[b].accepted;
                }
        return GDN_OK;
    }
    uint64_t stops = L->nstops;
    if (gdn__discrete_next(L) == GDN_OK && B > 1 && L->nstops == stops)
        return GDN_OK; /* no lane is over: rc is every lane's status */
    /* a running lane's time is written to its info when it is over (and
     * always for a single run, whose info is read at any time) */
    for (size_t b = 0; b < B; b++)
        if (L->rc[b] == GDN_OK) {
            L->rc[b] = L->status[b];
            if (B == 1 || L->status[b] != GDN_OK)
                L->info[b].t = L->t[b];
        }
    return GDN_OK;
}

void gdn__lanes_free(gdn__lanes *L)
{
    if (L) {
        free(L->block);
        free(L->iblock);
        free(L->info);
        free(L);
    }
}

/* ---------------------------------------------------- gdn_run: one lane */

struct gdn_run {
    gdn_system sys;     /* copy of the system */
    gdn_game game;      /* its game */
    gdn__lanes *L;      /* the driver, B = 1 */
    double *sample_x, *sample_avg, sample_t; /* the current sample */
};

gdn_run *gdn_run_new(const gdn_system *sys, const gdn_run_opts *opts,
                     const double *x0, gdn_error *err)
{
    if (gdn_run_opts_check(opts, err) != GDN_OK ||
        gdn_system_check(sys, err) != GDN_OK)
        return NULL;
    size_t n = sys->n, m = 2 * n;
    if ((opts->opt->flags & GDN_OPT_FLOW) && sys->model.type->project) {
        gdn_error_set(err, GDN_EINVAL,
                      "%s: its projection is not a flow; use a discrete "
                      "optimizer (simgd, altgd, ...)", sys->model.type->name);
        return NULL;
    }
    if (n == 0 || n > ((size_t)1 << 26)) {
        gdn_error_set(err, GDN_EINVAL, "dimension %zu out of range", n);
        return NULL;
    }
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(x0[i])) {
            gdn_error_set(err, GDN_EINVAL, "initial value %zu is not finite",
                          i + 1);
            return NULL;
        }
        if (!(fabs(x0[i]) <= opts->blowup)) {
            gdn_error_set(err, GDN_EINVAL,
                          "initial value %zu = %g is beyond the divergence "
                          "range (accepted: |x_i| <= %g)", i + 1, x0[i],
                          opts->blowup);
            return NULL;
        }
    }
    gdn_run *run = calloc(1, sizeof *run);
    if (!run) {
        gdn_error_set(err, GDN_ENOMEM, "out of memory for a run of dimension %zu",
                      n);
        return NULL;
    }
    run->sys = *sys;
    if (gdn_game_dirac(&run->game, &run->sys, err) != GDN_OK ||
        !(run->L = gdn__lanes_new(&run->game, opts, 1, x0, NULL, err))) {
        free(run);
        return NULL;
    }
    run->sample_x = run->L->out_x;
    run->sample_avg = run->L->out_avg;
    run->L->out_t = &run->sample_t;
    if (run->L->undefined0[0]) {
        gdn_error_set(err, GDN_EINVAL,
                      "the field of '%s' is undefined at the initial point",
                      sys->model.type->name);
        gdn_run_free(run);
        return NULL;
    }
    return run;
}

int gdn_run_next(gdn_run *run)
{
    gdn__lanes_next(run->L);
    return run->L->rc[0];
}

int64_t gdn_run_nsamples(const gdn_run *run)
{
    return run->L->nout;
}

int gdn_run_collect(gdn_run *run, gdn_traj *tr, gdn_error *err)
{
    gdn__lanes *L = run->L;
    size_t m = L->m, ng = L->ngroups;
    int64_t left = L->nout - (L->started ? L->kout : 0) + 1;
    if (gdn_traj_reserve(tr, tr->count + (size_t)left, err) != GDN_OK)
        return GDN_ENOMEM;
    int rc;
    for (;;) {
        size_t k = tr->count;
        if (k == tr->cap && gdn_traj_reserve(tr, 2 * k + 16, err) != GDN_OK) {
            rc = GDN_ENOMEM;
            break;
        }
        L->out_x = tr->x + k * m;
        L->out_avg = tr->avg + k * ng * m;
        L->out_t = tr->t + k;
        rc = gdn_run_next(run);
        if (rc == GDN_DONE)
            break;
        /* an outcome right after a sample repeats it: keep one copy */
        if (rc != GDN_OK && k > 0 && tr->t[k] == tr->t[k - 1])
            break;
        tr->count++;
        if (rc != GDN_OK)
            break;
    }
    /* the accessors show the last sample again */
    L->out_x = run->sample_x, L->out_avg = run->sample_avg;
    L->out_t = &run->sample_t;
    if (tr->count > 0) {
        size_t k = tr->count - 1;
        memcpy(run->sample_x, tr->x + k * m, m * sizeof(double));
        memcpy(run->sample_avg, tr->avg + k * ng * m, ng * m * sizeof(double));
        run->sample_t = tr->t[k];
    }
    return rc;
}

double gdn_run_time(const gdn_run *run) { return run->sample_t; }
const double *gdn_run_state(const gdn_run *run) { return run->sample_x; }
size_t gdn_run_navg(const gdn_run *run) { return run->L->ngroups; }
int gdn_run_is_flow(const gdn_run *run) { return run->L->flow; }

const double *gdn_run_avg(const gdn_run *run, size_t j)
{
    return run->sample_avg + j * run->L->m;
}

void gdn_run_get_info(const gdn_run *run, gdn_run_info *info)
{
    *info = run->L->info[0];
}

void gdn_run_free(gdn_run *run)
{
    if (run) {
        gdn__lanes_free(run->L);
        free(run);
    }
}
