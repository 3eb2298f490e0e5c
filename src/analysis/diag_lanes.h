/*
 * diag_lanes.h - internal: the diagnosis accumulator (gdn_diag_acc) of B
 * lanes at once, its per-sample statistics kept structure-of-arrays so
 * that one sample of every lane is one pass of vector operations.
 *
 * Lane b's numbers are those gdn_diag_acc_add gives it alone, bit for bit
 * (tests/test_diag_lanes.c): the same operations in the same order, written
 * as selects.  The lanes share the dimension, t0, t_end and the tail and
 * eps options (the lanes of one sweep batch do); each keeps its own options
 * for gdn_diag_acc_finish (step_scale, projected, kinked).
 *
 * The statistics are held in chunks of GDN__DL_W lanes, each chunk one
 * block of arrays of GDN__DL_W values at fixed offsets from its start (see
 * diag_lanes.c), so that a pass over a chunk addresses every statistic
 * from one pointer.
 */
#ifndef GANDYN_DIAG_LANES_H
#define GANDYN_DIAG_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/diagnose.h"

enum { GDN__DL_W = 64 }; /* lanes per chunk */

typedef struct gdn__diag_lanes {
    size_t B, n;
    gdn_diag_acc proto;   /* what the lanes share */
    gdn_diag_opts *opts;  /* B: each lane's options */
    size_t nchunks;       /* ceil(B / GDN__DL_W) */
    /* what some lane may still need (set by init and put, cleared by the
     * samples that do it for every lane): its first sample (count 0),
     * the first sample of its tail, the first of window k */
    int may_first, may_untailed, may_fresh[3];
    int lean;             /* gdn__diag_lanes_lean */
    double *tmp;          /* scratch: one state, 2n */
    void *block;          /* the chunks, then tmp, then opts */
} gdn__diag_lanes;

/* B lanes of dimension n, each as gdn_diag_acc_init(a, n, t0, t_end, o)
 * would set it up; GDN_ENOMEM or GDN_OK. */
int gdn__diag_lanes_init(gdn__diag_lanes *D, size_t B, size_t n, double t0,
                         double t_end, const gdn_diag_opts *o);
void gdn__diag_lanes_free(gdn__diag_lanes *D);

/* Lane b's options (only those gdn_diag_acc_finish reads may differ). */
void gdn__diag_lanes_set_opts(gdn__diag_lanes *D, size_t b,
                              const gdn_diag_opts *o);

/* From now on the lanes keep only what gdn_diag_acc_finish reads (what a
 * sweep record is made of): not r_min of the windows nor the statistics of
 * |theta|, |phi|, phi_1 and theta_1 in the first two, which then keep what
 * they held.  Every other field stays gdn_diag_acc_add's, so a lane's
 * diagnosis is the same. */
void gdn__diag_lanes_lean(gdn__diag_lanes *D);

/* Lane b as a gdn_diag_acc, and back. */
void gdn__diag_lanes_get(const gdn__diag_lanes *D, size_t b, gdn_diag_acc *a);
void gdn__diag_lanes_put(gdn__diag_lanes *D, size_t b, const gdn_diag_acc *a);

/* gdn_diag_acc_add(lane b, t, lane b of x) for every lane b, x the states
 * structure-of-arrays (component i of lane b at x[i * B + b], finite or
 * not).  Every lane is updated: a lane that is over must be read out
 * (gdn__diag_lanes_get) before. */
void gdn__diag_lanes_add(gdn__diag_lanes *D, double t, const double *x);

#endif
