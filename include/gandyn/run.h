/*
 * gandyn/run.h - simulating a Dirac GAN: gradient flow and discrete optimizers.
 *
 * A run is stepped one output sample at a time (init / next / free), so the
 * CLI, plots and sweeps watch it without callbacks:
 *
 *     gdn_run *run = gdn_run_new(&sys, &opts, x0, &err);
 *     while ((rc = gdn_run_next(run)) == GDN_OK)
 *         use(gdn_run_time(run), gdn_run_state(run), gdn_run_avg(run, 0));
 *     // rc == GDN_DONE, or a run outcome: GDN_EDIVERGED, GDN_EUNDEFINED,
 *     // GDN_ESTEP, GDN_EBUDGET, GDN_EOVERFLOW, with details in
 *     // gdn_run_get_info(run, &info).
 *
 * The first call to gdn_run_next yields the initial sample.  Flow samples
 * fall exactly on t = k dt (and t_end); discrete samples on steps that are
 * multiples of 'every' (and the last step).
 *
 * Averages (gdn_run_avg) are the EMAs in the order given, then the uniform
 * average if requested; each is a state of length 2n, already debiased.
 */
#ifndef GANDYN_RUN_H
#define GANDYN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/model.h"
#include "gandyn/system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most EMAs in one run. */
#define GDN_MAX_EMA 8

struct gdn_step_ctx; /* private to the optimizers */
struct gdn_game;     /* gandyn/game.h */

/* Optimizer flags. */
enum {
    GDN_OPT_FLOW = 1u << 0,     /* continuous time: integrated, not stepped */
    GDN_OPT_NONSMOOTH = 1u << 1 /* the step is not differentiable where the
                                   gradient vanishes (Adam, RMSprop) */
};

/* An optimizer (or the flow): a const vtable, one per method. */
typedef struct gdn_opt_type {
    const char *name;        /* "simgd" */
    const char *about;       /* one line */
    const char *update;      /* one line: the update formula */
    const gdn_param *params; /* NULL-key-terminated */
    unsigned flags;          /* GDN_OPT_* */
    /* Doubles of memory the method keeps between steps, per lane, for
     * game g. */
    size_t (*mem_size)(const struct gdn_game *g);
    /* One step (discrete methods only) of every lane of x (g->dim * B,
     * structure-of-arrays), updated in place.  Returns a GDN_PT_* status of
     * the points it evaluated (per lane in ctx->st); see src/dynamics/
     * optim.h for the contract. */
    int (*step)(struct gdn_step_ctx *ctx, double *x);
    /* For stability analysis: how many leading rows of the memory are
     * state of the linearised map (momentum buffers, the previous gradient);
     * NULL means none.  The rest is scratch or flags, which lin_init (if
     * not NULL) sets to their values in the steady state, for B lanes. */
    size_t (*lin_mem)(const struct gdn_game *g);
    void (*lin_init)(const struct gdn_game *g, size_t B, double *mem);
} gdn_opt_type;

/* Registry: NULL-terminated, the flow first. */
GDN_API extern const gdn_opt_type *const gdn_optimizers[];
GDN_API const gdn_opt_type *gdn_opt_find(const char *name);

/* Values of the flow's 'method' parameter (its choices). */
enum { GDN_FLOW_DOPRI5 = 0, GDN_FLOW_RK4 = 1, GDN_FLOW_EULER = 2 };
/* Values of the alternating schedule's 'order' parameter. */
enum { GDN_ORDER_DG = 0, GDN_ORDER_GD = 1 };
/* Parameters are found by key (gdn_param_index, gdn_run_opts_get): their
 * positions in a table are the table's business. */

/* Default tolerances of the flow: tight enough that every figure of the seed
 * agrees with a 1e-12 reference to 1e-8 (tests/ref_flow.py). */
#define GDN_FLOW_RTOL_DEFAULT 1e-10
#define GDN_FLOW_ATOL_DEFAULT 1e-12

/* One exponential moving average. */
typedef struct gdn_ema {
    double beta; /* decay per step (flow: per output interval dt) */
    double tau;  /* flow only: time constant; 0 means dt / (1 - beta) */
} gdn_ema;

