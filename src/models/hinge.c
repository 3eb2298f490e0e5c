/*
 * hinge.c - the hinge GAN (Lim & Ye 2017; Miyato et al. 2018):
 *
 *   L_D = relu(1 - D(x_r)) + relu(1 + D(x_f)) = 1 + relu(1 + t)
 *   L_G = -D(x_f) = -t
 *   phi' = -[t > -1] theta,  theta' = phi
 *
 * At the kink t = -1 the subgradient 0 (the value of [t > -1]) is used and
 * GDN_PT_EXTENDED returned: the Jacobian does not exist there.
 */
#include "terms.h"

static const gdn_param no_params[] = {{0}};

static GDN_ALWAYS_INLINE int hinge_lane(const double *par, double t,
                                        double a, double b, gdn__coef *c)
{
    (void)par, (void)a, (void)b;
    c->ft = t > -1 ? c->ft + 1 : c->ft;
    c->gt -= 1;
    return t == -1 ? GDN_PT_EXTENDED : GDN_PT_OK;
}

GDN__TERM_LANES(hinge_lanes, hinge_lane)

static int hinge_eval(const double *par, double t, double a, double b,
                      int order, gdn_partials *F, gdn_partials *G)
{
    gdn__coef c = gdn__coef_load(F, G);
    int st = hinge_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    if (order >= GDN_ORDER_FIELD) {
        if (t > -1)
            F->v += 1 + t;
        G->v -= t;
    }
    return st;
}

const gdn_term_type gdn_model_hinge = {
    .name = "hinge",
    .about = "hinge-loss GAN (as in SN-GAN, BigGAN)",
    .loss = "L_D = relu(1 + t), L_G = -t",
    .flow = "phi' = -[t > -1] theta, theta' = phi",
    .params = no_params,
    .flags = GDN_TERM_MODEL,
    .eval = hinge_eval,
    .eval_lanes = hinge_lanes,
    .singular = "relu(1 + t) has a kink at t = -1 (theta . phi = -1)",
};
