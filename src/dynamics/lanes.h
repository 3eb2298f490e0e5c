/*
 * lanes.h - internal: the run driver over lanes.
 *
 * B trajectories of one game under one method and one set of options, each
 * from its own start and with its own learning rates (lr[p * B + b] for
 * player p), stepped together; states are structure-of-arrays, component i
 * of lane b at [i * B + b].  gdn_run (gandyn/run.h) is the case B = 1;
 * batched sweeps use B = their batch.  A lane never reads another lane, so
 * its numbers do not depend on B.
 *
 * gdn__lanes_next advances every running lane to the next sample.  Per
 * lane, rc[b] is what gdn_run_next would return for it alone: GDN_OK (a new
 * sample), GDN_DONE, or an outcome (the sample is the lane's last finite
 * state, info[b] says why); a lane that is over keeps its status.
 * With B > 1, info[b] (and t[b]) of a running lane may lag: they are
 * complete once the lane is over (its rc not GDN_OK).
 */
#ifndef GANDYN_LANES_H
#define GANDYN_LANES_H

#include <stdint.h>

#include "gandyn/game.h"
#include "gandyn/run.h"
#include "average.h"
#include "ode.h"
#include "optim.h"

struct gdn__lanes;
/* A fused discrete step (fused.c): steps every lane, sets bad[b] for the
 * lanes that left the range (their state kept), returns whether a running
 * lane did. */
typedef int (*gdn__fused_fn)(struct gdn__lanes *L);
/* A fused fixed substep of the flow of size h (fused.c): the same. */
typedef int (*gdn__fused_flow_fn)(struct gdn__lanes *L, double h);
/* The flow's right-hand side over every lane, fused (fused.c). */
typedef void (*gdn__fused_rhs_fn)(struct gdn__lanes *L, const double *y,
                                  double *dy, int *st);

typedef struct gdn__lanes {
    const gdn_game *game;       /* the field */
    gdn_run_opts opts;          /* copy of the options */
    double par[GDN_MAX_PARAMS]; /* the method's typed parameter struct
                                   (flow: struct gdn__flow_par) */
    const struct gdn__flow_par *fp; /* flow: par, typed */
    size_t B;                   /* lanes */
    size_t m;                   /* components of a state (game->dim) */
    size_t ngroups;             /* averages: nema + uniform */
    size_t dim;                 /* flow: components of y = (x, averages) */
    int flow;                   /* continuous time */
    int method;                 /* flow: GDN_FLOW_* */
    gdn__avg avg;               /* the averages */
    double *lr;                 /* nplayers * B rates (flow: time scales) */
    double *x0;                 /* m B: the starts */
    double *y, *y1;             /* dim B: state and trial / backup */
    double *acc;                /* discrete: the averages' state */
    double *x0_norm, *xi0_norm; /* B: |x0|, |xi(x0)|, for an overflow */
    double *t;                  /* B: time reached (discrete: steps) */
    double *h, *hs, *err;       /* B: dopri5's next step, trial, error */
    int *last_rej, *lastf, *act, *st, *bad; /* B: per-lane flags */
    int *undefined0;            /* B: the field is undefined at the start */
    int *ist;                   /* B: the integrators' scratch statuses */
    int *status;                /* B: GDN_OK while running, then final:
                                   info[b].status, packed for the loops */
    int *rc;                    /* B: what the last call gave this lane */
    gdn_run_info *info;         /* B */
    double *out_x, *out_avg, *out_t; /* where samples go: m B, ngroups m B,
                                        B (SoA); gdn_run_collect moves them
                                        (a round with sample_y: the running
                                        lanes' states are y's) */
    double *work;               /* scratch */
    gdn__dopri5 dp;             /* flow: dopri5 workspace ... */
    double *dpmem;              /* ... in these doubles */
    gdn__ode ode;               /* flow: y' = f(y) */
    struct gdn_step_ctx ctx;    /* discrete: the optimizer's view */
    gdn__fused_fn fused;        /* discrete: a fused step, or NULL (the
                                   generic one); tests may clear it */
    gdn__fused_flow_fn fused_flow; /* flow: a fused rk4 substep, or NULL */
    gdn__fused_rhs_fn fused_rhs; /* flow, B > 1: a fused y' = f(y), or
                                    NULL (tests may clear both) */
    int fused_ns;               /* its model is nsgan (else gan) */
    int64_t kout, nout;         /* next sample index, number of samples */
    uint64_t fx_steps;          /* rk4/euler, B > 1: the substeps, time */
    double fx_t, fx_h;          /* and last substep of the running lanes,
                                   written to a lane's t and info only when
                                   it is over (gdn__flow_settle) */
    int started;
    int in_place;               /* B > 1 without averages, set by the
                                   caller: when every lane runs on, a
                                   round's samples may stay in y ... */
    int sample_y;               /* ... and this round's do (out_x then
                                   holds only the samples of the lanes
                                   that stopped in it) */
    uint64_t nstops;            /* lanes stopped so far (gdn__lane_stop) */
    uint64_t dp_packed;         /* dopri5 rounds run on a packed set */
    uint64_t dp_most;           /* dopri5, B > 1: at least every lane's
                                   accepted + rejected (its budget) */
    void *block, *iblock;       /* the allocations */
} gdn__lanes;

