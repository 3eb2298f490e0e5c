/*
 * wgans.c - Wasserstein critics: by normalisation (the seed's WGAN) and by
 * gradient penalty (Gulrajani et al. 2017 with c = 1; zero-centred, c = 0,
 * as in WGAN-div and Mescheder et al. 2018).
 *
 *   wgan     L_D = t / sqrt(a)                 L_G = -t / sqrt(a)
 *   wgan-gp  L_D = t + lambda (sqrt(a) - c)^2  L_G = -t
 *
 * wgan's critic is phi/|phi|: undefined at phi = 0, where no extension
 * exists (the direction of phi is lost), so eval reports GDN_PT_UNDEFINED.
 */
#include "terms.h"

#include <math.h>

/* parameters of wgan-clip (table wgan_clip_params) */
struct clip_par {
    double c;
};

static const gdn_param no_params[] = {{0}};

/* r = 1/|phi|: F_t = r, F_a = -t r^3 / 2, G the opposite; undefined at
 * phi = 0 (nothing is added there). */
static GDN_ALWAYS_INLINE int wgan_lane(const double *par, double t, double a,
                                       double b, gdn__coef *c)
{
    (void)par, (void)b;
    int ok = a > 0.0;
    double r = 1.0 / sqrt(a), r3 = r * r * r;
    double ga = -0.5 * t * r3;
    c->ft = ok ? c->ft + r : c->ft, c->gt = ok ? c->gt - r : c->gt;
    c->fa = ok ? c->fa + ga : c->fa, c->ga = ok ? c->ga - ga : c->ga;
    return ok ? GDN_PT_OK : GDN_PT_UNDEFINED;
}

GDN__TERM_LANES(wgan_lanes, wgan_lane)

static int wgan_eval(const double *par, double t, double a, double b, int order,
                     gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)b;
    if (!(a > 0.0))
        return GDN_PT_UNDEFINED;
    gdn__coef c = gdn__coef_load(F, G);
    wgan_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    double r = 1.0 / sqrt(a), r3 = r * r * r;
    double v = t * r;
    F->v += v, G->v -= v;
    if (order >= GDN_ORDER_JACOBIAN) {
        double hta = -0.5 * r3, haa = 0.75 * t * r3 * r * r;
        F->h[1] += hta, F->h[3] += hta, F->h[4] += haa;
        G->h[1] -= hta, G->h[3] -= hta, G->h[4] -= haa;
    }
    return GDN_PT_OK;
}

int gdn__add_norm_penalty(double lambda, double c, double a, int order,
                          gdn_partials *F)
{
    int st = gdn__norm_penalty_lane(lambda, c, a, &F->g[1]);
    if (lambda == 0.0 || order < GDN_ORDER_FIELD)
        return st;
    if (c == 0.0) { /* lambda a: smooth everywhere */
        F->v += lambda * a;
        return st;
    }
    if (!(a > 0.0)) { /* phi = 0: value lambda c^2 */
        F->v += lambda * c * c;
        return st;
    }
    double s = sqrt(a);
    F->v += lambda * (s - c) * (s - c);
    if (order >= GDN_ORDER_JACOBIAN)
        F->h[4] += 0.5 * lambda * c / (a * s);
    return st;
}

/* wgan-gp's lanes: the bilinear part, then the penalty's case */
static GDN_ALWAYS_INLINE int wgan_gp_base(const double *par, double t,
                                          double a, double b, gdn__coef *c)
{
    (void)par, (void)t, (void)a, (void)b;
    c->ft += 1.0, c->gt -= 1.0;
    return GDN_PT_OK;
}

GDN__PENALTY_LANES(wgan_gp_lanes, wgan_gp_base, 0)

static int wgan_gp_eval(const double *par, double t, double a, double b,
                        int order, gdn_partials *F, gdn_partials *G)
{
    (void)b;
    if (order >= GDN_ORDER_FIELD)
        F->v += t, G->v -= t;
    F->g[0] += 1.0, G->g[0] -= 1.0;
    const struct gdn__penalty_par *q = (const void *)par;
    return gdn__add_norm_penalty(q->lambda, q->c, a, order, F);
}

static const gdn_param wgan_gp_params[] = {
    GDN_PARAM_ENTRY("lambda", 0.1, 0.0, INFINITY, 0, NULL,
                    "penalty weight (the seed: 0.1)", struct gdn__penalty_par,
                    lambda),
    GDN_PARAM_ENTRY("c", 1.0, 0.0, INFINITY, 0, NULL,
                    "penalty centre: 1 = Gulrajani et al., 0 = zero-centred",
                    struct gdn__penalty_par, c),
    {0}};

