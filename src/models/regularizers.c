/*
 * regularizers.c - penalties added to one player's loss, for any model.
 *
 *   l2  (gamma)      L_D += (gamma/2) |phi|^2       weight decay on D
 *   r1  (gamma)      L_D += (gamma/2) |grad_x D(x_r)|^2
 *   r2  (gamma)      L_D += (gamma/2) |grad_x D(x_f)|^2
 *   gp  (lambda, c)  L_D += lambda (|grad_x D| - c)^2
 *   l2g (gamma)      L_G += (gamma/2) |theta|^2     weight decay on G
 *
 * For the linear discriminator D(x) = phi . x the input gradient is phi at
 * every x, so r1 and r2 are both exactly l2 (Mescheder et al. 2018 make the
 * same remark); they are kept as names because that coincidence is itself a
 * fact about the Dirac GAN.  R2 is taken with respect to the fake sample x_f,
 * not the generator's noise input.
 */
#include "terms.h"

#include <math.h>

/* parameters of l2, l2g, r1, r2 (table gamma_params) */
struct gamma_par {
    double gamma;
};

static GDN_ALWAYS_INLINE int l2_lane(const double *par, double t, double a,
                                     double b, gdn__coef *c)
{
    (void)t, (void)a, (void)b;
    c->fa += 0.5 * ((const struct gamma_par *)(const void *)par)->gamma;
    return GDN_PT_OK;
}

GDN__TERM_LANES(l2_lanes, l2_lane)

static int l2_eval(const double *par, double t, double a, double b, int order,
                   gdn_partials *F, gdn_partials *G)
{
    gdn__coef c = gdn__coef_load(F, G);
    int st = l2_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    if (order >= GDN_ORDER_FIELD)
        F->v += 0.5 * ((const struct gamma_par *)(const void *)par)->gamma * a;
    return st;
}

static GDN_ALWAYS_INLINE int l2g_lane(const double *par, double t, double a,
                                      double b, gdn__coef *c)
{
    (void)t, (void)a, (void)b;
    c->gb += 0.5 * ((const struct gamma_par *)(const void *)par)->gamma;
    return GDN_PT_OK;
}

GDN__TERM_LANES(l2g_lanes, l2g_lane)

static int l2g_eval(const double *par, double t, double a, double b, int order,
                    gdn_partials *F, gdn_partials *G)
{
    gdn__coef c = gdn__coef_load(F, G);
    int st = l2g_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    if (order >= GDN_ORDER_FIELD)
        G->v += 0.5 * ((const struct gamma_par *)(const void *)par)->gamma * b;
    return st;
}

/* gp's lanes: the penalty's case alone */
static GDN_ALWAYS_INLINE int gp_base(const double *par, double t, double a,
                                     double b, gdn__coef *c)
{
    (void)par, (void)t, (void)a, (void)b, (void)c;
    return GDN_PT_OK;
}

GDN__PENALTY_LANES(gp_lanes, gp_base, 0)

static int gp_eval(const double *par, double t, double a, double b, int order,
                   gdn_partials *F, gdn_partials *G)
{
    (void)t, (void)b, (void)G;
    const struct gdn__penalty_par *q = (const void *)par;
    return gdn__add_norm_penalty(q->lambda, q->c, a, order, F);
}

static const gdn_param gamma_params[] = {
    GDN_PARAM_ENTRY("gamma", 0.1, 0.0, INFINITY, 0, NULL, "penalty weight",
                    struct gamma_par, gamma),
    {0}};

static const gdn_param gp_params[] = {
    GDN_PARAM_ENTRY("lambda", 0.1, 0.0, INFINITY, 0, NULL, "penalty weight",
                    struct gdn__penalty_par, lambda),
    GDN_PARAM_ENTRY("c", 1.0, 0.0, INFINITY, 0, NULL,
                    "penalty centre (0: zero-centred)",
                    struct gdn__penalty_par, c),
    {0}};

const gdn_term_type gdn_reg_l2 = {
    .name = "l2",
    .about = "weight decay on the discriminator",
    .loss = "L_D += (gamma/2) |phi|^2",
    .flow = "phi' -= gamma phi",
    .params = gamma_params,
    .flags = 0,
    .eval = l2_eval,
    .eval_lanes = l2_lanes,
};

const gdn_term_type gdn_reg_r1 = {
    .name = "r1",
    .about = "zero-centred gradient penalty on real data (= l2 for linear D)",
    .loss = "L_D += (gamma/2) |grad_x D(0)|^2 = (gamma/2) |phi|^2",
    .flow = "phi' -= gamma phi",
    .params = gamma_params,
    .flags = 0,
    .eval = l2_eval,
    .eval_lanes = l2_lanes,
};

const gdn_term_type gdn_reg_r2 = {
    .name = "r2",
    .about = "zero-centred gradient penalty on fake data (= l2 for linear D)",
    .loss = "L_D += (gamma/2) |grad_x D(theta)|^2 = (gamma/2) |phi|^2",
    .flow = "phi' -= gamma phi",
    .params = gamma_params,
    .flags = 0,
    .eval = l2_eval,
    .eval_lanes = l2_lanes,
};

const gdn_term_type gdn_reg_gp = {
    .name = "gp",
    .about = "WGAN-GP-style gradient penalty, for any model",
    .loss = "L_D += lambda (|phi| - c)^2",
    .flow = "phi' -= 2 lambda (1 - c/|phi|) phi",
    .params = gp_params,
    .flags = 0,
    .eval = gp_eval,
    .eval_lanes = gp_lanes,
    .singular = "for c > 0 the penalty's gradient has no limit at phi = 0",
};

const gdn_term_type gdn_reg_l2g = {
    .name = "l2g",
    .about = "weight decay on the generator",
    .loss = "L_G += (gamma/2) |theta|^2",
    .flow = "theta' -= gamma theta",
    .params = gamma_params,
    .flags = 0,
    .eval = l2g_eval,
    .eval_lanes = l2g_lanes,
};
