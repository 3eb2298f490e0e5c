/*
 * adaptive.c - Adam and RMSprop with PyTorch's semantics (torch.optim.Adam,
 * torch.optim.RMSprop, no weight decay, no amsgrad, not centered), per
 * player, on either schedule.  k counts the player's own updates.
 *
 *   adam:     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
 *             p <- p - (h / (1 - b1^k)) m / (sqrt(v) / sqrt(1 - b2^k) + eps)
 *   rmsprop:  v <- alpha v + (1 - alpha) g^2;  p <- p - h g / (sqrt(v) + eps)
 *
 * Both divide by a running scale of g: near the equilibrium, where g -> 0,
 * the step is not differentiable and its size does not shrink with g.
 */
#include <math.h>

#include "optim.h"

#include "../core/gmath.h"

enum { K_SCHEDULE = 3, K_ORDER, K_NDIS, K_B1, K_B2, K_EPS };
enum { K_ALPHA = 6, K_REPS = 7 };

/* per player: m (n), v (n), k (1) */
static size_t adam_mem(size_t n) { return 2 * (2 * n + 1); }

static void adam_update(struct gdn_step_ctx *ctx, double *p, const double *g,
                        double *mem, size_t n, double lr)
{
    double b1 = ctx->par[K_B1], b2 = ctx->par[K_B2], eps = ctx->par[K_EPS];
    double *m = mem, *v = mem + n, *k = mem + 2 * n;
    *k += 1;
    double bc1 = 1 - gdn__pow_pos(b1, *k), bc2 = 1 - gdn__pow_pos(b2, *k);
    double step = lr / bc1, sbc2 = sqrt(bc2);
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= step * (m[i] / (sqrt(v[i]) / sbc2 + eps));
    }
}

static int adam_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s;
    gdn__schedule_of(ctx->par, K_SCHEDULE, K_ORDER, K_NDIS, &s);
    return gdn__scheduled_step(ctx, x, adam_update, 2 * ctx->sys->n + 1, &s);
}

static size_t rmsprop_mem(size_t n) { return 2 * n; }

static void rmsprop_update(struct gdn_step_ctx *ctx, double *p,
                           const double *g, double *v, size_t n, double lr)
{
    double alpha = ctx->par[K_ALPHA], eps = ctx->par[K_REPS];
    for (size_t i = 0; i < n; i++) {
        v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
        p[i] -= lr * (g[i] / (sqrt(v[i]) + eps));
    }
}

static int rmsprop_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s;
    gdn__schedule_of(ctx->par, K_SCHEDULE, K_ORDER, K_NDIS, &s);
    return gdn__scheduled_step(ctx, x, rmsprop_update, ctx->sys->n, &s);
}

static const gdn_param adam_params[] = {
    GDN__LR_PARAMS(0.01), GDN__SCHEDULE_PARAMS,
    {"beta1", 0.9, 0, 1, GDN_PARAM_HI_OPEN, NULL, "decay of the mean"},
    {"beta2", 0.999, 0, 1, GDN_PARAM_HI_OPEN, NULL,
     "decay of the second moment"},
    {"eps", 1e-8, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
     "added to the root of the second moment"},
    {0}};

static const gdn_param rmsprop_params[] = {
    GDN__LR_PARAMS(0.01), GDN__SCHEDULE_PARAMS,
    {"alpha", 0.99, 0, 1, GDN_PARAM_HI_OPEN, NULL,
     "decay of the second moment"},
    {"eps", 1e-8, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
     "added to the root of the second moment"},
    {0}};

const gdn_opt_type gdn_opt_adam = {
    .name = "adam",
    .about = "Adam with bias correction (PyTorch semantics)",
    .update = "m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; "
              "p <- p - h/(1-b1^k) m/(sqrt(v)/sqrt(1-b2^k) + eps)",
    .params = adam_params,
    .flags = GDN_OPT_NONSMOOTH,
    .mem_size = adam_mem,
    .step = adam_step,
};

const gdn_opt_type gdn_opt_rmsprop = {
    .name = "rmsprop",
    .about = "RMSprop (PyTorch semantics, not centered)",
    .update = "v <- alpha v + (1-alpha) g^2; p <- p - h g/(sqrt(v) + eps)",
    .params = rmsprop_params,
    .flags = GDN_OPT_NONSMOOTH,
    .mem_size = rmsprop_mem,
    .step = rmsprop_step,
};
