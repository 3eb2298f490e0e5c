/*
 * gandyn/model.h - Dirac GAN losses as scalar functions of three invariants.
 *
 * State x = (phi, theta), phi, theta in R^n.  Every rotation-invariant loss is
 * a function of
 *
 *     t = theta . phi,    a = |phi|^2,    b = |theta|^2.
 *
 * A term (a model's pair of losses, or a regulariser added to one of them)
 * evaluates L_D = F(t, a, b) and L_G = G(t, a, b) with their first partials
 * and the Jacobian of those partials.  The vector field follows in any n:
 *
 *     grad_phi   L_D = F_t theta + 2 F_a phi
 *     grad_theta L_G = G_t phi   + 2 G_b theta
 *
 * so adding a loss means writing one small function; integrators, optimizers
 * and analysis never look inside it.
 *
 * Rules every term obeys:
 *  1. eval ADDS into the two gdn_partials it is given (so terms compose).
 *  2. For a true loss, g = (F_t, F_a, F_b) and h[3i+j] = dg_i/dx_j is the
 *     symmetric Hessian.  A field-only term (is_potential says 0) supplies field
 *     coefficients that are not the gradient of its value (a stop-gradient,
 *     as in the seed script's GAN-QP); h is then their plain Jacobian.
 *  3. Where the field has a continuous or minimum-norm extension (gan-qp at
 *     theta = 0, wgan-gp with c > 0 at phi = 0) eval uses it and returns
 *     GDN_PT_EXTENDED: first partials usable, second partials not defined.
 *     Where it has none (wgan at phi = 0) eval returns GDN_PT_UNDEFINED.
 *     Nothing is ever returned as NaN.
 */
#ifndef GANDYN_MODEL_H
#define GANDYN_MODEL_H

#include <math.h>
#include <stddef.h>

#include "gandyn/export.h"
#include "gandyn/param.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Value and derivatives of one player's loss in (t, a, b). */
typedef struct gdn_partials {
    double v;    /* the loss (constants dropped) */
    double g[3]; /* field coefficients: dL/dt, dL/da, dL/db */
    double h[9]; /* h[3i+j] = d g_i / d x_j, x = (t, a, b), row-major */
} gdn_partials;

/* Status of a point evaluation (rule 3); the worst over terms wins. */
enum {
    GDN_PT_OK = 0,       /* everything requested is defined */
    GDN_PT_EXTENDED = 1, /* first partials by extension, h undefined */
    GDN_PT_UNDEFINED = 2 /* the field is undefined here */
};

/* How much eval must compute: GRAD only g (v is left as it was: the hot
 * path of every integrator and optimizer), FIELD v and g, JACOBIAN v, g and
 * h. */
enum { GDN_ORDER_GRAD = 0, GDN_ORDER_FIELD = 1, GDN_ORDER_JACOBIAN = 2 };

/* Term flags. */
enum {
    GDN_TERM_MODEL = 1u << 0, /* a model: defines both losses */
    GDN_TERM_NOISE = 1u << 1  /* instance noise: swaps the model's eval */
};

/* A term type: a const vtable, one per model or regulariser. */
typedef struct gdn_term_type {
    const char *name;          /* "nsgan" */
    const char *about;         /* one line: what it is */
    const char *loss;          /* one line: "L_D = softplus(t), L_G = ..." */
    const char *flow;          /* one line: "phi' = ..., theta' = ..." */
    const gdn_param *params;   /* terminated by an entry with key NULL */
    unsigned flags;            /* GDN_TERM_* */
    /* Adds the losses' partials at (t, a, b) into F and G (rule 1); order is
     * GDN_ORDER_GRAD (g), GDN_ORDER_FIELD (v and g) or GDN_ORDER_JACOBIAN
     * (also h).  Returns a GDN_PT_* status. */
    int (*eval)(const double *par, double t, double a, double b, int order,
                gdn_partials *F, gdn_partials *G);
    /* NULL, or eval at GDN_ORDER_GRAD over L lanes (a batch of trajectories
     * stepped together): lane l at (t[l], a[l], b[l]) adds into F[k][l] and
     * G[k][l] (k = 0, 1, 2: the coefficients of t, a, b) what eval adds into
     * F->g[k] and G->g[k], with the same operations in the same order (the
     * same bits), and raises st[l] to its status when that is higher.  Where
     * it is NULL, eval is called lane by lane (the same numbers, slower). */
    void (*eval_lanes)(const double *par, size_t L, const double *t,
                       const double *a, const double *b, double *const F[3],
                       double *const G[3], int *st);
    /* NULL when g is always the gradient of v; otherwise says, for these
     * parameters, whether it is (1) or the term is field-only (0). */
    int (*is_potential)(const double *par);
    /* NULL, or a projection applied to x = (phi, theta) (length 2n) after
     * every discrete update of the discriminator (wgan-clip's clipping).
     * Terms that have one cannot be integrated as a flow. */
    void (*project)(const double *par, size_t n, double *x);
    /* NULL, or project over L lanes of stride B (component i of lane l at
     * x[i * B + l]), each lane the same bits as project (set with it). */
    void (*project_lanes)(const double *par, size_t n, size_t B, size_t L,
                          double *x);
    /* NULL, or the losses under instance noise of standard deviation sigma
     * (the 'noise' regulariser replaces eval by this); adds like eval. */
    int (*eval_noisy)(const double *par, double sigma, double t, double a,
                      double b, int order, gdn_partials *F, gdn_partials *G);
    /* NULL, or where and why the field is not differentiable (one line,
     * for the analysis reports). */
    const char *singular;
} gdn_term_type;

/* Registry: NULL-terminated arrays of every model and regulariser. */
GDN_API extern const gdn_term_type *const gdn_models[];
GDN_API extern const gdn_term_type *const gdn_regularizers[];

/* Looks a name up in a NULL-terminated type list; NULL if absent. */
GDN_API const gdn_term_type *gdn_term_find(const gdn_term_type *const *list,
                                           const char *name);

/* Number of parameters of a NULL-key-terminated table. */
GDN_API size_t gdn_param_count(const gdn_param *params);

/* Stable scalar helpers used by the models. */
GDN_API double gdn_softplus(double u); /* log(1 + e^u), no overflow */
GDN_API double gdn_sigmoid(double u);  /* 1 / (1 + e^-u), no overflow */

#ifdef __cplusplus
}
#endif
#endif
