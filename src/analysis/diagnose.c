/*
 * diagnose.c - labels a trajectory with what it does (see
 * gandyn/diagnose.h for the decision order and its tolerances).
 *
 * Envelopes (window maxima of r) rather than r itself are compared so that
 * an oscillation inside a decaying or steady envelope is not mistaken for
 * the envelope's own trend.
 */
#include "gandyn/diagnose.h"
#include "../core/gmath.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *gdn_diag_label_name(int label)
{
    switch (label) {
#define GDN_DIAG_NAME_(name, text) case GDN_DIAG_##name: return text;
        GDN_DIAG_LABELS(GDN_DIAG_NAME_)
#undef GDN_DIAG_NAME_
    default: return "unknown";
    }
}

void gdn_diag_opts_init(gdn_diag_opts *o)
{
    o->eps = 1e-6;
    o->tail = 0.5;
    o->rel = 1e-3;
    o->rel_circle = 1e-3;
    o->step_scale = 0;
    o->projected = 0;
    o->kinked = 0;
    o->no_text = 0;
}

void gdn_diag_opts_method(gdn_diag_opts *o, const gdn_system *sys,
                          const gdn_run_opts *ro)
{
    o->step_scale = 0;
    o->projected = o->kinked = 0;
    if (ro && ro->opt && (ro->opt->flags & GDN_OPT_NONSMOOTH))
        o->step_scale = gdn_run_opts_get(ro, "lr");
    if (!sys)
        return;
    o->projected = sys->model.type->project != NULL;
    o->kinked = sys->model.type->singular != NULL;
    for (size_t k = 0; k < sys->nreg; k++) {
        o->projected |= sys->reg[k].type->project != NULL;
        o->kinked |= sys->reg[k].type->singular != NULL;
    }
}

