/*
 * fgans.c - f-GANs (Nowozin, Cseke & Tomioka 2016) on the Dirac GAN.
 *
 * The critic's output on the fake point is V = t (on the real point it is 0,
 * a constant).  With Table 2's output activation g_f and conjugate f*:
 *
 *   L_D = f*(g_f(t))                        (minus the maximised objective)
 *   L_G = -f*(g_f(t))   gen=saturating      (the minimax game)
 *   L_G = -g_f(t)       gen=nonsaturating   (Nowozin's alternative)
 *
 * Each activation maps R into the conjugate's domain, so the compositions
 * are entire functions, written here in closed form:
 *
 *   kl         g = v              f*(u) = exp(u - 1)      h = exp(t - 1)
 *   rkl        g = -exp(-v)       f*(u) = -1 - log(-u)    h = t - 1
 *   pearson    g = v              f*(u) = u^2/4 + u       h = t^2/4 + t
 *   hellinger  g = 1 - exp(-v)    f*(u) = u/(1 - u)       h = exp(t) - 1
 *   js         g = log 2 - softplus(-v)
 *                                 f*(u) = -log(2 - e^u)   h = softplus(t) - log 2
 *
 * At the equilibrium the flow's Jacobian is [[0, -h'(0)], [g'(0) or h'(0),
 * 0]] (times I): purely imaginary eigenvalues for every unregularised f-GAN.
 * Large |t| can overflow exp: the run then reports divergence.
 */
#include "terms.h"

#include <math.h>

enum { GEN_SATURATING = 0, GEN_NONSATURATING = 1 };

/* parameters (table fgan_params) */
struct fgan_par {
    double gen;
};

/* Value and first two derivatives of a function of t. */
typedef void (*scalar_fn)(double t, double out[3]);

/* The value and second derivative sign d[0], sign d[2] (the field
 * coefficient sign d[1] is the lane function's). */
static void add_t(gdn_partials *P, double sign, const double d[3], int order)
{
    P->v += sign * d[0];
    if (order >= GDN_ORDER_JACOBIAN)
        P->h[0] += sign * d[2];
}

static void fgan_rest(scalar_fn h, scalar_fn g, const double *par, double t,
                      int order, gdn_partials *F, gdn_partials *G)
{
    double dh[3], dg[3];
    h(t, dh);
    add_t(F, 1.0, dh, order);
    if (((const struct fgan_par *)(const void *)par)->gen == GEN_SATURATING) {
        add_t(G, -1.0, dh, order);
    } else {
        g(t, dg);
        add_t(G, -1.0, dg, order);
    }
}

static GDN_ALWAYS_INLINE void identity(double t, double o[3])
{
    o[0] = t, o[1] = 1, o[2] = 0;
}

static GDN_ALWAYS_INLINE void kl_h(double t, double o[3])
{
    o[0] = o[1] = o[2] = gdn__exp(t - 1);
}

static GDN_ALWAYS_INLINE void rkl_h(double t, double o[3])
{
    o[0] = t - 1, o[1] = 1, o[2] = 0;
}
static GDN_ALWAYS_INLINE void rkl_g(double t, double o[3])
{
    double e = gdn__exp(-t);
    o[0] = -e, o[1] = e, o[2] = -e;
}

static GDN_ALWAYS_INLINE void pearson_h(double t, double o[3])
{
    o[0] = 0.25 * t * t + t, o[1] = 0.5 * t + 1, o[2] = 0.5;
}

static GDN_ALWAYS_INLINE void hellinger_h(double t, double o[3])
{
    double e = gdn__exp(t);
    o[0] = gdn__expm1(t), o[1] = e, o[2] = e;
}
static GDN_ALWAYS_INLINE void hellinger_g(double t, double o[3])
{
    double e = gdn__exp(-t);
    o[0] = -gdn__expm1(-t), o[1] = e, o[2] = -e;
}

