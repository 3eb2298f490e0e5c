/*
 * gandyn/traj.h - a recorded trajectory: the samples of a run, in memory.
 */
#ifndef GANDYN_TRAJ_H
#define GANDYN_TRAJ_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gdn_traj {
    size_t n;       /* dimension: a state has 2n values */
    size_t ngroups; /* averages per sample (EMAs, then uniform) */
    int discrete;   /* t counts steps, not time */
    size_t count;   /* samples held */
    size_t cap;     /* samples allocated */
    double *t;      /* count times (or step indices) */
    double *x;      /* count x 2n states, row-major */
    double *avg;    /* count x ngroups x 2n averages */
} gdn_traj;

/* Empty trajectory; caller-owned, release with gdn_traj_release. */
void gdn_traj_init(gdn_traj *tr, size_t n, size_t ngroups, int discrete);
/* Appends one sample (avg may be NULL when ngroups is 0); GDN_ENOMEM on
 * failure, the trajectory unchanged. */
int gdn_traj_append(gdn_traj *tr, double t, const double *x,
                    const double **avg, gdn_error *err);
/* Makes room for cap samples in all; GDN_ENOMEM on failure (unchanged). */
int gdn_traj_reserve(gdn_traj *tr, size_t cap, gdn_error *err);
/* Frees the arrays; the struct may be initialised again. NULL is a no-op. */
void gdn_traj_release(gdn_traj *tr);

/* Runs to the end recording every sample, including the last finite state
 * of a run that stops early, straight into tr (room for
 * gdn_run_nsamples is reserved first).  Returns the run's final status
 * (GDN_DONE or an outcome such as GDN_EDIVERGED), or GDN_ENOMEM.
 * Afterwards gdn_run_state etc. show the last sample. */
int gdn_run_collect(gdn_run *run, gdn_traj *tr, gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
