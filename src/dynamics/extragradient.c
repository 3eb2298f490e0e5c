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
#include <string.h>

#include "optim.h"

static int worst(int a, int b) { return a > b ? a : b; }

static int extragradient_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t m = 2 * ctx->sys->n;
    double *xi = ctx->work, *xh = ctx->work + m;
    int st = gdn__grad(ctx, x, xi), s2;
    if (st == GDN_PT_UNDEFINED)
        return st;
    memcpy(xh, x, m * sizeof *x);
    gdn__descend(ctx, xh, xi);
    gdn__constrain(ctx, xh);
    if ((s2 = gdn__grad(ctx, xh, xi)) == GDN_PT_UNDEFINED)
        return s2;
    gdn__descend(ctx, x, xi);
    gdn__constrain(ctx, x);
    return worst(st, s2);
}

/* memory: the previous gradient (2n), then 1 once it exists */
static size_t ogda_mem(size_t n) { return 2 * n + 1; }
static size_t ogda_lin_mem(size_t n) { return 2 * n; }
static void ogda_lin_init(double *mem, size_t n) { mem[2 * n] = 1; }

static int ogda_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t n = ctx->sys->n, m = 2 * n;
    double *xi = ctx->work, *prev = ctx->mem, *have = ctx->mem + m;
    int st = gdn__grad(ctx, x, xi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    for (size_t i = 0; i < n; i++) {
        double gd = *have ? 2 * xi[i] - prev[i] : xi[i];
        double gg = *have ? 2 * xi[n + i] - prev[n + i] : xi[n + i];
        x[i] -= ctx->lr_d * gd;
        x[n + i] -= ctx->lr_g * gg;
    }
    memcpy(prev, xi, m * sizeof *xi);
    *have = 1;
    gdn__constrain(ctx, x);
    return st;
}

static const gdn_param lr_params[] = {GDN__LR_PARAMS(0.1), {0}};

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
