/*
 * extragradient.c - methods that look ahead or back, both players at once.
 *
 *   extragradient (Korpelevich 1976):  x' = x - H xi(x);  x <- x - H xi(x')
 *   ogda (optimistic GD, Daskalakis et al. 2018):
 *       x_{k+1} = x_k - 2 H xi(x_k) + H xi(x_{k-1}),  the first step plain GD
 *
 * wgan-clip's projection follows every discriminator update, the
 * extrapolated point included.
 */
#include <stddef.h>
#include <string.h>

#include "optim.h"

static int extragradient_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t m = ctx->game->dim * ctx->B;
    double *xi = ctx->work, *xh = ctx->work + m;
    gdn__step_begin(ctx);
    if (gdn__grad(ctx, x, xi) == GDN_PT_UNDEFINED)
        return GDN_PT_UNDEFINED;
    memcpy(xh, x, m * sizeof *x);
    gdn__descend(ctx, xh, xi);
    gdn__constrain(ctx, xh);
    if (gdn__grad(ctx, xh, xi) == GDN_PT_UNDEFINED)
        return GDN_PT_UNDEFINED;
    gdn__descend(ctx, x, xi);
    gdn__constrain(ctx, x);
    return gdn__step_end(ctx);
}

/* memory: the previous gradient (dim rows), then 1 once it exists */
static size_t ogda_mem(const gdn_game *g) { return g->dim + 1; }
static size_t ogda_lin_mem(const gdn_game *g) { return g->dim; }
static void ogda_lin_init(const gdn_game *g, size_t B, double *mem)
{
    for (size_t b = 0; b < B; b++)
        mem[g->dim * B + b] = 1;
}

static int ogda_step(struct gdn_step_ctx *ctx, double *x)
{
    const gdn_game *gm = ctx->game;
    size_t B = ctx->B, m = gm->dim * B;
    double *xi = ctx->work, *prev = ctx->mem, *have = ctx->mem + m;
    gdn__step_begin(ctx);
    if (gdn__grad(ctx, x, xi) == GDN_PT_UNDEFINED)
        return GDN_PT_UNDEFINED;
    for (size_t p = 0; B == 1 && p < gm->nplayers; p++) {
        double h = ctx->lr[p];
        for (size_t i = gm->off[p]; i < gm->off[p + 1]; i++)
            x[i] -= h * (have[0] != 0 ? 2 * xi[i] - prev[i] : xi[i]);
    }
    for (size_t p = 0; B > 1 && p < gm->nplayers; p++) {
        const double *lr = ctx->lr + p * B;
        for (size_t i = gm->off[p] * B; i < gm->off[p + 1] * B; i += B)
            for (size_t b = 0; b < B; b++) {
                double g = have[b] != 0 ? 2 * xi[i + b] - prev[i + b]
                                        : xi[i + b];
                x[i + b] -= lr[b] * g;
            }
    }
    memcpy(prev, xi, m * sizeof *xi);
    for (size_t b = 0; b < B; b++)
        have[b] = 1;
    gdn__constrain(ctx, x);
    return gdn__step_end(ctx);
}

static const gdn_param lr_params[] = {GDN__LR_PARAMS(0.1, struct gdn__lr_par),
                                      {0}};

const gdn_opt_type gdn_opt_extragradient = {
    .name = "extragradient",
    .about = "extragradient: step from the extrapolated point",
    .update = "x' = x - H xi(x); x <- x - H xi(x')",
    .params = lr_params,
    .mem_size = gdn__no_mem,
    .step = extragradient_step,
};

const gdn_opt_type gdn_opt_ogda = {
    .name = "ogda",
    .about = "optimistic gradient descent (first step plain GD)",
    .update = "x <- x - 2 H xi(x_k) + H xi(x_{k-1})",
    .params = lr_params,
    .mem_size = ogda_mem,
    .step = ogda_step,
    .lin_mem = ogda_lin_mem,   /* the previous gradient is state */
    .lin_init = ogda_lin_init, /* past the first step */
};
