/*
 * momentum.c - heavy ball and Nesterov momentum, PyTorch's convention
 * (torch.optim.SGD, dampening 0), per player, on either schedule:
 *
 *   momentum:  buf <- beta buf + g;   p <- p - h buf
 *   nesterov:  buf <- beta buf + g;   p <- p - h (g + beta buf)
 *
 * buf starts at 0, so the first step is plain gradient descent, as in
 * PyTorch (which sets buf = g).  beta may be negative: alternating negative
 * momentum is Gidel et al.'s (2019) remedy for the Dirac GAN's cycling.
 * With beta = 0 both are simgd/altgd bit for bit.
 */
#include "optim.h"

enum { K_SCHEDULE = 3, K_ORDER, K_NDIS, K_BETA };

static size_t momentum_mem(size_t n) { return 2 * n; }

static void momentum_update(struct gdn_step_ctx *ctx, double *p,
                            const double *g, double *buf, size_t n, double lr)
{
    double beta = ctx->par[K_BETA];
    for (size_t i = 0; i < n; i++) {
        buf[i] = beta * buf[i] + g[i];
        p[i] -= lr * buf[i];
    }
}

static void nesterov_update(struct gdn_step_ctx *ctx, double *p,
                            const double *g, double *buf, size_t n, double lr)
{
    double beta = ctx->par[K_BETA];
    for (size_t i = 0; i < n; i++) {
        buf[i] = beta * buf[i] + g[i];
        p[i] -= lr * (g[i] + beta * buf[i]);
    }
}

static int momentum_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s;
    gdn__schedule_of(ctx->par, K_SCHEDULE, K_ORDER, K_NDIS, &s);
    return gdn__scheduled_step(ctx, x, momentum_update, ctx->sys->n, &s);
}

static int nesterov_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s;
    gdn__schedule_of(ctx->par, K_SCHEDULE, K_ORDER, K_NDIS, &s);
    return gdn__scheduled_step(ctx, x, nesterov_update, ctx->sys->n, &s);
}

static const gdn_param momentum_params[] = {
    GDN__LR_PARAMS(0.1), GDN__SCHEDULE_PARAMS,
    {"beta", 0.5, -1, 1, GDN_PARAM_LO_OPEN | GDN_PARAM_HI_OPEN, NULL,
     "momentum; negative values are negative momentum"},
    {0}};

const gdn_opt_type gdn_opt_momentum = {
    .name = "momentum",
    .about = "heavy-ball momentum (PyTorch SGD convention)",
    .update = "buf <- beta buf + g; p <- p - h buf",
    .params = momentum_params,
    .mem_size = momentum_mem,
    .step = momentum_step,
    .lin_mem = momentum_mem, /* both buffers are state */
};

const gdn_opt_type gdn_opt_nesterov = {
    .name = "nesterov",
    .about = "Nesterov momentum (PyTorch SGD nesterov=True)",
    .update = "buf <- beta buf + g; p <- p - h (g + beta buf)",
    .params = momentum_params,
    .mem_size = momentum_mem,
    .step = nesterov_step,
    .lin_mem = momentum_mem,
};
