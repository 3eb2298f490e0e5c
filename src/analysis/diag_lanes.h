/*
 * diag_lanes.h - internal: the diagnosis accumulator (gdn_diag_acc) of B
 * lanes at once, its per-sample statistics kept structure-of-arrays so
 * that one sample of every lane is one pass of vector operations.
 *
 * Lane b's numbers are those gdn_diag_acc_add gives it alone, bit for bit
 * (tests/test_diagnose.c): the same operations in the same order, written
 * as selects.  The lanes share the dimension, t0, t_end and the tail and
 * eps options (the lanes of one sweep batch do); each keeps its own options
 * for gdn_diag_acc_finish (step_scale, projected, kinked).
 */
#ifndef GANDYN_DIAG_LANES_H
#define GANDYN_DIAG_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/diagnose.h"

/* The statistics of one window, per lane. */
typedef struct gdn__diag_lanes_window {
    int64_t *lo, *hi;
    double *r_max, *r_min, *t_max;
    double *th_max, *th_min, *th_mean;
    double *ph_max, *ph_min, *ph_mean;
    double *c_min[2], *c_max[2];
} gdn__diag_lanes_window;

enum { GDN__NINV = 8 }; /* the doubles of a gdn_invariants */

typedef struct gdn__diag_lanes {
    size_t B, n;
    gdn_diag_acc proto;   /* what the lanes share */
    gdn_diag_opts *opts;  /* B: each lane's options */
    double *start[GDN__NINV], *last[GDN__NINV], *tail0[GDN__NINV];
    double *t_last, *t_below, *prev_c[2], *r_last, *r_max3[2], *t_max3[2];
    int64_t *count, *tail_index, *tail_started;
    /* flags and small counts as doubles (exact), so that the pass over
     * every sample is all doubles */
    double *above, *moved_last, *dir_c[2], *turns_c[2];
    gdn__diag_lanes_window w[3];
    double *inv[GDN__NINV]; /* the sample's invariants: last itself */
    double *big[2];         /* scratch: max |phi_i|, max |theta_i| */
    double *tmp;            /* scratch: one state, 2n */
    void *block;
} gdn__diag_lanes;

/* B lanes of dimension n, each as gdn_diag_acc_init(a, n, t0, t_end, o)
 * would set it up; GDN_ENOMEM or GDN_OK. */
int gdn__diag_lanes_init(gdn__diag_lanes *D, size_t B, size_t n, double t0,
                         double t_end, const gdn_diag_opts *o);
void gdn__diag_lanes_free(gdn__diag_lanes *D);

/* Lane b's options (only those gdn_diag_acc_finish reads may differ). */
void gdn__diag_lanes_set_opts(gdn__diag_lanes *D, size_t b,
                              const gdn_diag_opts *o);

/* Lane b as a gdn_diag_acc, and back. */
void gdn__diag_lanes_get(const gdn__diag_lanes *D, size_t b, gdn_diag_acc *a);
void gdn__diag_lanes_put(gdn__diag_lanes *D, size_t b, const gdn_diag_acc *a);

/* gdn_diag_acc_add(lane b, t, lane b of x) for every lane b, x the states
 * structure-of-arrays (component i of lane b at x[i * B + b], finite or
 * not).  Every lane is updated: a lane that is over must be read out
 * (gdn__diag_lanes_get) before. */
void gdn__diag_lanes_add(gdn__diag_lanes *D, double t, const double *x);

#endif