static double norm_of(const double *v, size_t m)
{
    double s = 0;
    for (size_t i = 0; i < m; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

static void window_reset(gdn_diag_window *w)
{
    w->lo = w->hi = 0;
    w->r_max = w->th_max = w->ph_max = -INFINITY;
    w->r_min = w->th_min = w->ph_min = INFINITY;
    w->th_mean = w->ph_mean = 0; /* sums until gdn_diag_acc_finish */
    w->t_max = NAN;
    w->c_min[0] = w->c_min[1] = INFINITY;
    w->c_max[0] = w->c_max[1] = -INFINITY;
}

void gdn_diag_acc_init(gdn_diag_acc *a, size_t n, double t0, double t_end,
                       const gdn_diag_opts *o)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->opts = *o;
    a->t0 = t0, a->t_end = t_end;
    double span = t_end - t0;
    a->bound[0] = t_end - o->tail * span;
    for (int k = 1; k < 3; k++)
        a->bound[k] = t_end - o->tail * span * (1 - k / 3.0);
    a->t_below = NAN;
    a->above = 1;
    a->half3 = a->bound[2] + 0.5 * (t_end - a->bound[2]);
    a->r_max3[0] = a->r_max3[1] = -INFINITY;
    a->t_max3[0] = a->t_max3[1] = NAN;
    for (int k = 0; k < 3; k++)
        window_reset(&a->w[k]);
}

void gdn_diag_acc_add(gdn_diag_acc *a, double t, const double *x)
{
    gdn_invariants inv;
    gdn_invariants_of(a->n, x, &inv);
    if (a->count == 0)
        a->start = inv;
    a->last = inv;
    a->t_last = t;
    double r = inv.norm;
    if (r >= a->opts.eps)
        a->above = 1;
    else if (a->above)
        a->above = 0, a->t_below = t; /* below from here on, so far */
    /* window k holds the samples with bound[k] <= t < bound[k + 1] */
    int k = t >= a->bound[2] ? 2 : t >= a->bound[1] ? 1 : t >= a->bound[0] ? 0 : -1;
    for (int c = 0; c < 2; c++) { /* phi_1, theta_1: turns down -> up */
        double v = x[c ? a->n : 0];
        if (a->count) {
            int dir = v > a->prev_c[c] ? 1 : v < a->prev_c[c] ? -1 : 0;
            if (dir > 0 && a->dir_c[c] < 0 && k >= 0)
                a->turns_c[c]++;
            if (dir)
                a->dir_c[c] = dir;
        }
        a->prev_c[c] = v;
    }
    a->moved_last = !(a->count && r == a->r_last);
    a->r_last = r;
    if (k >= 0) {
        gdn_diag_window *w = &a->w[k];
        if (w->hi == w->lo)
            w->lo = w->hi = a->count;
        if (!a->tail_started) {
            a->tail_started = 1;
            a->tail_index = a->count;
            a->tail0 = inv;
        }
        double th = inv.theta_norm, ph = inv.phi_norm;
        if (r > w->r_max)
            w->r_max = r, w->t_max = t;
        if (k == 2) {
            int h = t >= a->half3;
            if (r > a->r_max3[h])
                a->r_max3[h] = r, a->t_max3[h] = t;
        }
        w->r_min = gdn__fmin(w->r_min, r);
        w->th_max = gdn__fmax(w->th_max, th), w->th_min = gdn__fmin(w->th_min, th);
        w->ph_max = gdn__fmax(w->ph_max, ph), w->ph_min = gdn__fmin(w->ph_min, ph);
        w->th_mean += th, w->ph_mean += ph;
        for (int c = 0; c < 2; c++) { /* phi_1, theta_1 */
            double v = x[c ? a->n : 0];
            w->c_min[c] = gdn__fmin(w->c_min[c], v);
            w->c_max[c] = gdn__fmax(w->c_max[c], v);
        }
        w->hi++;
    }
    a->count++;
}

/* A change by the factor f > 1 in words: "1.8x", or "by 2.1%". */
static const char *factor_text(double f, char *buf, size_t size)
{
    if (f < 1.1)
        snprintf(buf, size, "by %.2g%%", 100 * (f - 1));
    else
        snprintf(buf, size, "%.3gx", f);
    return buf;
}

/* The text of a diagnosis, or none if its options ask for none (o in
 * scope): the arguments are then not even evaluated. */
#define SAY(buf, size, ...)                                                 \
    ((void)(o->no_text ? ((buf)[0] = '\0', 0)                              \
                       : snprintf(buf, size, __VA_ARGS__)))

static void acc_finish(gdn_diag_acc *a, const gdn_run_info *info,
                       int discrete, double period, gdn_diagnosis *d)
{
    const gdn_diag_opts *o = &a->opts;
    memset(d, 0, sizeof *d);
    d->t_eps = d->period = d->radius = d->radius_phi = NAN;
    d->amplitude = d->spread_theta = d->stop_t = NAN;
    for (int k = 0; k < 3; k++)
        d->env[k] = d->env_t[k] = NAN;
    d->rate = 0;
    d->label = GDN_DIAG_UNDECIDED;
    if (a->count == 0) {
        SAY(d->text, sizeof d->text, "undecided: no samples");
        return;
    }
    const char *tname = discrete ? "step" : "t";
    d->start = a->start, d->end = a->last;
    d->r_start = d->start.norm;
    d->r_end = d->end.norm;
    d->t_end = a->t_last;
    d->radius_gram = gdn__pow_pos(fmax(d->start.gram, 0), 0.25);
    if (d->r_end < o->eps) { /* time from which r stays below eps */
        d->t_eps = a->t_below;
        d->t_eps_measured = 1;
    }
    if (info && (info->status == GDN_ESTEP || info->status == GDN_EBUDGET ||
                 info->status == GDN_EOVERFLOW)) {
        /* stiffness, an exhausted budget, a first step out of range: the
         * run stopped before it showed what it does */
        d->stop_t = info->t;
        SAY(d->text, sizeof d->text, "undecided: %s", info->why);
        return;
    }
    if (info && info->status == GDN_EDIVERGED) {
        d->label = GDN_DIAG_DIVERGES;
        d->stop_t = info->t;
        SAY(d->text, sizeof d->text, "diverges: %s", info->why);
        return;
    }
    if (info && info->status == GDN_EUNDEFINED) {
        d->label = GDN_DIAG_UNDEFINED;
        d->stop_t = info->t;
        SAY(d->text, sizeof d->text, "stops: %s", info->why);
        return;
    }
    if (d->r_end < o->eps) {
        d->label = GDN_DIAG_CONVERGES;
        SAY(d->text, sizeof d->text,
                 "converges: |x| < %g from %s = %.6g on (|x| = %.3g at the end)",
                 o->eps, tname, d->t_eps, d->r_end);
        return;
    }
    /* (what this function reads of the windows, a sweep's lanes must keep:
     * gdn__diag_lanes_lean skips the rest, src/analysis/diag_lanes.c) */
    gdn_diag_window *w = a->w;
    for (int k = 0; k < 3; k++)
        if (w[k].hi < w[k].lo + 2) {
            SAY(d->text, sizeof d->text,
                     "undecided: too few samples (%zu) to judge the tail",
                     a->count);
            return;
        }
    for (int k = 0; k < 3; k++) { /* close the windows: sums to means */
        w[k].th_mean /= (double)(w[k].hi - w[k].lo);
        w[k].ph_mean /= (double)(w[k].hi - w[k].lo);
    }
    double E1 = w[0].r_max, E2 = w[1].r_max, E3 = w[2].r_max;
    d->amplitude = w[2].th_max;
    /* spreads relative to |x|: a player at rest at 0 is constant too */
    d->spread_theta = (w[2].th_max - w[2].th_min) / fmax(w[2].r_max, 1e-300);
    double spread_phi = (w[2].ph_max - w[2].ph_min) / fmax(w[2].r_max, 1e-300);
    d->period = period;
    gdn_invariants tail0 = a->tail0;

    for (int k = 0; k < 3; k++)
        d->env[k] = w[k].r_max, d->env_t[k] = w[k].t_max;
    d->turns = a->turns_c[0] > a->turns_c[1] ? a->turns_c[0] : a->turns_c[1];
    double t1 = w[0].t_max, t2 = w[1].t_max, t3 = w[2].t_max;
    double e_hi = fmax(E1, fmax(E2, E3)), e_lo = fmin(E1, fmin(E2, E3));

    char settling[160] = "", fac[32];
    if (E3 > E1 * (1 + o->rel) && E3 > E2 && E2 > E1) {
        double l12 = gdn__log(E2 / E1), l23 = gdn__log(E3 / E2);
        /* rates per unit time (the window maxima need not be evenly
         * spaced) and per unit log-time */
        double s12 = l12 / (t2 - t1), s23 = l23 / (t3 - t2);
        double p12 = t1 > 0 ? l12 / gdn__log(t2 / t1) : NAN;
        double p23 = t1 > 0 ? l23 / gdn__log(t3 / t2) : NAN;
        /* the growth goes on to the end: the last window's second half
         * grows on from its first at half the rate at least */
        double A = a->r_max3[0], B = a->r_max3[1], tA = a->t_max3[0];
        double s3 = gdn__log(B / A) / (a->t_max3[1] - tA);
        double s_end = gdn__log(d->r_end / A) / (d->t_end - tA);
        double p_end = gdn__log(d->r_end / A) / gdn__log(d->t_end / tA);
        /* ... the path still moves at the end, and the growth is large */
        int on = B > A && s3 >= 0.5 * fmin(s12, s23) && a->moved_last;
        if (on && E3 >= GDN_DIAG_GROWTH_EXP * E1 && s23 >= 0.9 * s12 &&
            s_end >= 0.5 * fmin(s12, s23)) {
            d->label = GDN_DIAG_DIVERGES;
            d->rate_kind = GDN_RATE_EXP;
            d->rate = gdn__log(E3 / E1) / (t3 - t1);
            SAY(d->text, sizeof d->text,
                     "diverges: the envelope of |x| grows like exp(%.4g %s) "
                     "(|x| = %.4g at %s = %.6g, still finite)",
                     d->rate, tname, d->r_end, tname, d->t_end);
            return;
        }
        /* slower than linear is not told apart from a slow approach */
        if (on && E3 >= GDN_DIAG_DECISIVE * E1 && fabs(p23 / p12 - 1) < 0.15 &&
            gdn__log(E3 / E1) / gdn__log(t3 / t1) >= 0.9 &&
            p_end >= 0.5 * fmin(p12, p23)) {
            d->label = GDN_DIAG_DIVERGES;
            d->rate_kind = GDN_RATE_ALG;
            d->rate = gdn__log(E3 / E1) / gdn__log(t3 / t1);
            SAY(d->text, sizeof d->text,
                     "diverges: the envelope of |x| grows like %s^%.3g "
                     "(|x| = %.4g at %s = %.6g, still finite)",
                     tname, d->rate, d->r_end, tname, d->t_end);
            return;
        }
        /* growth that slows, stops at the end, or is too small to tell:
         * where it ends the samples do not show */
        SAY(d->text, sizeof d->text,
                 "undecided: the envelope of |x| grew %s over the last "
                 "half%s (|x| = %.4g at %s = %.6g)",
                 factor_text(E3 / E1, fac, sizeof fac),
                 s23 < 0.9 * s12 ? ", slowing" : "", d->r_end, tname,
                 d->t_end);
        return;
    }
    /* Gamma <= (a + b)^2 / 4 bounds r below by sqrt(2) Gamma^(1/4); while
     * Gamma holds, a decaying envelope near that floor settles on it. */
    double r_floor = sqrt(2.0) * gdn__pow_pos(fmax(d->end.gram, 0), 0.25);
    int gram_holds = fabs(d->end.gram - tail0.gram) <= 1e-3 * tail0.gram;
    int down = E3 < E2 * (1 - o->rel) && E2 < E1 * (1 - o->rel);
    if (down && gram_holds && r_floor > 0.05 * E3 && r_floor <= d->r_end) {
        SAY(settling, sizeof settling,
                 "; |x| = %.4g shrinks towards its floor sqrt(2) "
                 "Gamma^(1/4) = %.4g (Gamma holds, so |x| cannot reach 0)",
                 d->r_end, r_floor);
    } else if (down) {
        double l12 = gdn__log(E1 / E2), l23 = gdn__log(E2 / E3);
        double s12 = l12 / (t2 - t1), s23 = l23 / (t3 - t2);
        /* exponential: s23 = s12; power law t^-p: p23 = p12 */
        double de = fabs(s23 / s12 - 1);
        double da = t1 > 0 ? fabs((l23 / gdn__log(t3 / t2)) / (l12 / gdn__log(t2 / t1)) - 1)
                           : INFINITY;
        /* the decay goes on to the end: the last window's second half
         * falls on from its first at half the rate at least */
        double A = a->r_max3[0], B = a->r_max3[1];
        double s3 = gdn__log(A / B) / (a->t_max3[1] - a->t_max3[0]);
        int on = B < A && s3 >= 0.5 * fmin(s12, s23);
        if (!(E1 >= GDN_DIAG_DECISIVE * E3) || !on) {
            SAY(d->text, sizeof d->text,
                     "undecided: the envelope of |x| fell %s over the "
                     "last half%s (|x| = %.4g at %s = %.6g)",
                     factor_text(E1 / E3, fac, sizeof fac),
                     on ? "" : ", slowing at the end", d->r_end, tname,
                     d->t_end);
            return;
        }
        if (de <= 0.15 && de < 0.5 * da && E1 >= GDN_DIAG_DECAY_EXP * E3) {
            d->label = GDN_DIAG_CONVERGES;
            d->rate_kind = GDN_RATE_EXP;
            d->rate = l23 / (t3 - t2);
            d->t_eps = t3 + gdn__log(E3 / o->eps) / d->rate;
            SAY(d->text, sizeof d->text,
                     "converges exponentially: |x| ~ exp(-%.4g %s), "
                     "|x| = %.4g at the end, below %g by %s ~ %.4g "
                     "(extrapolated)",
                     d->rate, tname, d->r_end, o->eps, tname, d->t_eps);
            return;
        }
        if (da <= 0.15 && da < 0.5 * de) {
            d->label = GDN_DIAG_CONVERGES;
            d->rate_kind = GDN_RATE_ALG;
            d->rate = gdn__log(E1 / E3) / gdn__log(t3 / t1);
            d->t_eps = t3 * gdn__pow_pos(E3 / o->eps, 1 / d->rate);
            SAY(d->text, sizeof d->text,
                     "converges algebraically: |x| ~ %s^-%.3g, |x| = %.4g at "
                     "the end, below %g by %s ~ %.4g (extrapolated)",
                     tname, d->rate, d->r_end, o->eps, tname, d->t_eps);
            return;
        }
        /* between the two models: the measured decay only; slowing faster
         * than a power law (towards a floor above 0?) or speeding up (a
         * swing, not a trend) decides nothing */
        /* ... and with no model to lean on, each envelope needs
         * GDN_DIAG_MIN_WINDOW samples at least */
        size_t wmin = w[0].hi - w[0].lo;
        for (int k = 1; k < 3; k++)
            if (w[k].hi - w[k].lo < wmin)
                wmin = w[k].hi - w[k].lo;
        if (s23 >= GDN_DIAG_SLOWEST * s12 && s23 <= 1.15 * s12 &&
            E1 >= GDN_DIAG_DECAY_ANY * E3 && wmin < GDN_DIAG_MIN_WINDOW) {
            SAY(d->text, sizeof d->text,
                     "undecided: the envelope of |x| fell %s over the last "
                     "half, neither exponentially nor as a power law, seen "
                     "on %zu samples a window (|x| = %.4g at %s = %.6g)",
                     factor_text(E1 / E3, fac, sizeof fac), wmin, d->r_end,
                     tname, d->t_end);
            return;
        }
        if (s23 >= GDN_DIAG_SLOWEST * s12 && s23 <= 1.15 * s12 &&
            E1 >= GDN_DIAG_DECAY_ANY * E3) {
            d->label = GDN_DIAG_CONVERGES;
            SAY(d->text, sizeof d->text,
                     "converges: the envelope of |x| fell %s over the last "
                     "half, neither exponentially nor as a power law (|x| = "
                     "%.4g at the end)",
                     factor_text(E1 / E3, fac, sizeof fac), d->r_end);
            return;
        }
        SAY(d->text, sizeof d->text,
                 "undecided: the envelope of |x| fell %s over the last "
                 "half%s (|x| = %.4g at %s = %.6g)",
                 factor_text(E1 / E3, fac, sizeof fac),
                 s23 < GDN_DIAG_SLOWEST * s12 ? ", slowing" : "", d->r_end,
                 tname, d->t_end);
        return;
    } else if (!settling[0] && !(e_hi < GDN_DIAG_DECISIVE * e_lo)) {
        SAY(d->text, sizeof d->text,
                 "undecided: the envelope of |x| went between %.4g and %.4g "
                 "over the last half (|x| = %.4g at %s = %.6g)",
                 e_lo, e_hi, d->r_end, tname, d->t_end);
        return;
    }
    if (d->spread_theta < o->rel_circle && spread_phi < o->rel_circle &&
        fmax(w[2].c_max[0] - w[2].c_min[0], w[2].c_max[1] - w[2].c_min[1]) <
            o->rel_circle * w[2].r_max) {
        d->label = GDN_DIAG_STALLS;
        d->radius = w[2].th_mean;
        d->radius_phi = w[2].ph_mean;
        SAY(d->text, sizeof d->text,
                 "stalls: the path stops at a point that is not the "
                 "equilibrium (|theta| = %.6g, |phi| = %.6g; |x| = %.4g)",
                 d->radius, d->radius_phi, d->r_end);
        return;
    }
    char per[64] = ""; /* the period, when it was measured */
    if (isfinite(d->period))
        SAY(per, sizeof per, "; period %.4g", d->period);
    if (d->spread_theta < o->rel_circle && spread_phi < o->rel_circle &&
        e_hi < (1 + 10 * o->rel_circle) * e_lo) { /* the tail settled */
        d->label = GDN_DIAG_CIRCLE;
        d->radius = w[2].th_mean;
        d->radius_phi = w[2].ph_mean;
        if (d->radius_gram > 0 &&
            fabs(d->end.gram - d->start.gram) <= 1e-6 * d->start.gram)
            SAY(d->text, sizeof d->text,
                     "settles on a circle: |theta| = %.6g, |phi| = %.6g; "
                     "Gamma is conserved and Gamma0^(1/4) = %.6g "
                     "(relative difference %.2g)%s%s",
                     d->radius, d->radius_phi, d->radius_gram,
                     fabs(d->radius / d->radius_gram - 1), per, settling);
        else
            SAY(d->text, sizeof d->text,
                     "settles on a circle: |theta| = %.6g, |phi| = %.6g "
                     "(Gamma went from %.4g to %.4g)%s%s",
                     d->radius, d->radius_phi, d->start.gram, d->end.gram,
                     per, settling);
        return;
    }
    if (d->turns < 2) { /* moving, but not back and forth */
        SAY(d->text, sizeof d->text,
                 "undecided: the path still moves without oscillating "
                 "visibly (the envelope of |x| went between %.4g and %.4g "
                 "over the last half; |x| = %.4g at %s = %.6g)",
                 e_lo, e_hi, d->r_end, tname, d->t_end);
        return;
    }
    d->label = GDN_DIAG_OSCILLATES;
    if (isfinite(d->period))
        SAY(per, sizeof per, ", period %.4g %s", d->period,
                 discrete ? "steps" : "time units");
    SAY(d->text, sizeof d->text,
             "oscillates: |theta| between %.4g and %.4g in the last window"
             "%s%s",
             w[2].th_min, w[2].th_max, per, settling);
}



/* What the samples cannot show for the method of the run: the label of
 * acc_finish becomes "undecided" with what was seen (docs/dynamics.md). */
void gdn_diag_acc_finish(gdn_diag_acc *a, const gdn_run_info *info,
                         int discrete, double period, gdn_diagnosis *d)
{
    const gdn_diag_opts *o = &a->opts;
    acc_finish(a, info, discrete, period, d);
    int lab = d->label;
    const char *why = NULL;
    char buf[160];
    int settles = lab == GDN_DIAG_CONVERGES || lab == GDN_DIAG_CIRCLE ||
                  lab == GDN_DIAG_STALLS;
    if (settles && o->step_scale > 0) {
        SAY(buf, sizeof buf,
                 "the steps of an adaptive method (lr = %.4g) do not shrink "
                 "with the gradient, so where it settles the samples do not "
                 "show",
                 o->step_scale);
        why = buf;
    } else if (settles && o->projected) {
        why = "a projection follows every step (clipping), so where it "
              "settles the samples do not show";
    } else if (lab == GDN_DIAG_STALLS && o->kinked) {
        why = "the field has a kink, where a path may stop and move on "
              "later, or a cycle seen once a period looks still";
    } else if (lab == GDN_DIAG_DIVERGES && d->rate_kind == GDN_RATE_ALG) {
        why = "growth as a power law may stop at a stationary point farther "
              "out; only exponential growth is a divergence";
    }
    if (!why)
        return;
    char seen[sizeof d->text];
    memcpy(seen, d->text, sizeof seen);
    d->label = GDN_DIAG_UNDECIDED;
    if (lab == GDN_DIAG_CONVERGES && !d->t_eps_measured)
        d->t_eps = NAN; /* an extrapolation of a label not given */
    SAY(d->text, sizeof d->text, "undecided: %s (seen: %.*s)", why,
             (int)(sizeof d->text - strlen(why) - 24), seen);
}

/* First sample index with t >= t0. */
static size_t index_at(const gdn_traj *tr, double t0)
{
    size_t k = 0;
    while (k < tr->count && tr->t[k] < t0)
        k++;
    return k;
}

/* Mean spacing of upward zero crossings of theta_1 - mean over [lo, hi). */
static double period_of(const gdn_traj *tr, size_t lo, size_t hi)
{
    size_t m = 2 * tr->n, idx = tr->n; /* theta_1 */
    double mean = 0, first = NAN, last = NAN;
    long crossings = 0;
    if (hi <= lo + 1)
        return NAN;
    for (size_t k = lo; k < hi; k++)
        mean += tr->x[k * m + idx];
    mean /= (double)(hi - lo);
    for (size_t k = lo + 1; k < hi; k++) {
        double u0 = tr->x[(k - 1) * m + idx] - mean;
        double u1 = tr->x[k * m + idx] - mean;
        if (u0 < 0 && u1 >= 0) {
            double s = u0 / (u0 - u1);
            double tc = tr->t[k - 1] + s * (tr->t[k] - tr->t[k - 1]);
            if (crossings == 0)
                first = tc;
            last = tc;
            crossings++;
        }
    }
    return crossings >= 2 ? (last - first) / (double)(crossings - 1) : NAN;
}

void gdn_diagnose(const gdn_traj *tr, const gdn_run_info *info,
                  const gdn_diag_opts *o, gdn_diagnosis *d)
{
    gdn_diag_acc a;
    size_t m = 2 * tr->n;
    double t0 = tr->count ? tr->t[0] : 0;
    double t_end = tr->count ? tr->t[tr->count - 1] : 0;
    gdn_diag_acc_init(&a, tr->n, t0, t_end, o);
    for (size_t k = 0; k < tr->count; k++)
        gdn_diag_acc_add(&a, tr->t[k], tr->x + k * m);
    double period = NAN;
    if (tr->count)
        period = period_of(tr, index_at(tr, a.bound[0]), tr->count);
    gdn_diag_acc_finish(&a, info, tr->discrete, period, d);
}

void gdn_avg_stats_of(const gdn_traj *tr, size_t j, const gdn_diag_opts *o,
                      gdn_avg_stats *s)
{
    size_t m = 2 * tr->n, count = tr->count, ng = tr->ngroups;
    memset(s, 0, sizeof *s);
    if (count == 0 || j >= ng)
        return;
    double t_end = tr->t[count - 1];
    size_t lo = index_at(tr, t_end - o->tail * (t_end - tr->t[0]));
    if (lo >= count)
        lo = count - 1;
    for (size_t k = lo; k < count; k++) {
        s->r_tail_mean += norm_of(tr->avg + (k * ng + j) * m, m);
        s->x_tail_mean += norm_of(tr->x + k * m, m);
    }
    s->r_tail_mean /= (double)(count - lo);
    s->x_tail_mean /= (double)(count - lo);
    s->r_end = norm_of(tr->avg + ((count - 1) * ng + j) * m, m);
}
