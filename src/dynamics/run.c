/*
 * run.c - the step-at-a-time driver of gandyn/run.h.
 *
 * Flow:     y = (x, e_1..e_m, s) of length 2n (1 + m + [uniform]), with
 *           x' = -(eta_D xi_phi, eta_G xi_theta), e_j' = (x - e_j)/tau_j and
 *           s' = x; dopri5 steps freely and its dense output lands every
 *           sample exactly on k dt; rk4/euler take equal substeps of at most
 *           h between samples.
 * Discrete: x <- step(x) by the optimizer's vtable; EMAs e <- b e + (1-b) x
 *           after every step; the uniform average is the mean of x_0..x_k.
 *
 * Invariants:
 *  1. A sample never holds a non-finite value: on a bad step the run keeps
 *     the last finite state, stops, and says where (info.why).
 *  2. Nothing is allocated after gdn_run_new.
 */
#include "gandyn/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/spec.h"
#include "gandyn/traj.h"
#include "norm.h"
#include "ode.h"
#include "optim.h"
#include "../core/gmath.h"

struct gdn_run {
    gdn_system sys;            /* copy of the system */
    gdn_run_opts opts;         /* copy of the options */
    double par[GDN_MAX_PARAMS]; /* resolved method parameters */
    size_t m;                  /* 2n */
    size_t ngroups;            /* nema + uniform */
    int flow;                  /* continuous time */
    int method;                /* flow: GDN_FLOW_* */
    double eta_d, eta_g;       /* flow time scales / learning rates */
    double x0_norm, xi0_norm;  /* |x0| and |xi(x0)|, for an overflow */
    double tau[GDN_MAX_EMA];   /* flow: EMA time constants */
    size_t dim;                /* flow: length of y */
    double *y, *y1;            /* flow: state and trial; discrete: x, backup */
    double *x0;                /* initial state */
    double *sample_x;          /* current sample: state */
    double *sample_avg;        /* current sample: ngroups states */
    double *out_x, *out_avg;   /* where samples are written: the two above,
                                  or a trajectory's row (gdn_run_collect) */
    double *out_t;             /* ... and the sample's time */
    double *ema, *sum;         /* discrete: EMA states, running sum */
    double *work;              /* scratch */
    gdn__dopri5 dp;            /* flow: dopri5 workspace */
    gdn__ode ode;              /* flow: y' = f(y) */
    struct gdn_step_ctx ctx;   /* discrete: the optimizer's view */
    double sample_t;           /* time (or step) of the current sample */
    long nsamples;             /* samples written so far */
    double t;                  /* integrator time / steps taken */
    double h;                  /* flow: proposed next step */
    int last_rejected;         /* flow: the previous trial failed */
    long kout, nout;           /* next sample index, number of samples */
    int started;
    gdn_run_info info;
    void *block;               /* the single allocation */
};

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
    if (isnan(v) && strncmp(p[k].key, "lr_", 3) == 0)
        for (size_t j = 0; p[j].key; j++)
            if (strcmp(p[j].key, "lr") == 0)
                return opts->par[j];
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
    int method = (int)gdn_run_opts_param(o, GDN_FLOW_METHOD);
    double budget = gdn_run_opts_param(o, GDN_FLOW_MAX_STEPS);
    const char *mname = method == GDN_FLOW_DOPRI5 ? "dopri5"
                        : method == GDN_FLOW_RK4  ? "rk4"
                                                  : "euler";
    char tend[32], tau_s[32], h_s[32];
    gdn_format_double(o->t_end, tend, sizeof tend);
    if (method != GDN_FLOW_DOPRI5) {
        double h = gdn_run_opts_param(o, GDN_FLOW_H), hbig;
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

/* -------------------------------------------------------------- the flow */

static int flow_rhs(void *vrun, const double *y, double *dy)
{
    gdn_run *run = vrun;
    size_t m = run->m, n = m / 2;
    run->info.nevals++;
    int st = gdn_system_grad(&run->sys, y, dy);
    double ed = run->eta_d, eg = run->eta_g;
    for (size_t i = 0; i < n; i++) {
        dy[i] = -(ed * dy[i]);
        dy[n + i] = -(eg * dy[n + i]);
    }
    for (size_t j = 0; j < run->opts.nema; j++) {
        const double *e = y + m * (1 + j);
        double *de = dy + m * (1 + j), r = 1.0 / run->tau[j];
        for (size_t i = 0; i < m; i++)
            de[i] = (y[i] - e[i]) * r;
    }
    if (run->opts.uniform)
        memcpy(dy + m * (1 + run->opts.nema), y, m * sizeof *y);
    return st;
}

/* Time of sample k. */
static double flow_sample_time(const gdn_run *run, long k)
{
    return k == run->nout - 1 ? run->opts.t_end : (double)k * run->opts.dt;
}

/* Whether the state part of y is finite and below the blow-up bound. */
static int state_ok(const gdn_run *run, const double *x)
{
    for (size_t i = 0; i < run->m; i++)
        if (!(fabs(x[i]) <= run->opts.blowup))
            return 0;
    return 1;
}

/* Whether the averages' part of a flow state y is finite (the state part is
 * checked by state_ok). */
static int avg_ok(const gdn_run *run, const double *y)
{
    for (size_t i = run->m; i < run->dim; i++)
        if (!isfinite(y[i]))
            return 0;
    return 1;
}

/* The outcome of a step that left the range: on the very first step there
 * is no path to judge, the parameters are out of scale for this start. */
static int overflow_why(const gdn_run *run, char *why, size_t size,
                        const char *where)
{
    snprintf(why, size,
             "overflow: the first step (%s) left the range %g; |x0| = %.4g, "
             "|xi(x0)| = %.4g: the parameters are too large for this start",
             where, run->opts.blowup, run->x0_norm, run->xi0_norm);
    return GDN_EOVERFLOW;
}

/* Stops the run with an outcome; the sample becomes the last finite state. */
static int stop(gdn_run *run, int code, const char *why)
{
    run->info.status = code;
    strncpy(run->info.why, why, sizeof run->info.why - 1);
    run->info.why[sizeof run->info.why - 1] = '\0';
    return code;
}

/* Fills the sample from a flow state y at time t. */
static void flow_sample(gdn_run *run, const double *y, double t)
{
    size_t m = run->m;
    if (y != run->out_x)
        memcpy(run->out_x, y, m * sizeof *y);
    for (size_t j = 0; j < run->ngroups; j++) {
        double *out = run->out_avg + j * m;
        const double *src = y + m * (1 + j);
        double scale = 1.0;
        if (t == 0) {
            memcpy(out, run->x0, m * sizeof *out);
            continue;
        }
        if (j < run->opts.nema)
            scale = run->opts.ema_debias ? -1.0 / gdn__expm1(-t / run->tau[j]) : 1.0;
        else
            scale = 1.0 / t;
        for (size_t i = 0; i < m; i++)
            out[i] = src[i] * scale;
    }
    *run->out_t = t;
}

/* dopri5 stops at run->t: code GDN_EUNDEFINED, GDN_ESTEP or GDN_EBUDGET. */
static int flow_fail(gdn_run *run, int code)
{
    char why[GDN_ERRMSG_MAX];
    if (code == GDN_EUNDEFINED)
        snprintf(why, sizeof why, "field undefined at t = %.17g after %lu "
                 "steps", run->t, run->info.accepted);
    else if (code == GDN_EBUDGET)
        snprintf(why, sizeof why,
                 "step budget exhausted at t = %.17g: max_steps = %.17g "
                 "steps (%lu accepted, %lu rejected) used up",
                 run->t, run->par[GDN_FLOW_MAX_STEPS], run->info.accepted,
                 run->info.rejected);
    else
        snprintf(why, sizeof why,
                 "step size underflow at t = %.17g after %lu steps: the "
                 "step fell below 1e-14 max(1, |t|), the field is stiff "
                 "there or blows up in finite time", run->t,
                 run->info.accepted);
    flow_sample(run, run->y, run->t);
    return stop(run, code, why);
}

/* Advances dopri5 until run->t >= target; 0 or an outcome code. */
static int dopri5_advance(gdn_run *run, double target)
{
    double rtol = run->par[GDN_FLOW_RTOL], atol = run->par[GDN_FLOW_ATOL];
    double t_end = run->opts.t_end;
    unsigned long max_steps = (unsigned long)run->par[GDN_FLOW_MAX_STEPS];
    while (run->t < target) {
        if (run->info.accepted + run->info.rejected >= max_steps)
            return flow_fail(run, GDN_EBUDGET);
        double h = run->h, left = t_end - run->t;
        int last = 0;
        if (h >= left * (1 - 1e-12)) {
            h = left;
            last = 1;
        }
        double err;
        int pt = gdn__dopri5_try(&run->dp, &run->ode, h, run->y, run->y1, rtol,
                                 atol, &err);
        if (pt != GDN_PT_UNDEFINED && err <= 1.0) {
            if (!state_ok(run, run->y1) ||
                (run->ngroups && !avg_ok(run, run->y1))) {
                char why[GDN_ERRMSG_MAX], where[64];
                int code = GDN_EDIVERGED;
                snprintf(where, sizeof where, "to t = %.17g", run->t + h);
                if (!state_ok(run, run->y1) && run->info.accepted == 0)
                    code = overflow_why(run, why, sizeof why, where);
                else if (!state_ok(run, run->y1))
                    snprintf(why, sizeof why,
                             "diverged: |x| left the range %g at t = %.17g "
                             "(step %lu)", run->opts.blowup, run->t + h,
                             run->info.accepted + 1);
                else
                    snprintf(why, sizeof why,
                             "diverged: an average left the finite range at "
                             "t = %.17g (step %lu)", run->t + h,
                             run->info.accepted + 1);
                flow_sample(run, run->y, run->t);
                return stop(run, code, why);
            }
            gdn__dopri5_dense(&run->dp, run->t, h, run->y, run->y1);
            double *tmp = run->y;
            run->y = run->y1, run->y1 = tmp;
            tmp = run->dp.k[0]; /* FSAL: this step's k7 is the next k1 */
            run->dp.k[0] = run->dp.k[6], run->dp.k[6] = tmp;
            run->t = last ? t_end : run->t + h;
            run->info.accepted++;
            run->info.h_last = h;
            double fac = err == 0 ? 5.0 : fmin(5.0, fmax(0.2, 0.9 * gdn__pow_pos(err, -0.2)));
            if (run->last_rejected && fac > 1)
                fac = 1;
            run->h = h * fac;
            run->last_rejected = 0;
        } else {
            run->info.rejected++;
            double fac = pt == GDN_PT_UNDEFINED || !isfinite(err)
                             ? 0.25
                             : fmax(0.2, 0.9 * gdn__pow_pos(err, -0.2));
            run->h = h * fac;
            run->last_rejected = 1;
            if (run->h < 1e-14 * fmax(1.0, fabs(run->t)))
                return flow_fail(run, pt == GDN_PT_UNDEFINED ? GDN_EUNDEFINED
                                                             : GDN_ESTEP);
        }
    }
    return GDN_OK;
}

/* Equal fixed substeps of at most h from the current time to target.  The
 * span of a full interval is dt itself, not a difference of times, so that
 * h = dt = lr reproduces simgd exactly. */
static int fixed_advance(gdn_run *run, double target)
{
    int full = run->kout < run->nout - 1 ||
               target == (double)run->kout * run->opts.dt;
    double span = full ? run->opts.dt : target - run->t;
    double hmax = run->par[GDN_FLOW_H];
    double ksteps = ceil(span / hmax * (1 - 1e-12));
    /* at most max_steps <= 1e15 (gdn_run_opts_check): the cast is defined */
    long nsub = ksteps < 1 ? 1 : ksteps > 1e15 ? (long)1e15 : (long)ksteps;
    double h = span / (double)nsub;
    for (long s = 0; s < nsub; s++) {
        memcpy(run->y1, run->y, run->dim * sizeof(double));
        int pt = run->method == GDN_FLOW_RK4
                     ? gdn__rk4_step(&run->ode, h, run->y, run->work)
                     : gdn__euler_step(&run->ode, h, run->y, run->work);
        if (pt == GDN_PT_UNDEFINED || !state_ok(run, run->y) ||
            (run->ngroups && !avg_ok(run, run->y))) {
            char why[GDN_ERRMSG_MAX], where[64];
            int code = pt == GDN_PT_UNDEFINED ? GDN_EUNDEFINED : GDN_EDIVERGED;
            snprintf(where, sizeof where, "to t = %.17g", run->t + h);
            if (code == GDN_EDIVERGED && !state_ok(run, run->y) &&
                run->info.accepted == 0)
                code = overflow_why(run, why, sizeof why, where);
            else
                snprintf(why, sizeof why, "%s at t = %.17g (step %lu)",
                         pt == GDN_PT_UNDEFINED ? "field undefined"
                         : state_ok(run, run->y)
                             ? "diverged: an average left the finite range"
                             : "diverged: |x| left the range",
                         run->t + h, run->info.accepted + 1);
            memcpy(run->y, run->y1, run->dim * sizeof(double));
            flow_sample(run, run->y, run->t);
            return stop(run, code, why);
        }
        run->info.accepted++;
        run->info.h_last = h;
        run->t = s == nsub - 1 ? target : run->t + h;
    }
    return GDN_OK;
}

static int flow_next(gdn_run *run)
{
    double target = flow_sample_time(run, run->kout);
    int rc = run->method == GDN_FLOW_DOPRI5 ? dopri5_advance(run, target)
                                            : fixed_advance(run, target);
    if (rc != GDN_OK)
        return rc;
    if (run->method == GDN_FLOW_DOPRI5 && target != run->t) {
        /* without averages the dense output is the sample itself */
        double *y = run->ngroups ? run->y1 : run->out_x;
        gdn__dopri5_eval(&run->dp, target, y);
        flow_sample(run, y, target);
    } else {
        flow_sample(run, run->y, target);
    }
    return GDN_OK;
}

/* ---------------------------------------------------------- discrete time */

static void discrete_sample(gdn_run *run, long k)
{
    size_t m = run->m;
    memcpy(run->out_x, run->y, m * sizeof(double));
    for (size_t j = 0; j < run->opts.nema; j++) {
        double *out = run->out_avg + j * m;
        const double *e = run->ema + j * m;
        if (run->opts.ema_debias) {
            double c = 1.0 - gdn__pow_pos(run->opts.ema[j].beta, (double)k);
            for (size_t i = 0; i < m; i++)
                out[i] = k == 0 ? run->x0[i] : e[i] / c;
        } else {
            memcpy(out, e, m * sizeof *out);
        }
    }
    if (run->opts.uniform) {
        double *out = run->out_avg + run->opts.nema * m;
        for (size_t i = 0; i < m; i++)
            out[i] = run->sum[i] / (double)(k + 1);
    }
    *run->out_t = (double)k;
}

static int discrete_next(gdn_run *run)
{
    size_t m = run->m;
    long k = (long)run->t, steps = run->opts.steps, every = run->opts.every;
    if (k >= steps)
        return run->info.status = GDN_DONE;
    long target = (k / every + 1) * every;
    if (target > steps)
        target = steps;
    while (k < target) {
        memcpy(run->y1, run->y, m * sizeof(double));
        int pt = run->opts.opt->step(&run->ctx, run->y);
        run->info.nevals = run->ctx.nevals;
        if (pt == GDN_PT_UNDEFINED || !state_ok(run, run->y)) {
            char why[GDN_ERRMSG_MAX];
            int code = pt == GDN_PT_UNDEFINED ? GDN_EUNDEFINED : GDN_EDIVERGED;
            if (pt == GDN_PT_UNDEFINED)
                snprintf(why, sizeof why, "field undefined at step %ld", k + 1);
            else if (k == 0)
                code = overflow_why(run, why, sizeof why, "step 1");
            else
                snprintf(why, sizeof why,
                         "diverged: |x| left the range %g at step %ld",
                         run->opts.blowup, k + 1);
            memcpy(run->y, run->y1, m * sizeof(double));
            discrete_sample(run, k);
            run->info.step = k + 1;
            return stop(run, code, why);
        }
        k++;
        for (size_t j = 0; j < run->opts.nema; j++) {
            double beta = run->opts.ema[j].beta, *e = run->ema + j * m;
            for (size_t i = 0; i < m; i++)
                e[i] = beta * e[i] + (1.0 - beta) * run->y[i];
        }
        if (run->opts.uniform)
            for (size_t i = 0; i < m; i++)
                run->sum[i] += run->y[i];
        run->t = (double)k;
        run->info.step = k;
        run->info.accepted = (unsigned long)k;
    }
    discrete_sample(run, k);
    return GDN_OK;
}

/* ------------------------------------------------------------- lifecycle */

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
    int flow = (opts->opt->flags & GDN_OPT_FLOW) != 0;
    size_t ngroups = opts->nema + (opts->uniform ? 1 : 0);
    size_t dim = flow ? m * (1 + ngroups) : m;
    size_t mem = flow ? 0 : opts->opt->mem_size(n);
    /* y, y1, x0, sample_x, sample_avg, ema, sum, work, dopri5 */
    size_t work = flow ? 5 * dim : GDN_STEP_WORK * m;
    size_t total = 2 * dim + 2 * m + ngroups * m + opts->nema * m + m + work +
                   mem + (flow ? gdn__dopri5_size(dim) : 0);
    gdn_run *run = calloc(1, sizeof *run);
    double *block = calloc(total, sizeof(double));
    if (!run || !block) {
        free(run);
        free(block);
        gdn_error_set(err, GDN_ENOMEM, "out of memory for a run of dimension %zu",
                      n);
        return NULL;
    }
    run->block = block;
    run->sys = *sys;
    run->opts = *opts;
    for (size_t k = 0; k < gdn_param_count(opts->opt->params); k++)
        run->par[k] = gdn_run_opts_param(opts, k);
    run->m = m;
    run->ngroups = ngroups;
    run->flow = flow;
    run->dim = dim;
    run->y = block, block += dim;
    run->y1 = block, block += dim;
    run->x0 = block, block += m;
    run->sample_x = run->out_x = block, block += m;
    run->sample_avg = run->out_avg = block, block += ngroups * m;
    run->out_t = &run->sample_t;
    run->ema = block, block += opts->nema * m;
    run->sum = block, block += m;
    run->work = block, block += work;
    memcpy(run->x0, x0, m * sizeof *x0);
    memcpy(run->y, x0, m * sizeof *x0);

    /* The start must be a point where the field exists. */
    int pt = gdn_system_grad(sys, x0, run->work);
    if (pt == GDN_PT_UNDEFINED) {
        gdn_error_set(err, GDN_EINVAL,
                      "the field of '%s' is undefined at the initial point",
                      sys->model.type->name);
        gdn_run_free(run);
        return NULL;
    }
    run->x0_norm = gdn__norm(x0, m);
    run->xi0_norm = gdn__norm(run->work, m);

    if (flow) {
        run->method = (int)run->par[GDN_FLOW_METHOD];
        run->eta_d = run->par[GDN_FLOW_LR_D];
        run->eta_g = run->par[GDN_FLOW_LR_G];
        for (size_t j = 0; j < opts->nema; j++)
            run->tau[j] = opts->ema[j].tau != 0
                              ? opts->ema[j].tau
                              : opts->dt / (1.0 - opts->ema[j].beta);
        for (size_t j = 0; j < opts->nema; j++) /* EMA state: x0 or 0 */
            if (!opts->ema_debias)
                memcpy(run->y + m * (1 + j), x0, m * sizeof *x0);
        /* the uniform average's integral starts at 0 (calloc) */
        run->ode.dim = dim;
        run->ode.f = flow_rhs;
        run->ode.ctx = run;
        double K = floor(opts->t_end / opts->dt + 1e-9);
        run->nout = (long)K + 1;
        if (K * opts->dt < opts->t_end * (1 - 1e-12))
            run->nout++;
        if (run->method == GDN_FLOW_DOPRI5) {
            gdn__dopri5_bind(&run->dp, dim, block);
            /* each average is controlled on its own, so adding one never
             * loosens the state's accuracy */
            run->dp.group = m;
            flow_rhs(run, run->y, run->dp.k[0]);
            run->h = gdn__dopri5_h0(&run->ode, run->y, run->dp.k[0],
                                    run->par[GDN_FLOW_RTOL],
                                    run->par[GDN_FLOW_ATOL], opts->t_end,
                                    run->work, &run->info.nevals);
        }
    } else {
        run->ctx.sys = &run->sys;
        run->ctx.par = run->par;
        run->ctx.lr_d = run->par[GDN_OPT_LR_D];
        run->ctx.lr_g = run->par[GDN_OPT_LR_G];
        run->ctx.mem = block;
        run->ctx.work = run->work;
        for (size_t j = 0; j < opts->nema; j++) {
            if (!opts->ema_debias)
                memcpy(run->ema + j * m, x0, m * sizeof *x0);
        }
        memcpy(run->sum, x0, m * sizeof *x0);
        run->nout = (opts->steps + opts->every - 1) / opts->every + 1;
    }
    run->info.status = GDN_OK;
    return run;
}

