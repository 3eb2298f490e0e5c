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
#include <stddef.h>

#include "../core/gmath.h"
#include "optim.h"

struct adam_par {
    GDN__LR_FIELDS;
    GDN__SCHEDULE_FIELDS;
    double beta1, beta2, eps;
};
struct rmsprop_par {
    GDN__LR_FIELDS;
    GDN__SCHEDULE_FIELDS;
    double alpha, eps;
};
GDN__PAR_FITS(struct adam_par);
GDN__PAR_FITS(struct rmsprop_par);

/* per player: m (size rows), v (size rows), k (1 row), and beta1^k,
 * beta2^k as double-double pairs (4 rows: a running product in twice the
 * precision costs a few flops a step, where a pow call per player and step
 * cost more than the rest of the update) */
static size_t adam_rows(size_t size) { return 2 * size + 5; }

static void adam_update(const struct gdn_step_ctx *ctx, size_t p, double *x,
                        const double *g, double *mem, const double *lr)
{
    const struct adam_par *q = ctx->par;
    double b1 = q->beta1, b2 = q->beta2, eps = q->eps;
    size_t B = ctx->B, n = gdn__block(ctx->game, p);
    double *m = mem, *v = mem + n * B, *k = mem + 2 * n * B;
    double *p1h = k + B, *p1l = k + 2 * B, *p2h = k + 3 * B, *p2l = k + 4 * B;
    double *xp = x + ctx->game->off[p] * B;
    const double *gp = g + ctx->game->off[p] * B;
    for (size_t b = 0; b < B; b++) {
        if (k[b] == 0) /* the memory starts zeroed: beta^0 = 1 */
            p1h[b] = p2h[b] = 1, p1l[b] = p2l[b] = 0;
        k[b] += 1;
        p1h[b] = gdn__dd_mul(p1h[b], p1l[b], b1, &p1l[b]);
        p2h[b] = gdn__dd_mul(p2h[b], p2l[b], b2, &p2l[b]);
        /* 1 - beta^k from the pair: 1 - h is exact for h >= 1/2 */
        double bc1 = (1 - p1h[b]) - p1l[b], bc2 = (1 - p2h[b]) - p2l[b];
        double step = lr[b] / bc1, sbc2 = sqrt(bc2);
        for (size_t i = b; i < n * B; i += B) {
            m[i] = b1 * m[i] + (1 - b1) * gp[i];
            v[i] = b2 * v[i] + (1 - b2) * gp[i] * gp[i];
            xp[i] -= step * (m[i] / (sqrt(v[i]) / sbc2 + eps));
        }
    }
}

static const gdn__rule adam_rule = {adam_update, adam_rows};

static size_t adam_mem(const gdn_game *g)
{
    return gdn__rule_mem(g, &adam_rule);
}

static int adam_step(struct gdn_step_ctx *ctx, double *x)
{
    const struct adam_par *q = ctx->par;
    gdn__schedule s = gdn__schedule_of(q->schedule, q->order, q->ndis);
    return gdn__scheduled_step(ctx, x, &adam_rule, &s);
}

/* per player: v (size rows) */
static size_t rmsprop_rows(size_t size) { return size; }

static void rmsprop_update(const struct gdn_step_ctx *ctx, size_t p,
                           double *x, const double *g, double *v,
                           const double *lr)
{
    const struct rmsprop_par *q = ctx->par;
    double alpha = q->alpha, eps = q->eps;
    size_t B = ctx->B, len = gdn__block(ctx->game, p) * B;
    double *xp = x + ctx->game->off[p] * B;
    const double *gp = g + ctx->game->off[p] * B;
    if (B == 1) {
        double h = lr[0];
        for (size_t i = 0; i < len; i++) {
            v[i] = alpha * v[i] + (1 - alpha) * gp[i] * gp[i];
            xp[i] -= h * (gp[i] / (sqrt(v[i]) + eps));
        }
        return;
    }
    for (size_t r = 0; r < len; r += B)
        for (size_t b = 0; b < B; b++) {
            size_t i = r + b;
            v[i] = alpha * v[i] + (1 - alpha) * gp[i] * gp[i];
            xp[i] -= lr[b] * (gp[i] / (sqrt(v[i]) + eps));
        }
}

static const gdn__rule rmsprop_rule = {rmsprop_update, rmsprop_rows};

static size_t rmsprop_mem(const gdn_game *g)
{
    return gdn__rule_mem(g, &rmsprop_rule);
}

static int rmsprop_step(struct gdn_step_ctx *ctx, double *x)
{
    const struct rmsprop_par *q = ctx->par;
    gdn__schedule s = gdn__schedule_of(q->schedule, q->order, q->ndis);
    return gdn__scheduled_step(ctx, x, &rmsprop_rule, &s);
}

static const gdn_param adam_params[] = {
    GDN__LR_PARAMS(0.01, struct adam_par),
    GDN__SCHEDULE_PARAMS(struct adam_par),
    GDN_PARAM_ENTRY("beta1", 0.9, 0, 1, GDN_PARAM_HI_OPEN, NULL,
                    "decay of the mean", struct adam_par, beta1),
    GDN_PARAM_ENTRY("beta2", 0.999, 0, 1, GDN_PARAM_HI_OPEN, NULL,
                    "decay of the second moment", struct adam_par, beta2),
    GDN_PARAM_ENTRY("eps", 1e-8, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "added to the root of the second moment", struct adam_par,
                    eps),
    {0}};

static const gdn_param rmsprop_params[] = {
    GDN__LR_PARAMS(0.01, struct rmsprop_par),
    GDN__SCHEDULE_PARAMS(struct rmsprop_par),
    GDN_PARAM_ENTRY("alpha", 0.99, 0, 1, GDN_PARAM_HI_OPEN, NULL,
                    "decay of the second moment", struct rmsprop_par, alpha),
    GDN_PARAM_ENTRY("eps", 1e-8, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "added to the root of the second moment",
                    struct rmsprop_par, eps),
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
