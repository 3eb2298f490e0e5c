/*
 * gandyn/scan.h - local stability over one or two parameters: the verdict
 * and the deciding number (rho - 1 of a step's map, max Re lambda of the
 * flow) at every point of a grid, and the boundaries of the stable region:
 * bisected to the root for one parameter, traced through the grid's cells
 * (marching squares on the deciding number) for two.
 *
 * The axes are sweep axes (gandyn/sweep.h, gdn_sweep_axis_parse) that set
 * parameters of the model, of a regularizer or of the optimizer; a
 * coordinate axis is refused.  Each point is gdn_stability_analyze at the
 * same x and tol.
 */
#ifndef GANDYN_SCAN_H
#define GANDYN_SCAN_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/run.h"
#include "gandyn/stability.h"
#include "gandyn/sweep.h"
#include "gandyn/system.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GDN_SCAN_MAX_BOUNDS 256     /* boundaries kept for one parameter */
#define GDN_SCAN_MAX_POINTS 4000000 /* grid points */

typedef struct gdn_scan {
    size_t nax;             /* 1 or 2 */
    gdn_sweep_axis ax[2];   /* the scanned parameters */
    long n0, n1;            /* grid sizes (n1 = 1 for one axis) */
    int discrete;           /* 1: a step's map (f = rho - 1), 0: the flow */
    double *f;              /* n0 * n1 values, point (i, j) at j * n0 + i:
                               rho - 1 or max Re lambda; NaN where not
                               differentiable or not computable */
    int *verdict;           /* n0 * n1 GDN_STAB_* */
    double bounds[GDN_SCAN_MAX_BOUNDS]; /* one axis: where stability changes */
    int stable_above[GDN_SCAN_MAX_BOUNDS]; /* the stable side is above it */
    size_t nbounds;
    double *contour;        /* two axes: the boundary as segments (x0, y0),
                               (x1, y1), (NaN, NaN): 3 points a cell */
    size_t ncontour, capcontour;
} gdn_scan;

/* Prepares sc for a scan over ax[0..nax) (nax 1 or 2, each axis a
 * parameter): GDN_EINVAL for a coordinate axis, more than
 * GDN_SCAN_MAX_POINTS points or a bad nax, GDN_ENOMEM.  Release with
 * gdn_scan_release (also after an error). */
GDN_API int gdn_scan_init(gdn_scan *sc, const gdn_sweep_axis *ax, size_t nax,
                          gdn_error *err);

/* Analyses sys under opts at x (NULL: the equilibrium) with tolerance tol
 * (as gdn_stability_analyze) at every point of sc's grid, then finds the
 * boundaries.  An error of gdn_stability_analyze at a point is returned as
 * GDN_EINVAL with its message; GDN_ENOMEM. */
GDN_API int gdn_scan_run(gdn_scan *sc, const gdn_system *sys,
                         const gdn_run_opts *opts, const double *x, double tol,
                         gdn_error *err);

/* The analysis at the parameter values vals[0..nax) of the axes (rounded
 * for whole-number parameters); *f as in gdn_scan.f.  Release st with
 * gdn_stability_release. */
GDN_API int gdn_scan_point(const gdn_sweep_axis *ax, size_t nax, const double *vals,
                           const gdn_system *sys, const gdn_run_opts *opts,
                           const double *x, double tol, gdn_stability *st, double *f,
                           gdn_error *err);

GDN_API void gdn_scan_release(gdn_scan *sc);

#ifdef __cplusplus
}
#endif
#endif
