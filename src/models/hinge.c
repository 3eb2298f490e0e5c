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

static int hinge_eval(const double *par, double t, double a, double b,
                      int order, gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)a, (void)b, (void)order;
    if (t > -1) {
        F->v += 1 + t;
        F->g[0] += 1;
    }
    G->v -= t;
    G->g[0] -= 1;
    return t == -1 ? GDN_PT_EXTENDED : GDN_PT_OK;
}

const gdn_term_type gdn_model_hinge = {
    .name = "hinge",
    .about = "hinge-loss GAN (as in SN-GAN, BigGAN)",
    .loss = "L_D = relu(1 + t), L_G = -t",
    .flow = "phi' = -[t > -1] theta, theta' = phi",
    .params = no_params,
    .flags = GDN_TERM_MODEL,
    .eval = hinge_eval,
    .singular = "relu(1 + t) has a kink at t = -1 (theta . phi = -1)",
};
