/*
 * gandyn/diagnose.h - what a simulated trajectory does.
 *
 * A label must be supported by the samples themselves; where they cannot
 * tell, the label is "undecided" with what was seen.  No text holds NaN or
 * Inf (an unmeasured number is left out).
 *
 * The distance to the equilibrium is r = |x| = sqrt(|phi|^2 + |theta|^2).
 * The last 'tail' fraction of the run is cut into three equal windows; their
 * envelopes (max r) E1, E2, E3 (at t1 < t2 < t3), the envelopes A, B of the
 * two halves of the last window, the spread of |theta| and |phi| in the last
 * window and the turns of phi_1 and theta_1 decide, in this order
 * (docs/dynamics.md gives every threshold):
 *
 *   diverges     the run stopped (non-finite, beyond blowup, step underflow),
 *                or E1 < E2 < E3 growing exponentially to the end (B > A,
 *                the last sample still moving, equal rates per unit time,
 *                E3 >= 5 E1); a power law is "undecided" with its exponent
 *   undefined    the run reached a point where the field does not exist
 *   converges    r fell below eps (t_eps measured), or E1 > E2 > E3 decaying
 *                to the end: exponentially (t_eps extrapolated), as a power
 *                law (exponent), or between the two (factor only, with
 *                GDN_DIAG_MIN_WINDOW samples a window), whichever fits
 *                clearly better
 *   undecided    too few samples; a trend too small, slowing, stopping at
 *                the end or not monotone; a path moving without oscillating
 *   stalls       theta_1 and phi_1 do not move in the last window either:
 *                the path stopped at a point that is not the equilibrium (a
 *                stationary point of the field, e.g. lsgan's line phi = 0)
 *   circle       |theta| and |phi| constant to rel_circle in the last window,
 *                the envelope steady over the tail: a circle of radius
 *                |theta|; compared with Gamma0^(1/4)
 *   oscillates   steady (or settling on the floor sqrt(2) Gamma^(1/4) while
 *                Gamma holds) and turning back at least twice: amplitude
 *                (max |theta| in the last window), period (mean spacing of
 *                upward zero crossings of theta_1 - its mean, when there are
 *                two)
 *
 * What the method is (gdn_diag_opts_method) then voids labels the samples
 * cannot support, which become "undecided: why (seen: the label's text)":
 * converges, circle and stalls under a method whose steps do not shrink
 * with the gradient (Adam, RMSprop) or a projection (wgan-clip); stalls on a
 * field with a kink (a term with 'singular').
 */
#ifndef GANDYN_DIAGNOSE_H
#define GANDYN_DIAGNOSE_H

#include "gandyn/export.h"
#include "gandyn/run.h"
#include "gandyn/system.h"
#include "gandyn/traj.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GDN_DIAG_LABELS(X)                                                   \
    X(CONVERGES, "converges")                                                 \
    X(CIRCLE, "circle")                                                       \
    X(OSCILLATES, "oscillates")                                               \
    X(DIVERGES, "diverges")                                                   \
    X(UNDEFINED, "undefined")                                                 \
    X(UNDECIDED, "undecided")                                                 \
    X(STALLS, "stalls")

typedef enum gdn_diag_label {
#define GDN_DIAG_ENUM_(name, text) GDN_DIAG_##name,
    GDN_DIAG_LABELS(GDN_DIAG_ENUM_)
#undef GDN_DIAG_ENUM_
} gdn_diag_label;

GDN_API const char *gdn_diag_label_name(int label);

/* Tolerances of the diagnosis (gdn_diag_opts_init gives the defaults). */
typedef struct gdn_diag_opts {
    double eps;        /* r below this is "at the equilibrium" (1e-6) */
    double tail;       /* fraction of the run examined (0.5) */
    double rel;        /* envelope changes below this are "flat" (1e-3) */
    double rel_circle; /* |theta| spread below this is a circle (1e-3) */
    /* What the run knows about its method (gdn_diag_opts_method; 0 by
     * default: a smooth method whose steps scale with the gradient). */
    double step_scale; /* > 0: the steps do not shrink with the gradient
                        * (Adam, RMSprop: GDN_OPT_NONSMOOTH), this is lr */
    int projected;     /* a projection follows every step (wgan-clip) */
    int kinked;        /* the field has a kink or a singular set (a term
                        * with 'singular'): a point where the path stops or
                        * turns may sit on it */
    int no_text;       /* 1: the label and numbers only, the text left
                        * empty (sweeps keep no text: formatting it cost
                        * more than some runs) */
} gdn_diag_opts;

GDN_API void gdn_diag_opts_init(gdn_diag_opts *o);
/* Fills step_scale, projected and kinked from the system and the method
 * of the run (the other fields are left as they are). */
GDN_API void gdn_diag_opts_method(gdn_diag_opts *o, const gdn_system *sys,
                                  const gdn_run_opts *ro);

/* A trend of the envelope is decisive (a label may rest on it) when it
 * changes by this factor over the tail; a decay slower than this fraction of
 * its own earlier rate, per unit time, is slowing faster than a power law. */
