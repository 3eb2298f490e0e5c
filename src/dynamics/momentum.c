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
#include <stddef.h>

#include "optim.h"

struct momentum_par {
    GDN__LR_FIELDS;
    GDN__SCHEDULE_FIELDS;
    double beta;
};
GDN__PAR_FITS(struct momentum_par);

/* A single run's loops are a player's few components: not vectorised,
 * whose aliasing checks cost more there than the loop itself. */
#if defined(__GNUC__) && !defined(__clang__)
#define GDN_SCALAR_LOOPS __attribute__((optimize("no-tree-vectorize")))
#else
#define GDN_SCALAR_LOOPS
#endif

GDN_SCALAR_LOOPS
static void heavy_ball_one(size_t len, double beta, double h, double *xp,
                           const double *gp, double *bp)
{
    for (size_t r = 0; r < len; r++) {
        bp[r] = beta * bp[r] + gp[r];
        xp[r] -= h * bp[r];
    }
}

GDN_SCALAR_LOOPS
static void nesterov_one(size_t len, double beta, double h, double *xp,
                         const double *gp, double *bp)
{
    for (size_t r = 0; r < len; r++) {
        bp[r] = beta * bp[r] + gp[r];
        xp[r] -= h * (gp[r] + beta * bp[r]);
    }
}

/* one buffer row per component of the player */
static size_t buf_rows(size_t size) { return size; }

static void momentum_update(const struct gdn_step_ctx *ctx, size_t p,
                            double *x, const double *g, double *buf,
                            const double *lr)
{
    double beta = ((const struct momentum_par *)ctx->par)->beta;
    size_t B = ctx->B, i0 = ctx->game->off[p] * B;
    size_t len = gdn__block(ctx->game, p) * B;
    if (B == 1) { /* a single run: the same arithmetic, one lane */
        heavy_ball_one(len, beta, lr[0], x + i0, g + i0, buf);
        return;
    }
    for (size_t r = 0; r < len; r += B)
        for (size_t b = 0; b < B; b++) {
            size_t i = i0 + r + b;
            buf[r + b] = beta * buf[r + b] + g[i];
            x[i] -= lr[b] * buf[r + b];
        }
}

static void nesterov_update(const struct gdn_step_ctx *ctx, size_t p,
                            double *x, const double *g, double *buf,
                            const double *lr)
{
    double beta = ((const struct momentum_par *)ctx->par)->beta;
    size_t B = ctx->B, i0 = ctx->game->off[p] * B;
    size_t len = gdn__block(ctx->game, p) * B;
    if (B == 1) {
        nesterov_one(len, beta, lr[0], x + i0, g + i0, buf);
        return;
    }
    for (size_t r = 0; r < len; r += B)
        for (size_t b = 0; b < B; b++) {
            size_t i = i0 + r + b;
            buf[r + b] = beta * buf[r + b] + g[i];
            x[i] -= lr[b] * (g[i] + beta * buf[r + b]);
        }
}

static const gdn__rule momentum_rule = {momentum_update, buf_rows};
static const gdn__rule nesterov_rule = {nesterov_update, buf_rows};

static size_t momentum_mem(const gdn_game *g)
{
    return gdn__rule_mem(g, &momentum_rule);
}

static gdn__schedule schedule_of(const struct gdn_step_ctx *ctx)
{
    const struct momentum_par *q = ctx->par;
    return gdn__schedule_of(q->schedule, q->order, q->ndis);
}

static int momentum_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s = schedule_of(ctx);
    return gdn__scheduled_step(ctx, x, &momentum_rule, &s);
}

static int nesterov_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s = schedule_of(ctx);
    return gdn__scheduled_step(ctx, x, &nesterov_rule, &s);
}

static const gdn_param momentum_params[] = {
    GDN__LR_PARAMS(0.1, struct momentum_par),
    GDN__SCHEDULE_PARAMS(struct momentum_par),
    GDN_PARAM_ENTRY("beta", 0.5, -1, 1, GDN_PARAM_LO_OPEN | GDN_PARAM_HI_OPEN,
                    NULL, "momentum; negative values are negative momentum",
                    struct momentum_par, beta),
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
