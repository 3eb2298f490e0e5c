/*
 * second_order.c - methods that use the Jacobian J of xi.
 *
 *   consensus (Mescheder et al. 2017):  x <- x - H (xi + gamma J^T xi),
 *       J^T xi being the exact gradient of |xi|^2 / 2 (specification §6
 *       warns of an implementation with a wrong factor; the tests compare
 *       with finite differences of |xi|^2 / 2);
 *   sga (symplectic gradient adjustment, Balduzzi et al. 2018):
 *       x <- x - H (xi + lambda A^T xi),  A = (J - J^T) / 2;
 *       align=1 takes lambda's sign from sign(<xi, grad H><A^T xi, grad H>
 *       / d + 1/10), grad H = J^T xi, d = 2n, as in their Algorithm 1.
 *
 * J is never formed: J^T xi and J xi are the game's products
 * (gdn_game_vjp / gdn_game_jvp: closed forms where the game has them, the
 * dense Jacobian otherwise); where J does not exist (a non-differentiable
 * point) they are 0, the correction is 0 and plain GD is taken.
 */
#include <math.h>
#include <stddef.h>

#include "optim.h"

struct consensus_par {
    GDN__LR_FIELDS;
    double gamma;
};
struct sga_par {
    GDN__LR_FIELDS;
    double lambda, align;
};

static int consensus_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t m = ctx->game->dim * ctx->B;
    double *xi = ctx->work, *g = ctx->work + m;
    double gamma = ((const struct consensus_par *)ctx->par)->gamma;
    gdn__step_begin(ctx);
    if (gdn__grad(ctx, x, xi) == GDN_PT_UNDEFINED)
        return GDN_PT_UNDEFINED;
    /* J^T xi; its status is not the step's (no J: no correction) */
    gdn_game_vjp(ctx->game, ctx->B, x, xi, g, NULL);
    for (size_t i = 0; i < m; i++)
        g[i] = xi[i] + gamma * g[i];
    gdn__descend(ctx, x, g);
    gdn__constrain(ctx, x);
    return gdn__step_end(ctx);
}

static int sga_step(struct gdn_step_ctx *ctx, double *x)
{
    const struct sga_par *q = ctx->par;
    size_t B = ctx->B, m = ctx->game->dim * B;
    double *xi = ctx->work, *jtxi = ctx->work + m, *g = ctx->work + 2 * m;
    gdn__step_begin(ctx);
    if (gdn__grad(ctx, x, xi) == GDN_PT_UNDEFINED)
        return GDN_PT_UNDEFINED;
    gdn_game_jvp_vjp(ctx->game, B, x, xi, g, jtxi, NULL); /* J xi, J^T xi */
    double *atxi = g; /* A^T xi = (J^T xi - J xi) / 2 */
    for (size_t i = 0; i < m; i++)
        atxi[i] = 0.5 * (jtxi[i] - g[i]);
    for (size_t b = 0; b < B; b++) {
        double lambda = q->lambda;
        if (q->align != 0) {
            double p = 0, r = 0;
            for (size_t i = b; i < m; i += B) {
                p += xi[i] * jtxi[i];
                r += atxi[i] * jtxi[i];
            }
            double sign =
                p * r / (double)ctx->game->dim + 0.1 >= 0 ? 1.0 : -1.0;
            lambda = sign * fabs(lambda);
        }
        for (size_t i = b; i < m; i += B)
            g[i] = xi[i] + lambda * atxi[i];
    }
    gdn__descend(ctx, x, g);
    gdn__constrain(ctx, x);
    return gdn__step_end(ctx);
}

static const gdn_param consensus_params[] = {
    GDN__LR_PARAMS(0.1, struct consensus_par),
    GDN_PARAM_ENTRY("gamma", 0.1, 0, INFINITY, 0, NULL,
                    "weight of grad |xi|^2/2", struct consensus_par, gamma),
    {0}};

static const gdn_param sga_params[] = {
    GDN__LR_PARAMS(0.1, struct sga_par),
    GDN_PARAM_ENTRY("lambda", 1.0, -INFINITY, INFINITY, 0, NULL,
                    "weight of the antisymmetric correction", struct sga_par,
                    lambda),
    GDN_PARAM_ENTRY("align", 0, 0, 1, GDN_PARAM_ENUM, "0|1",
                    "1: choose lambda's sign by alignment (Balduzzi et al.)",
                    struct sga_par, align),
    {0}};

/* no memory: the products are scratch */

const gdn_opt_type gdn_opt_consensus = {
    .name = "consensus",
    .about = "consensus optimization: descend xi + gamma grad |xi|^2/2",
    .update = "x <- x - H (xi + gamma J^T xi)",
    .params = consensus_params,
    .mem_size = gdn__no_mem,
    .step = consensus_step,
};

const gdn_opt_type gdn_opt_sga = {
    .name = "sga",
    .about = "symplectic gradient adjustment",
    .update = "x <- x - H (xi + lambda A^T xi), A = (J - J^T)/2",
    .params = sga_params,
    .mem_size = gdn__no_mem,
    .step = sga_step,
};
