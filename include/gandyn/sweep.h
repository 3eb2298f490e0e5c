/*
 * gandyn/sweep.h - many trajectories at once: grids over parameters and
 * initial states, each point run and diagnosed without keeping its path.
 *
 * A sweep is a base system, options and start, plus axes: each axis sets a
 * model, regularizer or optimizer parameter, or one coordinate of the start,
 * to the values of a grid; or an explicit list of starting points.  Point k
 * of the sweep is row-major over (points, axis 0, axis 1, ...), the last
 * axis fastest.
 *
 * Every point is run by the same engine as 'gandyn simulate' (gdn_run) and
 * diagnosed by the same accumulator, or, when the axes move only starts
 * and learning rates, in batches: the same driver over lanes, with the
 * same floating-point operations in the same order; either way the
 * records are bit-for-bit those of single runs, for any number of threads
 * and any batch size.
 */
#ifndef GANDYN_SWEEP_H
#define GANDYN_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/diagnose.h"
#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/run.h"
#include "gandyn/system.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GDN_SWEEP_MAX_AXES 4

/* What an axis sets. */
enum { GDN_AXIS_OPT, GDN_AXIS_MODEL, GDN_AXIS_REG, GDN_AXIS_COORD };

typedef struct gdn_sweep_axis {
    char name[80];     /* qualified: opt.lr, model.lambda, reg.gamma, theta1 */
    int target;        /* GDN_AXIS_* */
    size_t reg;        /* GDN_AXIS_REG: which regularizer */
    size_t index;      /* parameter index, or coordinate 0..2n-1 */
    int integer;       /* values are rounded (a whole-number parameter) */
    int logscale;      /* geometric grid */
    double lo, hi;     /* the range, both ends included */
    long count;        /* points, >= 2 */
} gdn_sweep_axis;

typedef struct gdn_sweep {
    gdn_system sys;       /* the base system */
    gdn_run_opts opts;    /* the base options (no averages) */
    gdn_diag_opts dopts;  /* the diagnosis' tolerances */
    const double *x0;     /* the base start, 2n values */
    size_t naxes;
    gdn_sweep_axis axes[GDN_SWEEP_MAX_AXES];
    const double *points; /* NULL, or starts of 2n values (the list) */
    size_t npoints;       /* the list's length */
    /* The rows of the list that points holds: starts points_first ..
     * points_first + points_held - 1, so that a caller can hold one chunk's
     * starts at a time (gdn_sweep_point_rows says which).  points_held 0:
     * points holds all npoints (points_first 0).  A point whose start is
     * not held is refused (GDN_EINVAL). */
    size_t points_first, points_held;
} gdn_sweep;

/* What one trajectory records (doubles, to be written as arrays). */
#define GDN_SWEEP_FIELDS(X)                                                  \
    X(label, "diagnosis: 0 converges, 1 circle, 2 oscillates, 3 diverges, "  \
             "4 undefined, 5 undecided, 6 stalls")                                      \
    X(theta_norm, "|theta| at the end (the last finite state)")               \
    X(phi_norm, "|phi| at the end")                                           \
    X(gram, "Gamma at the end")                                               \
    X(distance, "|x| at the end")                                             \
    X(t_eps, "time or step from which |x| < eps (absent: never)")            \
    X(t_stop, "time or step where the run stopped (diverged, undefined; "    \
              "absent otherwise)")                                           \
    X(rate, "the diagnosis' rate (exponential or algebraic), 0 if none")    \
    X(rate_kind, "what rate is: 0 none, 1 exponential (per unit time or "   \
                 "step), 2 algebraic (exponent)")                             \
    X(t_eps_measured, "1: t_eps was measured (|x| < eps reached), 0: "      \
                      "extrapolated from the rate, or there is none")

typedef struct gdn_sweep_rec {
#define GDN_SWEEP_FIELD_(name, about) double name;
    GDN_SWEEP_FIELDS(GDN_SWEEP_FIELD_)
#undef GDN_SWEEP_FIELD_
} gdn_sweep_rec;

#define GDN_SWEEP_NFIELDS (sizeof(gdn_sweep_rec) / sizeof(double))
GDN_API const char *gdn_sweep_field_name(size_t k);
GDN_API const char *gdn_sweep_field_about(size_t k);

/* Parses "KEY=LO:HI:N" or "KEY=log:LO:HI:N" against sw's system and
 * options.  KEY is a parameter (lr, gamma, ...; opt.KEY, model.KEY or
 * reg.KEY when ambiguous) or a coordinate of the start (phi1, theta2, ...).
 * GDN_EINVAL naming the token otherwise. */
GDN_API int gdn_sweep_axis_parse(const char *text, const gdn_sweep *sw,
                                 gdn_sweep_axis *ax, gdn_error *err);
