/*
 * ode.h - internal: explicit Runge-Kutta integrators for y' = f(y), over
 * lanes.
 *
 * Lanes: B independent copies of the problem stored structure-of-arrays,
 * component i of lane b at y[i * B + b]; a single problem is B = 1, the
 * plain vector.  Lanes never interact: each has its own step size, error
 * norm, acceptance and status, and lane b's numbers are those of a B = 1
 * integration of lane b alone, bit for bit.
 *
 * The flow of a run is autonomous; f writes dy for every lane and each
 * lane's GDN_PT_* status into st (the field may be undefined at a point),
 * and returns the worst.  Work arrays are allocated once by the caller (see
 * gdn__dopri5_size); nothing here allocates or prints.
 */
#ifndef GANDYN_ODE_H
#define GANDYN_ODE_H

#include <stddef.h>

typedef struct gdn__ode {
    size_t dim; /* components of one lane */
    size_t B;   /* lanes */
    /* dy = f(y) (dim * B each); st: B statuses; returns the worst */
    int (*f)(void *ctx, const double *y, double *dy, int *st);
    void *ctx; /* passed to f */
} gdn__ode;

/* Dormand-Prince 5(4) with FSAL and Hairer's 4th-order dense output. */
typedef struct gdn__dopri5 {
    size_t dim, B;
    size_t group;   /* error norm: RMS over blocks of this many components,
                       the largest block wins (default dim: plain RMS) */
    double *k[7];   /* stage derivatives; k[0] = f(y0), k[6] = f(y1) */
    double *ytmp;   /* stage argument */
    double *cont;   /* 5 blocks of dim B, cs apart: dense-output
                       coefficients of the last step */
    size_t cs;      /* doubles from one coefficient's block to the next */
    double *t0, *h; /* B: the step each lane's dense output describes */
    int *st;        /* B: scratch statuses */
} gdn__dopri5;

/* Doubles of work space gdn__dopri5_bind needs for dim components and B
 * lanes; it also takes B ints.  It includes, after the workspace (its
 * arrays, gdn__dopri5_ws(dim, B) doubles), at gdn__dopri5_spare(w), the
 * spare doubles of the caller's trials of a few lanes packed together
 * (flow.c): a workspace of at most B lanes, then 3 dim B + 10 B doubles
 * and 4 pads.  16 dim + 12 per lane at B = 1.  The pad: doubles between
 * the arrays (gdn__dopri5_bind). */
#define GDN__DOPRI5_SPARE(dim) (16 * (dim) + 12)
#define GDN__DOPRI5_PAD(B) ((size_t)((B) >= 4 ? 8 : 0))
size_t gdn__dopri5_size(size_t dim, size_t B);
size_t gdn__dopri5_ws(size_t dim, size_t B);
double *gdn__dopri5_spare(const gdn__dopri5 *w);
/* Points the workspace's arrays into mem (gdn__dopri5_size(dim, B)
 * doubles) and ist (B ints). */
void gdn__dopri5_bind(gdn__dopri5 *w, size_t dim, size_t B, double *mem,
                      int *ist);

/* One trial step of every lane b from y0 with its own step h[b], k[0] =
 * f(y0) already set; writes y1 and sets k[6] = f(y1).  err[b] is the RMS of
 * lane b's error estimate / (atol + rtol max(|y0|,|y1|)) (the largest over
 * blocks of w->group components), +inf when a value was not finite; st[b]
 * the worst GDN_PT_* status of lane b's stages.  Returns the worst of all.
 * A lane that should not move is given h[b] = 0. */
int gdn__dopri5_try(gdn__dopri5 *w, const gdn__ode *ode, const double *h,
                    const double *y0, double *y1, double rtol, double atol,
                    double *err, int *st);

/* gdn__dopri5_try (B > 1) that also prepares the dense output of every
 * lane b with act[b] (act NULL: every lane) as gdn__dopri5_dense_lanes
 * would for its step from t0[b], accepted or not, in the error norm's pass
 * over the stages (the same bits): a rejected lane's are for nobody to
 * read. */
int gdn__dopri5_try_dense(gdn__dopri5 *w, const gdn__ode *ode,
                          const double *h, const double *y0, double *y1,
                          double rtol, double atol, double *err, int *st,
                          const int *act, const double *t0);

/* After the accepted steps [t0[b], t0[b] + h[b]] from y0 to y1 (both SoA
 * over the B lanes) of every lane b with need[b] (need NULL: every lane):
 * prepares their dense outputs; then gdn__dopri5_eval gives lane b's at
 * any t in its interval, into y[i * B + b]. */
void gdn__dopri5_dense_lanes(gdn__dopri5 *w, const int *need,
                             const double *t0, const double *h,
                             const double *y0, const double *y1);
void gdn__dopri5_eval(const gdn__dopri5 *w, size_t b, double t, double *y);

/* Hairer's starting step size of every lane for y0 with f0 = f(y0) into
 * h[b]; one more evaluation of f.  work: (2 dim + 3) B doubles, st: B. */
void gdn__dopri5_h0(const gdn__ode *ode, const double *y0, const double *f0,
                    double rtol, double atol, double hmax, double *work,
                    int *st, double *h);

/* Classic RK4 and explicit Euler: one step of size h (shared by the lanes),
 * y updated in place in every lane, st[b] the worst status of lane b's
 * stages (a lane that is GDN_PT_UNDEFINED holds garbage: its caller
 * restores it).  work holds 5 dim B (RK4) or dim B (Euler) doubles, ist B
 * ints (RK4). */
int gdn__rk4_step(const gdn__ode *ode, double h, double *y, double *work,
                  int *st, int *ist);
int gdn__euler_step(const gdn__ode *ode, double h, double *y, double *work,
                    int *st);

#endif
