/* terms.h - internal: every term type and shared pieces of the models. */
#ifndef GANDYN_TERMS_H
#define GANDYN_TERMS_H

#include "gandyn/model.h"

#include "../core/gmath.h"
#include "../core/simd.h"

extern const gdn_term_type gdn_model_gan;
extern const gdn_term_type gdn_model_nsgan;
extern const gdn_term_type gdn_model_wgan;
extern const gdn_term_type gdn_model_wgan_gp;
extern const gdn_term_type gdn_model_gan_qp;
extern const gdn_term_type gdn_model_wgan_clip;
extern const gdn_term_type gdn_model_lsgan;
extern const gdn_term_type gdn_model_hinge;
extern const gdn_term_type gdn_model_fgan_kl;
extern const gdn_term_type gdn_model_fgan_rkl;
extern const gdn_term_type gdn_model_fgan_pearson;
extern const gdn_term_type gdn_model_fgan_hellinger;
extern const gdn_term_type gdn_model_fgan_js;

extern const gdn_term_type gdn_reg_l2;
extern const gdn_term_type gdn_reg_r1;
extern const gdn_term_type gdn_reg_r2;
extern const gdn_term_type gdn_reg_gp;
extern const gdn_term_type gdn_reg_l2g;
extern const gdn_term_type gdn_reg_noise;

/* A term reads its parameters (gdn_term.par, in table order) as a struct
 * of doubles whose fields follow its table, so that the values array and
 * the struct gdn_params_fill fills from it are the same (tests/
 * test_params.c checks every table's offsets). */

/* Field coefficients (eval at GDN_ORDER_GRAD) are written once per term,
 * as a lane function over scalars,
 *
 *     static GDN_ALWAYS_INLINE int X_lane(const double *par, double t,
 *                                         double a, double b, gdn__coef *c)
 *
 * that adds into c what eval adds into F->g and G->g and returns the
 * status.  The term's eval calls it (gdn__coef_load, then gdn__coef_store)
 * and GDN__TERM_LANES(X_lanes, X_lane) makes its eval_lanes from it: a
 * single definition, so a batch of lanes and a single run get the same
 * bits.  Lane functions branch only on parameters (the same for every lane)
 * and select on the point, so the loop vectorises. */
typedef struct gdn__coef {
    double ft, fa, fb; /* F->g: dL_D/dt, dL_D/da, dL_D/db */
    double gt, ga, gb; /* G->g */
} gdn__coef;

static inline gdn__coef gdn__coef_load(const gdn_partials *F,
                                       const gdn_partials *G)
{
    gdn__coef c = {F->g[0], F->g[1], F->g[2], G->g[0], G->g[1], G->g[2]};
    return c;
}

static inline void gdn__coef_store(const gdn__coef *c, gdn_partials *F,
                                   gdn_partials *G)
{
    F->g[0] = c->ft, F->g[1] = c->fa, F->g[2] = c->fb;
    G->g[0] = c->gt, G->g[1] = c->ga, G->g[2] = c->gb;
}

#define GDN__TERM_LANES(name, lane)                                          \
    GDN_VECTOR_CLONES                                                        \
    static void name(const double *par, size_t L, const double *t,           \
                     const double *a, const double *b, double *const F[3],   \
                     double *const G[3], int *st)                            \
    {                                                                        \
        double *restrict f0_ = F[0], *restrict f1_ = F[1];                   \
        double *restrict f2_ = F[2], *restrict g0_ = G[0];                   \
        double *restrict g1_ = G[1], *restrict g2_ = G[2];                   \
        int *restrict st_ = st;                                              \
        _Pragma("omp simd")                                                  \
        for (size_t l = 0; l < L; l++) {                                     \
            gdn__coef c_ = {f0_[l], f1_[l], f2_[l], g0_[l], g1_[l], g2_[l]}; \
            int s_ = lane(par, t[l], a[l], b[l], &c_);                       \
            f0_[l] = c_.ft, f1_[l] = c_.fa, f2_[l] = c_.fb;                  \
            g0_[l] = c_.gt, g1_[l] = c_.ga, g2_[l] = c_.gb;                  \
            st_[l] = s_ > st_[l] ? s_ : st_[l];                              \
        }                                                                    \
    }

/* sigmoid(t), sigmoid(-t) and e = exp(-|t|) from a single exponential:
 * the sigmoid GANs' coefficients wherever they are computed (their terms,
 * the fused kernels of dirac_fused.c and fused.c). */
static GDN_ALWAYS_INLINE void gdn__sigmoids(double t, double *s, double *sm,
                                            double *e)
{
    double x = gdn__exp(-fabs(t)), r = 1.0 / (1.0 + x);
    *e = x;
    *s = t >= 0 ? r : x * r;
    *sm = t >= 0 ? x * r : r;
}

/* sigmoid(u) = 1 / (1 + e^-u) (u >= 0) or e^u / (1 + e^u), from
 * e^-|u| (the same bits as those two formulas): gdn_sigmoid's body. */