const gdn_term_type gdn_model_wgan = {
    .name = "wgan",
    .about = "WGAN with a critic normalised to |phi| = 1 (the seed's WGAN)",
    .loss = "L_D = t/|phi|, L_G = -t/|phi|",
    .flow = "phi' = -theta/|phi| + t phi/|phi|^3, theta' = phi/|phi|",
    .params = no_params,
    .flags = GDN_TERM_MODEL,
    .eval = wgan_eval,
    .eval_lanes = wgan_lanes,
    .singular = "the critic phi/|phi| has no direction at phi = 0: the field is undefined there",
};

const gdn_term_type gdn_model_wgan_gp = {
    .name = "wgan-gp",
    .about = "WGAN with a gradient penalty centred at c",
    .loss = "L_D = t + lambda (|phi| - c)^2, L_G = -t",
    .flow = "phi' = -theta - 2 lambda (1 - c/|phi|) phi, theta' = phi",
    .params = wgan_gp_params,
    .flags = GDN_TERM_MODEL,
    .eval = wgan_gp_eval,
    .eval_lanes = wgan_gp_lanes,
    .singular = "for c > 0 the penalty's gradient 2 lambda (1 - c/|phi|) phi has no limit at phi = 0 (its minimum-norm subgradient, 0, is used); with c = 0 it is smooth",
};

/*
 * wgan-clip (Arjovsky et al. 2017, as analysed by Mescheder et al. 2018):
 * the bilinear game L_D = t, L_G = -t, with every phi_i clipped to [-c, c]
 * after each discrete discriminator update.  The clipping is not a field, so
 * there is no flow.
 */
static GDN_ALWAYS_INLINE int wgan_clip_lane(const double *par, double t,
                                            double a, double b, gdn__coef *c)
{
    (void)par, (void)t, (void)a, (void)b;
    c->ft += 1.0, c->gt -= 1.0;
    return GDN_PT_OK;
}

GDN__TERM_LANES(wgan_clip_lanes, wgan_clip_lane)

static int wgan_clip_eval(const double *par, double t, double a, double b,
                          int order, gdn_partials *F, gdn_partials *G)
{
    gdn__coef c = gdn__coef_load(F, G);
    int st = wgan_clip_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    if (order >= GDN_ORDER_FIELD)
        F->v += t, G->v -= t;
    return st;
}

/* phi_i clipped to [-c, c] (NaN stays NaN): the one formula of both
 * projections. */
static GDN_ALWAYS_INLINE double clip(double x, double c)
{
    return x > c ? c : (x < -c ? -c : x);
}

static void wgan_clip_project(const double *par, size_t n, double *x)
{
    double c = ((const struct clip_par *)(const void *)par)->c;
    for (size_t i = 0; i < n; i++)
        x[i] = clip(x[i], c);
}

/* The same on lanes: selects, so the loop vectorises. */
GDN_VECTOR_CLONES
static void wgan_clip_project_lanes(const double *par, size_t n, size_t B,
                                    size_t L, double *x)
{
    double c = ((const struct clip_par *)(const void *)par)->c;
    for (size_t i = 0; i < n; i++) {
        double *restrict xi = x + i * B;
        #pragma omp simd
        for (size_t l = 0; l < L; l++)
            xi[l] = clip(xi[l], c);
    }
}

static const gdn_param wgan_clip_params[] = {
    GDN_PARAM_ENTRY("c", 0.01, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "clipping bound on each phi_i (Arjovsky et al.: 0.01)",
                    struct clip_par, c),
    {0}};

const gdn_term_type gdn_model_wgan_clip = {
    .name = "wgan-clip",
    .about = "WGAN with weight clipping (discrete optimizers only)",
    .loss = "L_D = t, L_G = -t; phi_i clipped to [-c, c] after each D update",
    .flow = "none (clipping is not a flow); steps: phi -= h theta, theta += h phi",
    .params = wgan_clip_params,
    .flags = GDN_TERM_MODEL,
    .eval = wgan_clip_eval,
    .eval_lanes = wgan_clip_lanes,
    .project = wgan_clip_project,
    .project_lanes = wgan_clip_project_lanes,
};