/* Writes the next sample to run->out_*; see gdn_run_next. */
static int advance(gdn_run *run)
{
    if (run->info.status != GDN_OK)
        return run->info.status;
    if (!run->started) {
        run->started = 1;
        run->kout = 1;
        if (run->flow)
            flow_sample(run, run->y, 0.0);
        else
            discrete_sample(run, 0);
        return GDN_OK;
    }
    if (run->flow) {
        if (run->kout >= run->nout)
            return run->info.status = GDN_DONE;
        int rc = flow_next(run);
        if (rc == GDN_OK)
            run->kout++;
        run->info.t = run->t;
        run->info.step = (long)run->info.accepted;
        return rc;
    }
    int rc = discrete_next(run);
    run->info.t = run->t;
    return rc;
}

int gdn_run_next(gdn_run *run)
{
    return advance(run);
}

long gdn_run_nsamples(const gdn_run *run)
{
    return run->nout;
}

int gdn_run_collect(gdn_run *run, gdn_traj *tr, gdn_error *err)
{
    size_t m = run->m, ng = run->ngroups;
    long left = run->nout - (run->started ? run->kout : 0) + 1;
    if (gdn_traj_reserve(tr, tr->count + (size_t)left, err) != GDN_OK)
        return GDN_ENOMEM;
    int rc;
    for (;;) {
        size_t k = tr->count;
        if (k == tr->cap && gdn_traj_reserve(tr, 2 * k + 16, err) != GDN_OK) {
            rc = GDN_ENOMEM;
            break;
        }
        run->out_x = tr->x + k * m;
        run->out_avg = tr->avg + k * ng * m;
        run->out_t = tr->t + k;
        rc = advance(run);
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
    run->out_x = run->sample_x, run->out_avg = run->sample_avg;
    run->out_t = &run->sample_t;
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
size_t gdn_run_navg(const gdn_run *run) { return run->ngroups; }
int gdn_run_is_flow(const gdn_run *run) { return run->flow; }

const double *gdn_run_avg(const gdn_run *run, size_t j)
{
    return run->sample_avg + j * run->m;
}

void gdn_run_get_info(const gdn_run *run, gdn_run_info *info)
{
    *info = run->info;
}

void gdn_run_free(gdn_run *run)
{
    if (run) {
        free(run->block);
        free(run);
    }
}