#define GDN_DIAG_DECISIVE 1.25
#define GDN_DIAG_SLOWEST 0.66
/* Changes over the tail an exponential trend needs before it is a label:
 * growth by 5x (diverges), decay by 1.5x (converges); any other decay
 * (a power law, or between the two models) GDN_DIAG_DECISIVE. */
#define GDN_DIAG_GROWTH_EXP 5.0
#define GDN_DIAG_DECAY_EXP 1.5
#define GDN_DIAG_DECAY_ANY 1.25
/* Samples each window needs before a decay that fits neither model is a
 * label. */
#define GDN_DIAG_MIN_WINDOW 5

/* Kinds of convergence rate. */
enum { GDN_RATE_NONE = 0, GDN_RATE_EXP = 1, GDN_RATE_ALG = 2 };

typedef struct gdn_diagnosis {
    int label;              /* gdn_diag_label */
    char text[512];         /* one sentence with the numbers */
    gdn_invariants start;   /* invariants of the first sample */
    gdn_invariants end;     /* ... and of the last */
    double r_start, r_end;  /* distance to the equilibrium */
    double t_end;           /* time (or step) of the last sample */
    int rate_kind;          /* GDN_RATE_*: how r decays (or grows) */
    double rate;            /* exp: per unit time/step; alg: exponent */
    double t_eps;           /* time r stays below eps; NaN if unknown */
    int t_eps_measured;     /* 1 measured, 0 extrapolated from the rate */
    double radius;          /* circle: mean |theta| in the last window */
    double radius_phi;      /* circle: mean |phi| in the last window */
    double radius_gram;     /* Gamma0^(1/4), the conserved-Gram radius */
    double amplitude;       /* max |theta| in the last window */
    double period;          /* NaN if fewer than two crossings */
    double spread_theta;    /* (max - min) of |theta| / max |x|, last window */
    double stop_t;          /* diverges/undefined: where the run stopped */
    double env[3];          /* envelopes E1, E2, E3 (NaN: not computed) */
    double env_t[3];        /* where each is reached */
    long turns;             /* local minima of phi_1 or theta_1 in the tail
                             * (the larger count): > 1 is a visible
                             * oscillation */
} gdn_diagnosis;

/* Distance statistics of one average (EMA or uniform) against the iterate. */
typedef struct gdn_avg_stats {
    double r_end;        /* |e| at the end */
    double r_tail_mean;  /* mean |e| over the tail */
    double x_tail_mean;  /* mean |x| over the tail, for comparison */
} gdn_avg_stats;

/* The statistics of one window of the tail. */
typedef struct gdn_diag_window {
    size_t lo, hi;        /* sample indices [lo, hi) */
    double r_max, r_min;  /* envelope of |x| */
    double t_max;         /* where r_max is reached */
    double th_max, th_min, th_mean; /* |theta| */
    double ph_max, ph_min, ph_mean; /* |phi| */
    double c_min[2], c_max[2];      /* phi_1 and theta_1: does x move? */
} gdn_diag_window;

/* The diagnosis, accumulated one sample at a time (sweeps keep no
 * trajectory); gdn_diagnose is this over a recorded trajectory, so both
 * give the same answer for the same samples. */
typedef struct gdn_diag_acc {
    size_t n;               /* dimension */
    gdn_diag_opts opts;
    double t0, t_end;       /* first and last sample times, known ahead */
    double bound[3];        /* where the three tail windows start */
    gdn_diag_window w[3];
    size_t count;           /* samples added */
    gdn_invariants start, last, tail0; /* first, latest, first of the tail */
    size_t tail_index;      /* index of the tail's first sample */
    int tail_started;
    double t_last;          /* time of the latest sample */
    double t_below;         /* since when |x| < eps (NaN: not yet) */
    int above;              /* the latest sample had |x| >= eps */
    double prev_c[2];       /* phi_1 and theta_1 of the latest sample */
    int dir_c[2];           /* their last direction of change (-1, 0, 1) */
    long turns_c[2];        /* their local minima in the tail */
    double half3;           /* where the last window's second half starts */
    double r_max3[2], t_max3[2]; /* envelope of each half of the last window */
    double r_last;          /* |x| of the latest sample */
    int moved_last;         /* it differs from the one before */
} gdn_diag_acc;

GDN_API void gdn_diag_acc_init(gdn_diag_acc *a, size_t n, double t0, double t_end,
                               const gdn_diag_opts *o);
GDN_API void gdn_diag_acc_add(gdn_diag_acc *a, double t, const double *x);
/* Labels what was added; info (may be NULL) tells how the run ended;
 * period is filled in as given (NaN when unknown). */
GDN_API void gdn_diag_acc_finish(gdn_diag_acc *a, const gdn_run_info *info,
                                 int discrete, double period, gdn_diagnosis *d);

/* Diagnoses tr; info (may be NULL) tells how the run ended. */
GDN_API void gdn_diagnose(const gdn_traj *tr, const gdn_run_info *info,
                          const gdn_diag_opts *o, gdn_diagnosis *d);

/* Statistics of average group j of tr over the same tail. */
GDN_API void gdn_avg_stats_of(const gdn_traj *tr, size_t j, const gdn_diag_opts *o,
                              gdn_avg_stats *s);

#ifdef __cplusplus
}
#endif
#endif
