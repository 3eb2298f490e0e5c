/*
 * sigmoid_gans.c - the sigmoid-cross-entropy GANs (Goodfellow et al. 2014).
 *
 * With D(x) = sigmoid(phi . x), the real point x_r = 0 gives the constant
 * log 2 (dropped) and the fake point gives logit t = theta . phi:
 *
 *   gan   (saturating minimax)  L_D = softplus(t)   L_G = -softplus(t)
 *   nsgan (non-saturating)      L_D = softplus(t)   L_G =  softplus(-t)
 *
 * d softplus(t)/dt = sigmoid(t), d sigmoid(t)/dt = sigmoid(t) sigmoid(-t).
 * sigmoid(-t) is computed directly, not as 1 - sigmoid(t), so that the
 * generator's field keeps its relative precision when D is confident.
 */
#include "gandyn/model.h"

static const gdn_param no_params[] = {{0}};

/* L_D = softplus(t), shared by both models. */
static void add_disc(double t, int order, gdn_partials *F)
{
    double s = gdn_sigmoid(t), sm = gdn_sigmoid(-t);
    F->v += gdn_softplus(t);
    F->g[0] += s;
    if (order >= GDN_ORDER_JACOBIAN)
        F->h[0] += s * sm;
}

static int gan_eval(const double *par, double t, double a, double b, int order,
                    gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)a, (void)b;
    double s = gdn_sigmoid(t), sm = gdn_sigmoid(-t);
    add_disc(t, order, F);
    G->v -= gdn_softplus(t);
    G->g[0] -= s;
    if (order >= GDN_ORDER_JACOBIAN)
        G->h[0] -= s * sm;
    return GDN_PT_OK;
}

static int nsgan_eval(const double *par, double t, double a, double b,
                      int order, gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)a, (void)b;
    double s = gdn_sigmoid(t), sm = gdn_sigmoid(-t);
    add_disc(t, order, F);
    G->v += gdn_softplus(-t);
    G->g[0] -= sm;
    if (order >= GDN_ORDER_JACOBIAN)
        G->h[0] += s * sm;
    return GDN_PT_OK;
}

const gdn_term_type gdn_model_gan = {
    "gan", "saturating minimax GAN (Goodfellow et al. 2014)",
    "L_D = softplus(t), L_G = -softplus(t)",
    "phi' = -sigmoid(t) theta, theta' = sigmoid(t) phi",
    no_params, GDN_TERM_MODEL, gan_eval, NULL};

const gdn_term_type gdn_model_nsgan = {
    "nsgan", "non-saturating GAN (the seed's \"vanilla GAN\")",
    "L_D = softplus(t), L_G = softplus(-t)",
    "phi' = -sigmoid(t) theta, theta' = (1 - sigmoid(t)) phi",
    no_params, GDN_TERM_MODEL, nsgan_eval, NULL};
