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
#include "terms.h"

#include <math.h>


static const gdn_param no_params[] = {{0}};

/* The field coefficients: F_t = sigmoid(t); G_t = -sigmoid(t) (gan) or
 * -sigmoid(-t) (nsgan). */
static GDN_ALWAYS_INLINE int gan_lane(const double *par, double t, double a,
                                      double b, gdn__coef *c)
{
    (void)par, (void)a, (void)b;
    double s, sm, e;
    gdn__sigmoids(t, &s, &sm, &e);
    c->ft += s;
    c->gt -= s;
    return GDN_PT_OK;
}

static GDN_ALWAYS_INLINE int nsgan_lane(const double *par, double t,
                                        double a, double b, gdn__coef *c)
{
    (void)par, (void)a, (void)b;
    double s, sm, e;
    gdn__sigmoids(t, &s, &sm, &e);
    c->ft += s;
    c->gt -= sm;
    return GDN_PT_OK;
}

GDN__TERM_LANES(gan_lanes, gan_lane)
GDN__TERM_LANES(nsgan_lanes, nsgan_lane)

/* The value and the Jacobian: L_D = softplus(t) = max(t, 0) +
 * log1p(exp(-|t|)) for both, d sigmoid(t)/dt = sigmoid(t) sigmoid(-t). */
static int sigmoid_eval(int ns, double t, int order, gdn_partials *F,
                        gdn_partials *G)
{
    gdn__coef c = gdn__coef_load(F, G);
    int st = ns ? nsgan_lane(NULL, t, 0, 0, &c) : gan_lane(NULL, t, 0, 0, &c);
    gdn__coef_store(&c, F, G);
    if (order < GDN_ORDER_FIELD)
        return st;
    double s, sm, e;
    gdn__sigmoids(t, &s, &sm, &e);
    double sp = fmax(t, 0.0) + gdn__log1p(e);
    F->v += sp;
    if (ns)
        G->v += fmax(-t, 0.0) + gdn__log1p(e);
    else
        G->v -= sp;
    if (order >= GDN_ORDER_JACOBIAN) {
        F->h[0] += s * sm;
        if (ns)
            G->h[0] += s * sm;
        else
            G->h[0] -= s * sm;
    }
    return st;
}

static int gan_eval(const double *par, double t, double a, double b, int order,
                    gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)a, (void)b;
    return sigmoid_eval(0, t, order, F, G);
}

static int nsgan_eval(const double *par, double t, double a, double b,
                      int order, gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)a, (void)b;
    return sigmoid_eval(1, t, order, F, G);
}

static int gan_noisy(const double *par, double sigma, double t, double a,
                     double b, int order, gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)b;
    return gdn__noisy_sigmoid(0, sigma, t, a, order, F, G);
}

static int nsgan_noisy(const double *par, double sigma, double t, double a,
                       double b, int order, gdn_partials *F, gdn_partials *G)
{
    (void)par, (void)b;
    return gdn__noisy_sigmoid(1, sigma, t, a, order, F, G);
}

const gdn_term_type gdn_model_gan = {
    .name = "gan",
    .about = "saturating minimax GAN (Goodfellow et al. 2014)",
    .loss = "L_D = softplus(t), L_G = -softplus(t)",
    .flow = "phi' = -sigmoid(t) theta, theta' = sigmoid(t) phi",
    .params = no_params,
    .flags = GDN_TERM_MODEL,
    .eval = gan_eval,
    .eval_lanes = gan_lanes,
    .eval_noisy = gan_noisy,
};

const gdn_term_type gdn_model_nsgan = {
    .name = "nsgan",
    .about = "non-saturating GAN (the seed's \"vanilla GAN\")",
    .loss = "L_D = softplus(t), L_G = softplus(-t)",
    .flow = "phi' = -sigmoid(t) theta, theta' = (1 - sigmoid(t)) phi",
    .params = no_params,
    .flags = GDN_TERM_MODEL,
    .eval = nsgan_eval,
    .eval_lanes = nsgan_lanes,
    .eval_noisy = nsgan_noisy,
};