static GDN_ALWAYS_INLINE double gdn__sigmoid(double u)
{
    double e = gdn__exp(-fabs(u));
    return u >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

/* softplus(u) = log(1 + e^u) = max(u, 0) + log1p(e^-|u|), no overflow:
 * gdn_softplus's body. */
static GDN_ALWAYS_INLINE double gdn__softplus(double u)
{
    return fmax(u, 0.0) + gdn__log1p(gdn__exp(-fabs(u)));
}

/* What lambda (sqrt(a) - c)^2 adds to dL/da for lambda != 0, c != 0, and
 * its status: no branch and no pointer, so that a lane loop of it
 * vectorises (a division under a branch is not if-converted, a pointer
 * into the lane's coefficients keeps them in memory). */
static GDN_ALWAYS_INLINE double gdn__norm_penalty_coef(double lambda,
                                                       double c, double a)
{
    /* phi = 0: the minimum-norm subgradient, lambda times phi = 0 */
    double s = sqrt(a), u = lambda * (1.0 - c / s);
    return gdn__sel(a > 0.0, u, lambda); /* (a ?: is made a branch) */
}

static GDN_ALWAYS_INLINE int gdn__norm_penalty_status(double a)
{
    return a > 0.0 ? GDN_PT_OK : GDN_PT_EXTENDED;
}

/* The same for any lambda, c (gdn__add_norm_penalty's g part).  The
 * terms' lane loops take the parameters' branches once, outside the loop
 * (GDN__PENALTY_LANES). */
static GDN_ALWAYS_INLINE int gdn__norm_penalty_lane(double lambda, double c,
                                                    double a, double *fa)
{
    if (lambda == 0.0) /* no penalty: smooth everywhere, whatever c */
        return GDN_PT_OK;
    if (c == 0.0) { /* lambda a: smooth everywhere */
        *fa += lambda;
        return GDN_PT_OK;
    }
    *fa += gdn__norm_penalty_coef(lambda, c, a);
    return gdn__norm_penalty_status(a);
}

/* name: the eval_lanes of a term whose lane function is base(par, t, a,
 * b, c) (what the term adds besides its penalty) then
 * gdn__norm_penalty_lane(lambda, c, a, &c->fa), lambda and c the
 * struct gdn__penalty_par at par + off (in doubles): one lane loop per
 * case of the parameters (no penalty, c = 0, c != 0), each the lane
 * function's operations for that case. */
#define GDN__PENALTY_LANES(name, base, off)                                  \
    static GDN_ALWAYS_INLINE int name##_none_(const double *par, double t,   \
                                              double a, double b,            \
                                              gdn__coef *c)                  \
    {                                                                        \
        return base(par, t, a, b, c);                                        \
    }                                                                        \
    static GDN_ALWAYS_INLINE int name##_zero_(const double *par, double t,   \
                                              double a, double b,            \
                                              gdn__coef *c)                  \
    {                                                                        \
        int s_ = base(par, t, a, b, c);                                      \
        c->fa += par[(off)];                                                 \
        return s_;                                                           \
    }                                                                        \
    static GDN_ALWAYS_INLINE int name##_c_(const double *par, double t,      \
                                           double a, double b, gdn__coef *c) \
    {                                                                        \
        int s_ = base(par, t, a, b, c);                                      \
        c->fa += gdn__norm_penalty_coef(par[(off)], par[(off) + 1], a);      \
        int p_ = gdn__norm_penalty_status(a);                                \
        return p_ > s_ ? p_ : s_;                                            \
    }                                                                        \
    GDN__TERM_LANES(name##_none_lanes_, name##_none_)                        \
    GDN__TERM_LANES(name##_zero_lanes_, name##_zero_)                        \
    GDN__TERM_LANES(name##_c_lanes_, name##_c_)                              \
    static void name(const double *par, size_t L, const double *t,           \
                     const double *a, const double *b, double *const F[3],   \
                     double *const G[3], int *st)                            \
    {                                                                        \
        if (par[(off)] == 0.0)                                               \
            name##_none_lanes_(par, L, t, a, b, F, G, st);                   \
        else if (par[(off) + 1] == 0.0)                                      \
            name##_zero_lanes_(par, L, t, a, b, F, G, st);                   \
        else                                                                 \
            name##_c_lanes_(par, L, t, a, b, F, G, st);                      \
    }

/* lambda (sqrt(a) - c)^2: wgan-gp and the gp regulariser. */
struct gdn__penalty_par {
    double lambda, c;
};

/* The instance noise regulariser. */
struct gdn__noise_par {
    double sigma;
};

/* Adds lambda (sqrt(a) - c)^2 to F (the WGAN-GP penalty for a linear D,
 * whose input gradient is phi).  At a = 0 with c > 0 the penalty's gradient
 * has no limit; its minimum-norm subgradient, 0, is used and
 * GDN_PT_EXTENDED returned. */
int gdn__add_norm_penalty(double lambda, double c, double a, int order,
                          gdn_partials *F);

/* Adds the sigmoid GAN losses under instance noise sigma (noise.c):
 * L_D = S(0, v) + S(t, v), L_G = -S(t, v) or, nonsaturating, S(-t, v),
 * v = sigma^2 a, S(m, v) = E softplus(m + sqrt(v) z). */
int gdn__noisy_sigmoid(int nonsaturating, double sigma, double t, double a,
                       int order, gdn_partials *F, gdn_partials *G);

/* gdn_system_partials at GDN_ORDER_GRAD over L lanes (system.c): the
 * field coefficients of lane l into F[k][l], G[k][l] (k: t, a, b; F and G
 * are overwritten), its status into st[l]; returns the worst.  Each term's
 * eval_lanes where it has one, its eval lane by lane where not (and the
 * model's eval_noisy under instance noise): the bits of gdn_system_partials
 * lane by lane. */
struct gdn_system;
int gdn__system_grad_lanes(const struct gdn_system *sys, size_t L,
                           const double *t, const double *a, const double *b,
                           double *const F[3], double *const G[3], int *st);

#endif