static GDN_ALWAYS_INLINE void js_h(double t, double o[3])
{
    double s = gdn__sigmoid(t), sm = gdn__sigmoid(-t);
    o[0] = gdn__softplus(t) - gdn__log(2.0), o[1] = s, o[2] = s * sm;
}
static GDN_ALWAYS_INLINE void js_g(double t, double o[3])
{
    double s = gdn__sigmoid(t), sm = gdn__sigmoid(-t);
    o[0] = gdn__log(2.0) - gdn__softplus(-t), o[1] = sm, o[2] = -s * sm;
}

/* F_t = h'(t); G_t = -h'(t) (saturating) or -g'(t) (nonsaturating).  The
 * lanes take the branch on gen once, outside the loop (inside it both
 * sides would be computed). */
#define FGAN_EVAL(fname, h, g)                                              \
    static GDN_ALWAYS_INLINE int fname##_lane_gen(double t, gdn__coef *c,   \
                                                  int sat)                  \
    {                                                                       \
        double dh[3], dg[3];                                                \
        h(t, dh);                                                           \
        c->ft += 1.0 * dh[1];                                               \
        if (sat) {                                                          \
            c->gt += -1.0 * dh[1];                                          \
        } else {                                                            \
            g(t, dg);                                                       \
            c->gt += -1.0 * dg[1];                                          \
        }                                                                   \
        return GDN_PT_OK;                                                   \
    }                                                                       \
    static GDN_ALWAYS_INLINE int fname##_lane(const double *par, double t,  \
                                              double a, double b,          \
                                              gdn__coef *c)                \
    {                                                                       \
        (void)a, (void)b;                                                   \
        return fname##_lane_gen(                                            \
            t, c,                                                           \
            ((const struct fgan_par *)(const void *)par)->gen ==            \
                GEN_SATURATING);                                            \
    }                                                                       \
    static GDN_ALWAYS_INLINE int fname##_lane_sat(const double *par,        \
                                                  double t, double a,       \
                                                  double b, gdn__coef *c)   \
    {                                                                       \
        (void)par, (void)a, (void)b;                                        \
        return fname##_lane_gen(t, c, 1);                                   \
    }                                                                       \
    static GDN_ALWAYS_INLINE int fname##_lane_ns(const double *par,         \
                                                 double t, double a,        \
                                                 double b, gdn__coef *c)    \
    {                                                                       \
        (void)par, (void)a, (void)b;                                        \
        return fname##_lane_gen(t, c, 0);                                   \
    }                                                                       \
    GDN__TERM_LANES(fname##_lanes_sat, fname##_lane_sat)                    \
    GDN__TERM_LANES(fname##_lanes_ns, fname##_lane_ns)                      \
    static void fname##_lanes(const double *par, size_t L, const double *t, \
                              const double *a, const double *b,             \
                              double *const F[3], double *const G[3],       \
                              int *st)                                      \
    {                                                                       \
        if (((const struct fgan_par *)(const void *)par)->gen ==            \
            GEN_SATURATING)                                                 \
            fname##_lanes_sat(par, L, t, a, b, F, G, st);                   \
        else                                                                \
            fname##_lanes_ns(par, L, t, a, b, F, G, st);                    \
    }                                                                       \
    static int fname(const double *par, double t, double a, double b,       \
                     int order, gdn_partials *F, gdn_partials *G)           \
    {                                                                       \
        gdn__coef c = gdn__coef_load(F, G);                                 \
        int st = fname##_lane(par, t, a, b, &c);                            \
        gdn__coef_store(&c, F, G);                                          \
        if (order >= GDN_ORDER_FIELD)                                       \
            fgan_rest(h, g, par, t, order, F, G);                           \
        return st;                                                          \
    }

FGAN_EVAL(kl_eval, kl_h, identity)
FGAN_EVAL(rkl_eval, rkl_h, rkl_g)
FGAN_EVAL(pearson_eval, pearson_h, identity)
FGAN_EVAL(hellinger_eval, hellinger_h, hellinger_g)
FGAN_EVAL(js_eval, js_h, js_g)

/* Under instance noise fgan-js is gan / nsgan up to constants. */
static int js_noisy(const double *par, double sigma, double t, double a,
                    double b, int order, gdn_partials *F, gdn_partials *G)
{
    (void)b;
    int ns = ((const struct fgan_par *)(const void *)par)->gen ==
             GEN_NONSATURATING;
    int st = gdn__noisy_sigmoid(ns, sigma, t, a, order, F, G);
    F->v -= 2 * gdn__log(2.0);
    G->v += ns ? -gdn__log(2.0) : gdn__log(2.0);
    return st;
}

static const gdn_param fgan_params[] = {
    GDN_PARAM_ENTRY("gen", GEN_SATURATING, 0, 1, GDN_PARAM_ENUM,
                    "saturating|nonsaturating",
                    "generator loss: -f*(g_f(t)) (minimax) or -g_f(t)",
                    struct fgan_par, gen),
    {0}};

const gdn_term_type gdn_model_fgan_kl = {
    .name = "fgan-kl",
    .about = "f-GAN, Kullback-Leibler (g = v, f*(u) = exp(u - 1))",
    .loss = "L_D = exp(t - 1), L_G = -exp(t - 1) | -t",
    .flow = "phi' = -exp(t - 1) theta, theta' = exp(t - 1) phi | phi",
    .params = fgan_params,
    .flags = GDN_TERM_MODEL,
    .eval = kl_eval,
    .eval_lanes = kl_eval_lanes,
};

const gdn_term_type gdn_model_fgan_rkl = {
    .name = "fgan-rkl",
    .about = "f-GAN, reverse KL (g = -exp(-v), f*(u) = -1 - log(-u))",
    .loss = "L_D = t - 1, L_G = 1 - t | exp(-t)",
    .flow = "phi' = -theta, theta' = phi | exp(-t) phi",
    .params = fgan_params,
    .flags = GDN_TERM_MODEL,
    .eval = rkl_eval,
    .eval_lanes = rkl_eval_lanes,
};

const gdn_term_type gdn_model_fgan_pearson = {
    .name = "fgan-pearson",
    .about = "f-GAN, Pearson chi^2 (g = v, f*(u) = u^2/4 + u)",
    .loss = "L_D = t^2/4 + t, L_G = -(t^2/4 + t) | -t",
    .flow = "phi' = -(t/2 + 1) theta, theta' = (t/2 + 1) phi | phi",
    .params = fgan_params,
    .flags = GDN_TERM_MODEL,
    .eval = pearson_eval,
    .eval_lanes = pearson_eval_lanes,
};

const gdn_term_type gdn_model_fgan_hellinger = {
    .name = "fgan-hellinger",
    .about = "f-GAN, squared Hellinger (g = 1 - exp(-v), f*(u) = u/(1 - u))",
    .loss = "L_D = exp(t) - 1, L_G = 1 - exp(t) | exp(-t) - 1",
    .flow = "phi' = -exp(t) theta, theta' = exp(t) phi | exp(-t) phi",
    .params = fgan_params,
    .flags = GDN_TERM_MODEL,
    .eval = hellinger_eval,
    .eval_lanes = hellinger_eval_lanes,
};

const gdn_term_type gdn_model_fgan_js = {
    .name = "fgan-js",
    .about = "f-GAN, Jensen-Shannon (g = log 2 - softplus(-v), f*(u) = -log(2 - e^u))",
    .loss = "L_D = softplus(t) - log 2, L_G = -L_D | softplus(-t) - log 2",
    .flow = "as gan (saturating) or nsgan (nonsaturating)",
    .params = fgan_params,
    .flags = GDN_TERM_MODEL,
    .eval = js_eval,
    .eval_lanes = js_eval_lanes,
    .eval_noisy = js_noisy,
};