/* What to run. */
typedef struct gdn_run_opts {
    const gdn_opt_type *opt;    /* the method */
    double par[GDN_MAX_PARAMS]; /* its parameters (NaN lr_d/lr_g: = lr) */
    double t_end;               /* flow: horizon (> 0) */
    double dt;                  /* flow: output spacing (> 0) */
    int64_t steps;              /* discrete: number of steps (>= 0) */
    int64_t every;              /* discrete: output every k steps (>= 1) */
    size_t nema;                /* EMAs in use */
    gdn_ema ema[GDN_MAX_EMA];   /* their decays */
    int ema_debias;             /* EMAs start at 0 and are bias-corrected */
    int uniform;                /* also keep the uniform (Polyak) average */
    double blowup;              /* |x_i| above this: diverged (default 1e100) */
} gdn_run_opts;

/* Work and outcome of a run. */
typedef struct gdn_run_info {
    int status;           /* GDN_OK while running, GDN_DONE, or an outcome */
    uint64_t nevals;      /* evaluations of xi (right-hand sides) */
    uint64_t accepted, rejected; /* flow steps (discrete: steps, 0) */
    int64_t step;         /* steps taken (flow: accepted steps) */
    double t;             /* time reached (discrete: steps) */
    double h_last;        /* flow: last accepted step size */
    char why[GDN_ERRMSG_MAX]; /* for an outcome: what happened, where */
} gdn_run_info;

typedef struct gdn_run gdn_run; /* opaque */

/* Fills opts with opt's defaults: seed-like horizon T = 100, dt = 0.1,
 * 1000 steps, every step, no averages. */
GDN_API void gdn_run_opts_init(gdn_run_opts *opts, const gdn_opt_type *opt);

/* Resolves lr_d/lr_g inheritance and checks every option.  Returns GDN_OK or
 * GDN_EINVAL with a message naming the option.  For the flow it also bounds
 * the work before anything runs: rk4/euler needing more than max_steps
 * steps, and EMA time constants the integrator cannot follow (stability
 * limit 2 tau Euler, 2.7853 tau RK4; dopri5: t_end / (3.307 tau) steps over
 * max_steps, or 3.307 tau under its smallest step 1e-14 max(1, t_end)), are
 * refused. */
GDN_API int gdn_run_opts_check(const gdn_run_opts *opts, gdn_error *err);

/* Whether opts describe the continuous flow (not a discrete method). */
GDN_API int gdn_run_opts_is_flow(const gdn_run_opts *opts);

/* Value of parameter k after inheritance (lr_d, lr_g default to lr). */
GDN_API double gdn_run_opts_param(const gdn_run_opts *opts, size_t k);

/* Value of the parameter named key after inheritance; NaN when the method
 * has no such parameter. */
GDN_API double gdn_run_opts_get(const gdn_run_opts *opts, const char *key);

/* Allocates a run from x0 (length 2n).  NULL on failure with err set:
 * GDN_EINVAL for bad options, a start where the field is undefined or with
 * some |x0_i| > blowup, GDN_ENOMEM. */
GDN_API gdn_run *gdn_run_new(const gdn_system *sys, const gdn_run_opts *opts,
                             const double *x0, gdn_error *err);

/* Advances to the next sample.  GDN_OK: a new sample is available; GDN_DONE:
 * the run is over; an outcome: the run stopped there, the sample is the last
 * finite state, gdn_run_get_info says why.  Outcomes: GDN_EDIVERGED (a state
 * left |x_i| <= blowup, or an average became non-finite), GDN_EUNDEFINED
 * (the field does not exist there), GDN_ESTEP (dopri5's step underflowed:
 * stiff, or a finite-time blow-up), GDN_EBUDGET (dopri5 used up max_steps),
 * GDN_EOVERFLOW (the very first step left the range).  Further calls return
 * the same code. */
GDN_API int gdn_run_next(gdn_run *run);

/* Samples a complete run produces (one more if it stops early). */
GDN_API int64_t gdn_run_nsamples(const gdn_run *run);

GDN_API double gdn_run_time(const gdn_run *run);        /* time, or step index */
GDN_API const double *gdn_run_state(const gdn_run *run); /* 2n: (phi, theta) */
GDN_API size_t gdn_run_navg(const gdn_run *run);         /* EMAs + uniform */
GDN_API const double *gdn_run_avg(const gdn_run *run, size_t j); /* 2n */
GDN_API void gdn_run_get_info(const gdn_run *run, gdn_run_info *info);
GDN_API int gdn_run_is_flow(const gdn_run *run);

/* Frees a run; NULL is a no-op. */
GDN_API void gdn_run_free(gdn_run *run);

#ifdef __cplusplus
}
#endif
#endif
