/*
 * lsgan.c - least-squares GAN (Mao et al. 2017) with labels real 1, fake 0
 * and a linear critic output (no sigmoid):
 *
 *   L_D = (D(x_r) - 1)^2/2 + D(x_f)^2/2 = 1/2 + t^2/2   (constant dropped)
 *   L_G = (D(x_f) - 1)^2/2 = (t - 1)^2/2
 *   phi' = -t theta,  theta' = (1 - t) phi
 *
 * At the equilibrium the Jacobian of the flow is [[0, 0], [I, 0]]: a double
 * zero eigenvalue, linearly neutral.
 */
#include "terms.h"

static const gdn_param no_params[] = {{0}};

static GDN_ALWAYS_INLINE int lsgan_lane(const double *par, double t,
                                        double a, double b, gdn__coef *c)
{
    (void)par, (void)a, (void)b;
    c->ft += t;
    c->gt += t - 1;
    return GDN_PT_OK;
}

GDN__TERM_LANES(lsgan_lanes, lsgan_lane)

static int lsgan_eval(const double *par, double t, double a, double b,
                      int order, gdn_partials *F, gdn_partials *G)
{
    gdn__coef c = gdn__coef_load(F, G);
    lsgan_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    if (order < GDN_ORDER_FIELD)
        return GDN_PT_OK;
    F->v += 0.5 * t * t;
    G->v += 0.5 * (t - 1) * (t - 1);
    if (order >= GDN_ORDER_JACOBIAN) {
        F->h[0] += 1.0;
        G->h[0] += 1.0;
    }
    return GDN_PT_OK;
}

const gdn_term_type gdn_model_lsgan = {
    .name = "lsgan",
    .about = "least-squares GAN, labels real 1 / fake 0, linear output",
    .loss = "L_D = t^2/2, L_G = (t - 1)^2/2",
    .flow = "phi' = -t theta, theta' = (1 - t) phi",
    .params = no_params,
    .flags = GDN_TERM_MODEL,
    .eval = lsgan_eval,
    .eval_lanes = lsgan_lanes,
};