/* A run of B lanes from x0 (m B, SoA, finite and within blowup) with rates
 * lr (nplayers B; NULL: every lane takes the options' lr_d / lr_g).  opts
 * must have passed gdn_run_opts_check.  Lanes whose field is undefined at
 * the start are marked in undefined0[b] and are over (status
 * GDN_EUNDEFINED) before their first sample.  NULL when out of memory. */
gdn__lanes *gdn__lanes_new(const gdn_game *game, const gdn_run_opts *opts,
                           size_t B, const double *x0, const double *lr,
                           gdn_error *err);

/* Advances every running lane (see above); returns GDN_DONE when no lane
 * was running, GDN_OK otherwise. */
int gdn__lanes_next(gdn__lanes *L);

void gdn__lanes_free(gdn__lanes *L);

/* The fused step for this game and method, or NULL (fused.c). */
gdn__fused_fn gdn__fused_step_for(const gdn_game *game,
                                  const gdn_run_opts *opts, int *ns);
/* The fused right-hand side of this game's flow, or NULL. */
gdn__fused_rhs_fn gdn__fused_rhs_for(const gdn_game *game,
                                     const gdn_run_opts *opts, int *ns);
/* The fused substep of this game's flow under these options, or NULL. */
gdn__fused_flow_fn gdn__fused_flow_for(const gdn_game *game,
                                       const gdn_run_opts *opts, int *ns);

/* Internal to the driver (run.c, flow.c, discrete.c). */
int gdn__flow_next(gdn__lanes *L);
void gdn__flow_sample(gdn__lanes *L, size_t b, const double *y, double t);
int gdn__flow_start(gdn__lanes *L);
/* A running lane of the flow (B > 1) is over: its t and counters. */
void gdn__flow_settle(gdn__lanes *L, size_t b);
int gdn__discrete_next(gdn__lanes *L);
void gdn__discrete_sample(gdn__lanes *L, size_t b, int64_t k);
/* Lane b stops with an outcome code and a message. */
void gdn__lane_stop(gdn__lanes *L, size_t b, int code, const char *why);
/* Every lane runs on and its sample is its state y (out_t already set):
 * kept in place (in_place: sample_y) or copied into out_x. */
void gdn__lanes_sample_all(gdn__lanes *L);
/* Whether lane b of a state (m components, SoA) is within blowup. */
int gdn__lane_state_ok(const gdn__lanes *L, const double *x, size_t b);
/* The message of a first step that left the range; GDN_EOVERFLOW. */
int gdn__lane_overflow(const gdn__lanes *L, size_t b, char *why, size_t size,
                       const char *where);

#endif
