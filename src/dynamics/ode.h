/*
 * ode.h - internal: explicit Runge-Kutta integrators for y' = f(y).
 *
 * The flow of a run is autonomous; f returns a GDN_PT_* status (the field may
 * be undefined at a point) and writes dy.  Work arrays are allocated once by
 * the caller (see gdn__dopri5_size); nothing here allocates or prints.
 */
#ifndef GANDYN_ODE_H
#define GANDYN_ODE_H

#include <stddef.h>

typedef struct gdn__ode {
    size_t dim;                                        /* length of y */
    int (*f)(void *ctx, const double *y, double *dy); /* GDN_PT_* status */
    void *ctx;                                         /* passed to f */
} gdn__ode;

/* Dormand-Prince 5(4) with FSAL and Hairer's 4th-order dense output. */
typedef struct gdn__dopri5 {
    size_t dim;
    size_t group;   /* error norm: RMS over blocks of this many components,
                       the largest block wins (default dim: plain RMS) */
    double *k[7];   /* stage derivatives; k[0] = f(y0), k[6] = f(y1) */
    double *ytmp;   /* stage argument */
    double *yerr;   /* embedded error estimate */
    double *cont;   /* 5 dim: dense-output coefficients of the last step */
    double t0, h;   /* the step the dense output describes */
} gdn__dopri5;

/* Doubles of work space gdn__dopri5_bind needs for dimension dim. */
size_t gdn__dopri5_size(size_t dim);
/* Points the workspace's arrays into mem (gdn__dopri5_size(dim) doubles). */
void gdn__dopri5_bind(gdn__dopri5 *w, size_t dim, double *mem);

/* One trial step from y0 with k[0] = f(y0) already set; writes y1 and sets
 * k[6] = f(y1).  *err is the RMS of yerr / (atol + rtol max(|y0|,|y1|))
 * (the largest over blocks of w->group components),
 * +inf when a value was not finite.  Returns the worst GDN_PT_* status. */
int gdn__dopri5_try(gdn__dopri5 *w, const gdn__ode *ode, double h,
                    const double *y0, double *y1, double rtol, double atol,
                    double *err);

/* After an accepted step [t0, t0 + h] from y0 to y1: prepares the dense
 * output, then gdn__dopri5_eval gives y at any t in that interval. */
void gdn__dopri5_dense(gdn__dopri5 *w, double t0, double h, const double *y0,
                       const double *y1);
void gdn__dopri5_eval(const gdn__dopri5 *w, double t, double *y);

/* Hairer's starting step size for y0 with f0 = f(y0); counts its one extra
 * evaluation in *nevals. */
double gdn__dopri5_h0(const gdn__ode *ode, const double *y0, const double *f0,
                      double rtol, double atol, double hmax, double *work2,
                      unsigned long *nevals);

/* Classic RK4 and explicit Euler: one step of size h, y updated in place.
 * work holds 5 dim (RK4) or 1 dim (Euler) doubles. */
int gdn__rk4_step(const gdn__ode *ode, double h, double *y, double *work);
int gdn__euler_step(const gdn__ode *ode, double h, double *y, double *work);

#endif
