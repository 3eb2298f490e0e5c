/*
 * gan_qp.c - GAN-QP (Su 2018), the quadratic-potential GAN of the seed.
 *
 * divisor=theta (default, the seed's text; |x_f - x_r| = |theta|):
 *   L_D = t + t^2 / (2 lambda |theta|),   L_G = -t
 *   phi' = -theta - t theta / (lambda |theta|),  theta' = phi
 * At theta = 0 we have t = 0 and |t| / |theta| <= |phi|, so the field term
 * t theta / |theta| has the continuous extension 0 (GDN_PT_EXTENDED).
 *
 * divisor=phi (the seed's published plotting script): the script's field
 *   phi' = -theta - t theta / (lambda |phi|),  theta' = phi
 * is not the gradient of t + t^2/(2 lambda |phi|): it is that loss with |phi|
 * held constant (a stop-gradient), so the term is field-only (model.h rule
 * 2): g = (1 + t/(lambda |phi|), 0, 0).  At phi = 0 t/|phi| has no limit and
 * the field is undefined.
 */
#include "terms.h"

#include <math.h>

enum { DIV_THETA = 0, DIV_PHI = 1 };

/* parameters (table gan_qp_params) */
struct gan_qp_par {
    double lambda, divisor;
};

/* F_t = 1 + q, q = t / (lambda d), d = |theta| (or |phi|), and with
 * d = |theta| F_b = -t q / (4 d^2); G_t = -1.  At d = 0: theta = 0 gives
 * t = 0, where the quadratic term extends by 0; phi = 0 is undefined. */
static GDN_ALWAYS_INLINE int gan_qp_lane_div(const double *par, double t,
                                             double a, double b,
                                             gdn__coef *c, int div_phi)
{
    const struct gan_qp_par *qp = (const void *)par;
    double lambda = qp->lambda;
    double d2 = div_phi ? a : b; /* squared divisor */
    int pos = d2 > 0.0;
    double s = sqrt(d2), q = t / (lambda * s);
    c->gt -= 1.0;
    if (div_phi) {
        c->ft = pos ? c->ft + (1.0 + q) : c->ft;
        return pos ? GDN_PT_OK : GDN_PT_UNDEFINED;
    }
    c->ft += pos ? 1.0 + q : 1.0;
    c->fb = pos ? c->fb + -0.25 * t * q / d2 : c->fb;
    return pos ? GDN_PT_OK : GDN_PT_EXTENDED;
}

static GDN_ALWAYS_INLINE int gan_qp_lane(const double *par, double t,
                                         double a, double b, gdn__coef *c)
{
    int div_phi = ((const struct gan_qp_par *)(const void *)par)->divisor ==
                  DIV_PHI;
    return gan_qp_lane_div(par, t, a, b, c, div_phi);
}

/* The lanes of each divisor: the branch on it taken once, outside the
 * loop, which then vectorises. */
static GDN_ALWAYS_INLINE int gan_qp_lane_theta(const double *par, double t,
                                               double a, double b,
                                               gdn__coef *c)
{
    return gan_qp_lane_div(par, t, a, b, c, 0);
}

static GDN_ALWAYS_INLINE int gan_qp_lane_phi(const double *par, double t,
                                             double a, double b, gdn__coef *c)
{
    return gan_qp_lane_div(par, t, a, b, c, 1);
}

GDN__TERM_LANES(gan_qp_lanes_theta, gan_qp_lane_theta)
GDN__TERM_LANES(gan_qp_lanes_phi, gan_qp_lane_phi)

static void gan_qp_lanes(const double *par, size_t L, const double *t,
                         const double *a, const double *b, double *const F[3],
                         double *const G[3], int *st)
{
    if (((const struct gan_qp_par *)(const void *)par)->divisor == DIV_PHI)
        gan_qp_lanes_phi(par, L, t, a, b, F, G, st);
    else
        gan_qp_lanes_theta(par, L, t, a, b, F, G, st);
}

static int gan_qp_eval(const double *par, double t, double a, double b,
                       int order, gdn_partials *F, gdn_partials *G)
{
    const struct gan_qp_par *qp = (const void *)par;
    double lambda = qp->lambda;
    int div_phi = qp->divisor == DIV_PHI;
    double d2 = div_phi ? a : b; /* squared divisor */

    gdn__coef c = gdn__coef_load(F, G);
    int st = gan_qp_lane(par, t, a, b, &c);
    gdn__coef_store(&c, F, G);
    G->v -= t;
    if (!(d2 > 0.0))
        return st;
    double s = sqrt(d2), q = t / (lambda * s);
    F->v += t + 0.5 * t * q;
    if (order >= GDN_ORDER_JACOBIAN) {
        int j = div_phi ? 1 : 2; /* column of the divisor: a or b */
        F->h[0] += 1.0 / (lambda * s);
        F->h[j] += -0.5 * q / d2; /* d g_t / d divisor^2 */
        if (!div_phi) {
            F->h[6] += -0.5 * q / d2;               /* d g_b / d t */
            F->h[8] += 0.375 * t * q / (d2 * d2); /* d g_b / d b */
        }
    }
    return GDN_PT_OK;
}

static int gan_qp_is_potential(const double *par)
{
    return ((const struct gan_qp_par *)(const void *)par)->divisor != DIV_PHI;
}

static const gdn_param gan_qp_params[] = {
    GDN_PARAM_ENTRY("lambda", 1.0, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "weight of the quadratic potential (the seed: 1)",
                    struct gan_qp_par, lambda),
    GDN_PARAM_ENTRY("divisor", DIV_THETA, 0, 1, GDN_PARAM_ENUM, "theta|phi",
                    "theta: the seed's text; phi: the seed's plotting script "
                    "(field-only)", struct gan_qp_par, divisor),
    {0}};

const gdn_term_type gdn_model_gan_qp = {
    .name = "gan-qp",
    .about = "GAN-QP, the quadratic-potential GAN (Su 2018)",
    .loss = "L_D = t + t^2/(2 lambda |theta|), L_G = -t",
    .flow = "phi' = -theta - t theta/(lambda |theta|), theta' = phi",
    .params = gan_qp_params,
    .flags = GDN_TERM_MODEL,
    .eval = gan_qp_eval,
    .eval_lanes = gan_qp_lanes,
    .is_potential = gan_qp_is_potential,
    .singular = "the term t theta/(lambda |theta|) tends to 0 at theta = 0 but has no derivative there (divisor=phi: t/|phi| is undefined at phi = 0)",
};
