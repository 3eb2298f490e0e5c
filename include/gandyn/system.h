/*
 * gandyn/system.h - a Dirac GAN: a model, its regularisers and a dimension.
 *
 * The system turns the scalar terms of gandyn/model.h into vectors: the
 * simultaneous gradient xi(x) = (grad_phi L_D, grad_theta L_G), its Jacobian,
 * the invariants (t, a, b, E, Gamma) and the reduced 3-D dynamics.  It is a
 * plain caller-owned struct, filled by gdn_system_init and gdn_system_add_reg
 * (or by hand), never modified by the functions that read it.
 */
#ifndef GANDYN_SYSTEM_H
#define GANDYN_SYSTEM_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most regularisers one system carries. */
#define GDN_MAX_REGS 8

/* One term with its parameter values. */
typedef struct gdn_term {
    const gdn_term_type *type;  /* the vtable */
    double par[GDN_MAX_PARAMS]; /* values, in the order of type->params */
} gdn_term;

/* A Dirac GAN system. */
typedef struct gdn_system {
    size_t n;                  /* dimension of phi and of theta (>= 1) */
    gdn_term model;            /* the pair of losses */
    size_t nreg;               /* regularisers in use */
    gdn_term reg[GDN_MAX_REGS]; /* added to the model, in order */
} gdn_system;

/* The scalars every diagnosis reports. */
typedef struct gdn_invariants {
    double t;         /* theta . phi */
    double a;         /* |phi|^2 */
    double b;         /* |theta|^2 */
    double energy;    /* E = (a + b) / 2 */
    double gram;      /* Gamma = a b - t^2 >= 0 (clamped at 0 for rounding) */
    double phi_norm;  /* |phi| */
    double theta_norm; /* |theta| */
    double norm;      /* |x| = sqrt(a + b), the distance to the equilibrium */
} gdn_invariants;

/* Sets sys to dimension n and the model with default parameters.  Fails with
 * GDN_EINVAL if n is 0 or type is not a model. */
GDN_API int gdn_system_init(gdn_system *sys, size_t n, const gdn_term_type *model,
                            gdn_error *err);

/* Appends a regulariser with default parameters; returns its index, or
 * GDN_EINVAL when it is not a regulariser or GDN_MAX_REGS are in use. */
GDN_API int gdn_system_add_reg(gdn_system *sys, const gdn_term_type *reg,
                               gdn_error *err);

/* Checks the dimension and every term's parameters against its table.
 * GDN_EINVAL with a message naming the term and parameter. */
GDN_API int gdn_system_check(const gdn_system *sys, gdn_error *err);

/* Sum of all terms' partials at (t, a, b); returns the worst GDN_PT_*. */
GDN_API int gdn_system_partials(const gdn_system *sys, double t, double a, double b,
                                int order, gdn_partials *F, gdn_partials *G);

/* xi = (grad_phi L_D, grad_theta L_G) at x = (phi, theta), both of length 2n
 * and not overlapping.  Returns GDN_PT_OK, GDN_PT_EXTENDED or
 * GDN_PT_UNDEFINED (xi then zeroed). */
GDN_API int gdn_system_grad(const gdn_system *sys, const double *x, double *xi);

/* Row-major 2n x 2n Jacobian of xi at x.  Returns a GDN_PT_* status; for
 * anything but GDN_PT_OK the matrix is zeroed: it does not exist there. */
GDN_API int gdn_system_jacobian(const gdn_system *sys, const double *x, double *J);

/* Invariants of a state of length 2n.  Computed on the players scaled by
 * powers of two when they are far from 1 (beyond 2^+-230), so nothing
 * overflows or underflows unless the value itself is not representable
 * (Gamma ~ |x|^4 exceeds DBL_MAX beyond |x| ~ 1e77); elsewhere the plain
 * sums. */
GDN_API void gdn_invariants_of(size_t n, const double *x, gdn_invariants *inv);

/* Right-hand side of the reduced flow in (t, a, b) (specification §1) with
 * time scales eta_d, eta_g on the players.  Returns a GDN_PT_* status. */
GDN_API int gdn_system_reduced(const gdn_system *sys, double eta_d, double eta_g,
                               const double tab[3], double dtab[3]);

#ifdef __cplusplus
}
#endif
#endif
