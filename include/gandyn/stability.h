/*
 * gandyn/stability.h - local stability: the linearisation of the flow or of
 * one optimizer step at a point (by default the equilibrium), its
 * eigenvalues, and what they decide.
 *
 * Flow:      A = -diag(eta_D, eta_G) J_xi;  stable when max Re lambda < 0
 *            (rate -max Re), unstable when > 0, linearly neutral when
 *            |max Re| <= tol: the linearisation cannot decide, and the
 *            invariants are reported instead (Gamma' = -4 (F_a + G_b) Gamma).
 * Discrete:  M = d(step)/d(z) on the augmented state z = (x, the method's
 *            memory: momentum buffers, the previous gradient); converges
 *            when rho(M) < 1 (rate -log rho per step), diverges when > 1,
 *            neutral when |rho - 1| <= tol.  M is computed by running the
 *            method's own step on the linear field xi(x) = J x, column by
 *            column: exact to rounding for every method whose step is
 *            linear in xi (all but Adam and RMSprop, which divide by a
 *            running scale of the gradient and are not differentiable where
 *            it vanishes: reported as such).
 * Eigenvalues come from LAPACK's dgeev.
 *
 * No result holds a NaN: a matrix or eigenvalue beyond the double range is
 * the verdict NOTCOMP ("not computable", the text naming the parameters,
 * no matrix); a dgeev failure is GDN_EINVAL with the parameters named.
 * What Gamma does is stated for the flow, and for a discrete method only
 * where it is known: altgd keeps it, simgd multiplies it by
 * (1 - lr_d lr_g F_t G_t)^2 per step (both when F_a = G_b = 0 everywhere);
 * otherwise invariant is "" and gram_rate NaN.
 */
#ifndef GANDYN_STABILITY_H
#define GANDYN_STABILITY_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/run.h"
#include "gandyn/system.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GDN_STAB_VERDICTS(X)                                                 \
    X(STABLE, "stable")                                                       \
    X(UNSTABLE, "unstable")                                                   \
    X(NEUTRAL, "neutral")                                                     \
    X(NONDIFF, "not differentiable")                                          \
    X(NOTCOMP, "not computable")

enum {
#define GDN_STAB_ENUM_(name, text) GDN_STAB_##name,
    GDN_STAB_VERDICTS(GDN_STAB_ENUM_)
#undef GDN_STAB_ENUM_
};
GDN_API const char *gdn_stab_verdict_name(int verdict);

typedef struct gdn_eig {
    double re, im;
} gdn_eig;

typedef struct gdn_stability {
    int discrete;      /* 1: a step's map, 0: the flow */
    int verdict;       /* GDN_STAB_* */
    size_t dim;        /* size of the matrix (augmented for discrete) */
    double *matrix;    /* dim x dim, row-major (NULL when NONDIFF) */
    gdn_eig *eig;      /* dim eigenvalues: flow by decreasing real part,
                          discrete by decreasing modulus */
    double max_re;     /* flow: largest real part */
    double rho;        /* discrete: spectral radius */
    double rate;       /* -max_re, or -log(rho) per step (NaN when NOTCOMP) */
    double tol;        /* the tolerance the verdict used */
    int gram_kind;     /* -1 decays, 0 conserved, 1 grows, 2 varies or
                          unknown */
    double gram_rate;  /* flow: d log Gamma / dt at the point, -4 (F_a +
                          G_b); discrete: log of Gamma's factor per step
                          (altgd 0, simgd 2 log|1 - lr_d lr_g F_t G_t|),
                          NaN where nothing is known */
    char text[512];    /* the verdict in one sentence */
    char invariant[320]; /* what Gamma does, when it decides; "" when
                            nothing is known (discrete methods other than
                            simgd and altgd, or a norm-dependent loss) */
} gdn_stability;

/* Analyses sys under opts (the flow or a discrete method with its
 * parameters) at x (length 2n; NULL: the equilibrium).  tol <= 0 means
 * 1e-10.  GDN_EINVAL for a point that is not a fixed point of a discrete
 * method (xi(x) != 0) or a failure of dgeev, GDN_ENOMEM; a
 * non-differentiable point or method (NONDIFF) or an overflowing
 * linearisation (NOTCOMP) is a result, not an error.  Release with
 * gdn_stability_release. */
GDN_API int gdn_stability_analyze(const gdn_system *sys, const gdn_run_opts *opts,
                                  const double *x, double tol, gdn_stability *out,
                                  gdn_error *err);
GDN_API void gdn_stability_release(gdn_stability *st);

/* Eigenvalues of a general real n x n row-major matrix (dgeev); a is not
 * modified.  GDN_ENOMEM, or GDN_EINVAL if LAPACK fails to converge. */
GDN_API int gdn_eigenvalues(size_t n, const double *a, gdn_eig *eig, gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
