/*
 * gandyn/traj.h - a recorded trajectory: the samples of a run, in memory.
 */
#ifndef GANDYN_TRAJ_H
#define GANDYN_TRAJ_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
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
GDN_API void gdn_traj_init(gdn_traj *tr, size_t n, size_t ngroups, int discrete);
/* Appends one sample (avg may be NULL when ngroups is 0); GDN_ENOMEM on
 * failure, the trajectory unchanged. */
GDN_API int gdn_traj_append(gdn_traj *tr, double t, const double *x,
                            const double **avg, gdn_error *err);
/* Makes room for cap samples in all; GDN_ENOMEM on failure (unchanged). */
GDN_API int gdn_traj_reserve(gdn_traj *tr, size_t cap, gdn_error *err);
/* Frees the arrays; the struct may be initialised again. NULL is a no-op. */
GDN_API void gdn_traj_release(gdn_traj *tr);

/* Column names: "t" (or "step"), phi1..phin, theta1..thetan, then for each
 * average group g: "<g>_phi1" ... .  names has room for 2n (1 + ngroups) + 1
 * entries of size GDN_COLNAME_MAX. */
#define GDN_COLNAME_MAX 48
GDN_API size_t gdn_traj_ncols(const gdn_traj *tr);
GDN_API void gdn_traj_colname(const gdn_traj *tr, const char *const *group_names,
                              size_t col, char *buf);

/* Runs to the end recording every sample, including the last finite state
 * of a run that stops early, straight into tr (room for
 * gdn_run_nsamples is reserved first).  Returns the run's final status
 * (GDN_DONE or an outcome such as GDN_EDIVERGED), or GDN_ENOMEM.
 * Afterwards gdn_run_state etc. show the last sample. */
GDN_API int gdn_run_collect(gdn_run *run, gdn_traj *tr, gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
