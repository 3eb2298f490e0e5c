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

static const gdn_param no_params[] = {{0}};

static int wgan_eval(const double *par, double t, double a, double b, int order,
                     gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)b;
    if (!(a > 0.0))
        return GDN_PT_UNDEFINED;
    double r = 1.0 / sqrt(a), r3 = r * r * r;
    double v = t * r, ga = -0.5 * t * r3;
    F->v += v, G->v -= v;
    F->g[0] += r, G->g[0] -= r;
    F->g[1] += ga, G->g[1] -= ga;
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
    if (c == 0.0) { /* lambda a: smooth everywhere */
        F->v += lambda * a;
        F->g[1] += lambda;
        return GDN_PT_OK;
    }
    if (!(a > 0.0)) { /* phi = 0: value lambda c^2, min-norm subgradient */
        F->v += lambda * c * c;
        F->g[1] += lambda; /* multiplies phi = 0: any finite value gives 0 */
        return GDN_PT_EXTENDED;
    }
    double s = sqrt(a);
    F->v += lambda * (s - c) * (s - c);
    F->g[1] += lambda * (1.0 - c / s);
    if (order >= GDN_ORDER_JACOBIAN)
        F->h[4] += 0.5 * lambda * c / (a * s);
    return GDN_PT_OK;
}

static int wgan_gp_eval(const double *par, double t, double a, double b,
                        int order, gdn_partials *F, gdn_partials *G)
{
    (void)b;
    F->v += t, G->v -= t;
    F->g[0] += 1.0, G->g[0] -= 1.0;
    return gdn__add_norm_penalty(par[0], par[1], a, order, F);
}

static const gdn_param wgan_gp_params[] = {
    {"lambda", 0.1, 0.0, INFINITY, 0, NULL, "penalty weight (the seed: 0.1)"},
    {"c", 1.0, 0.0, INFINITY, 0, NULL,
     "penalty centre: 1 = Gulrajani et al., 0 = zero-centred"},
    {0}};

const gdn_term_type gdn_model_wgan = {
    "wgan", "WGAN with a critic normalised to |phi| = 1 (the seed's WGAN)",
    "L_D = t/|phi|, L_G = -t/|phi|",
    "phi' = -theta/|phi| + t phi/|phi|^3, theta' = phi/|phi|",
    no_params, GDN_TERM_MODEL, wgan_eval, NULL};

const gdn_term_type gdn_model_wgan_gp = {
    "wgan-gp", "WGAN with a gradient penalty centred at c",
    "L_D = t + lambda (|phi| - c)^2, L_G = -t",
    "phi' = -theta - 2 lambda (1 - c/|phi|) phi, theta' = phi",
    wgan_gp_params, GDN_TERM_MODEL, wgan_gp_eval, NULL};
