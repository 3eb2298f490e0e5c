/*
 * noise.c - instance noise (Sonderby et al. 2017; Arjovsky & Bottou 2017)
 * on the sigmoid losses, computed without sampling.
 *
 * Gaussian noise eps ~ N(0, sigma^2 I) on both samples makes the critic's
 * logits Gaussian: on the real point u_r = phi.eps ~ N(0, sigma^2 a), on the
 * fake u_f ~ N(t, sigma^2 a).  With S(m, v) = E softplus(m + sqrt(v) z):
 *
 *   L_D = E softplus(-u_r) + E softplus(u_f) = S(0, v) + S(t, v),  v = sigma^2 a
 *   L_G = -S(t, v) (gan)   or   S(-t, v) (nsgan)
 *
 * By the heat equation (Stein's identity twice), dS/dv = E f''/2, so every
 * partial is an expectation of a derivative of softplus:
 *   S_m = E f',  S_v = E f''/2,  S_mm = E f'',  S_mv = E f'''/2,
 *   S_vv = E f''''/4,
 * with f' = s, f'' = s s-, f''' = s s- (s- - s), f'''' = s s- (1 - 6 s s-),
 * s = sigmoid, s- = sigmoid(-.).  The expectations use a 200-point
 * Gauss-Hermite rule generated at build time (tools/gen_gauss_hermite.c):
 * for sqrt(v) = sigma |phi| <= 2 the partials agree with composite
 * Gauss-Legendre quadrature to 1e-12 (tests/test_catalogue.c; the
 * 100-point rule reached only 1e-9 there).
 */
#include "terms.h"

#include <math.h>

#include "gauss_hermite.h"

/* E f^(k)(m + sqrt(v) z) for k = 0..4 (f = softplus), into e[5]. */
static void expect_softplus(double m, double v, double e[5])
{
    double s = sqrt(v) * 1.41421356237309504880; /* x -> m + sqrt(2 v) x */
    for (int k = 0; k < 5; k++)
        e[k] = 0;
    if (v == 0) { /* no noise, or phi = 0: a point, not an average */
        double p = gdn_sigmoid(m), q = gdn_sigmoid(-m), pq = p * q;
        e[0] = gdn_softplus(m), e[1] = p, e[2] = pq;
        e[3] = pq * (q - p), e[4] = pq * (1 - 6 * pq);
        return;
    }
    /* smallest weights (outermost nodes) first: less rounding */
    for (int i = GDN_GH_HALF - 1; i >= 0; i--) {
        for (int sign = -1; sign <= 1; sign += 2) {
            double u = m + sign * s * gdn_gh_x[i], w = gdn_gh_w[i];
            double p = gdn_sigmoid(u), q = gdn_sigmoid(-u), pq = p * q;
            e[0] += w * gdn_softplus(u);
            e[1] += w * p;
            e[2] += w * pq;
            e[3] += w * pq * (q - p);
            e[4] += w * pq * (1 - 6 * pq);
        }
    }
    for (int k = 0; k < 5; k++)
        e[k] *= 0.56418958354775628695; /* 1/sqrt(pi) */
}

/* Adds sign * S(sm m0, v) as a function of (t, a), where m0 = t (sm = +-1)
 * or 0 (sm = 0), into P; sigma2 = dv/da. */
static void add_S(gdn_partials *P, double sign, double sm, double t,
                  double sigma2, double a, int order)
{
    double e[5];
    expect_softplus(sm * t, sigma2 * a, e);
    P->v += sign * e[0];
    P->g[0] += sign * sm * e[1];
    P->g[1] += sign * sigma2 * 0.5 * e[2];
    if (order >= GDN_ORDER_JACOBIAN) {
        double tt = sm * sm * e[2], ta = sm * sigma2 * 0.5 * e[3];
        double aa = sigma2 * sigma2 * 0.25 * e[4];
        P->h[0] += sign * tt;
        P->h[1] += sign * ta;
        P->h[3] += sign * ta;
        P->h[4] += sign * aa;
    }
}

int gdn__noisy_sigmoid(int nonsaturating, double sigma, double t, double a,
                       int order, gdn_partials *F, gdn_partials *G)
{
    double s2 = sigma * sigma;
    add_S(F, 1.0, 0.0, t, s2, a, order); /* real sample */
    add_S(F, 1.0, 1.0, t, s2, a, order); /* fake sample */
    if (nonsaturating)
        add_S(G, 1.0, -1.0, t, s2, a, order);
    else
        add_S(G, -1.0, 1.0, t, s2, a, order);
    return GDN_PT_OK;
}

static int noise_eval(const double *par, double t, double a, double b,
                      int order, gdn_partials *F, gdn_partials *G)
{
    /* applied by the system through the model's eval_noisy */
    (void)par, (void)t, (void)a, (void)b, (void)order, (void)F, (void)G;
    return GDN_PT_OK;
}

/* Nothing either: the model's eval_noisy runs lane by lane. */
static void noise_lanes(const double *par, size_t L, const double *t,
                        const double *a, const double *b, double *const F[3],
                        double *const G[3], int *st)
{
    (void)par, (void)L, (void)t, (void)a, (void)b, (void)F, (void)G, (void)st;
}

static const gdn_param noise_params[] = {
    GDN_PARAM_ENTRY("sigma", 0.5, 0.0, INFINITY, 0, NULL,
                    "standard deviation of the instance noise on both samples",
                    struct gdn__noise_par, sigma),
    {0}};

const gdn_term_type gdn_reg_noise = {
    .name = "noise",
    .about = "instance noise on real and fake samples (sigmoid losses)",
    .loss = "real logit ~ N(0, sigma^2 |phi|^2), fake ~ N(t, sigma^2 |phi|^2), " "expectations by Gauss-Hermite",
    .flow = "nsgan: phi' = -E sigmoid(u_f) theta - sigma^2 (E s s-(u_r) + E s s-(u_f)) phi",
    .params = noise_params,
    .flags = GDN_TERM_NOISE,
    .eval = noise_eval,
    .eval_lanes = noise_lanes,
};