GDN_API double gdn_sweep_axis_value(const gdn_sweep_axis *ax, long i);

/* Number of trajectories; 0 when there is nothing to run. */
GDN_API size_t gdn_sweep_count(const gdn_sweep *sw);

/* The system, options and start of point k (x0: 2n values). */
GDN_API int gdn_sweep_setup(const gdn_sweep *sw, size_t k, gdn_system *sys,
                            gdn_run_opts *opts, double *x0, gdn_error *err);

/* Runs one trajectory as 'gandyn simulate' would and records it. */
GDN_API int gdn_sweep_one(const gdn_system *sys, const gdn_run_opts *opts,
                          const double *x0, const gdn_diag_opts *dopts,
                          gdn_sweep_rec *rec, gdn_error *err);

/* Runs points [first, first + count) into recs, with nthreads threads
 * (0: all available) and batches of batch points (0: the default) on the
 * batched kernels.  The records do not depend on either.  GDN_EINVAL for a
 * bad sweep, GDN_ENOMEM. */
GDN_API int gdn_sweep_run(const gdn_sweep *sw, size_t first, size_t count,
                          int nthreads, size_t batch, gdn_sweep_rec *recs,
                          gdn_error *err);

/* Whether gdn_sweep_run runs sw in batches (any model, regularizer and
 * method, when no axis sets a model or regularizer parameter or an
 * optimizer parameter other than lr, lr_d, lr_g); else it runs the points
 * one by one through gdn_run. */
GDN_API int gdn_sweep_batched(const gdn_sweep *sw);

/* ------------------------------------------------------ random starts */

/* splitmix64: the next 64 random bits of the state *s. */
GDN_API uint64_t gdn_splitmix64(uint64_t *s);

/* count starts of m coordinates each, uniform in [lo, hi)^m, into out
 * (count * m doubles): value k (start k / m, coordinate k % m) is
 * lo + (hi - lo) u_k, u_k the top 53 bits of the k-th draw of splitmix64
 * from the state seed, times 2^-53.  They depend on the seed alone. */
GDN_API void gdn_sweep_random_starts(uint64_t seed, double lo, double hi,
                                     size_t count, size_t m, double *out);
/* Starts first .. first + count - 1 of that sequence (count * m doubles):
 * the same values, drawn without the ones before (draw k is splitmix64 of
 * the state seed + k * 0x9E3779B97F4A7C15), so a sweep can make its starts
 * a chunk at a time. */
GDN_API void gdn_sweep_random_starts_at(uint64_t seed, double lo, double hi,
                                        size_t first, size_t count, size_t m,
                                        double *out);

/* ---------------------------------------------------- the table's layout */

/* A sweep's table has one row per point: the start (2n columns phi1..phin,
 * theta1..thetan, when the starts are a list), then one column per axis,
 * then the GDN_SWEEP_NFIELDS of the record.  The number of columns before
 * the record: */
GDN_API size_t gdn_sweep_axis_columns(const gdn_sweep *sw);
/* The name of column c < gdn_sweep_axis_columns(sw): "phi1", "opt.lr". */
GDN_API void gdn_sweep_column_name(const gdn_sweep *sw, size_t c, char *buf,
                                   size_t size);
/* The values of those columns at point k (gdn_sweep_axis_columns(sw)
 * doubles). */
GDN_API void gdn_sweep_point_values(const gdn_sweep *sw, size_t k, double *out);
/* The rows of the list (*r0 .. *r1 - 1) that points [first, first + count)
 * start from; 0, 0 when there is no list or no point. */
GDN_API void gdn_sweep_point_rows(const gdn_sweep *sw, size_t first,
                                  size_t count, size_t *r0, size_t *r1);

/* ---------------------------------------------------------- the chunks */

/* The points in chunks of chunk points (the last one shorter), which a
 * sweep runs and stores one at a time; with P ranks, chunk j is rank
 * j mod P's.  The records do not depend on the plan. */
typedef struct gdn_sweep_plan {
    size_t total;   /* points */
    size_t chunk;   /* points per chunk: at most total */
    size_t nchunks;
} gdn_sweep_plan;

/* GDN_EINVAL for no points or a chunk of 0. */
GDN_API int gdn_sweep_plan_init(gdn_sweep_plan *pl, size_t total, size_t chunk,
                                gdn_error *err);
/* The number of points of chunk j (0 past the end); *first (if not NULL)
 * its first point. */
GDN_API size_t gdn_sweep_plan_chunk(const gdn_sweep_plan *pl, size_t j,
                                    size_t *first);
/* Whether chunk j is run by rank of nranks (1 for a single process). */
GDN_API int gdn_sweep_plan_owns(const gdn_sweep_plan *pl, size_t j, int rank,
                                int nranks);

#ifdef __cplusplus
}
#endif
#endif
