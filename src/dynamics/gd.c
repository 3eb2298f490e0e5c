/*
 * gd.c - the two schedules of two-player descent, and plain gradient descent.
 *
 * A first-order method is a per-player update rule (plain, momentum, Adam,
 * ...) run on a schedule:
 *
 *   sim:  xi = xi(x); phi <- U_D(phi, xi_phi); theta <- U_G(theta, xi_theta)
 *         (both players from the same old point)
 *   alt:  order=dg: ndis times { phi <- U_D(phi, xi_phi(phi, theta)) },
 *         then theta <- U_G(theta, xi_theta(phi_new, theta));
 *         order=gd: the generator first, then the ndis discriminator steps.
 *
 * After every discriminator update the model's projection (wgan-clip) is
 * applied.  One call is one generator step.
 *
 *   simgd = plain updates p <- p - h g on the sim schedule;
 *   altgd = the same on the alt schedule.
 * Euler's method with step h on the flow is simgd with lr h, bit for bit.
 */
#include "optim.h"

#include <math.h>
#include <string.h>

int gdn__grad(struct gdn_step_ctx *ctx, const double *x, double *out)
{
    ctx->nevals++;
    if (ctx->lin_J) {
        size_t m = 2 * ctx->sys->n;
        for (size_t i = 0; i < m; i++) {
            double s = 0;
            for (size_t j = 0; j < m; j++)
                s += ctx->lin_J[i * m + j] * x[j];
            out[i] = s;
        }
        return GDN_PT_OK;
    }
    return gdn_system_grad(ctx->sys, x, out);
}

int gdn__jacobian(struct gdn_step_ctx *ctx, const double *x, double *J)
{
    if (ctx->lin_J) {
        size_t m = 2 * ctx->sys->n;
        memcpy(J, ctx->lin_J, m * m * sizeof *J);
        return GDN_PT_OK;
    }
    return gdn_system_jacobian(ctx->sys, x, J);
}

void gdn__descend(const struct gdn_step_ctx *ctx, double *x, const double *g)
{
    size_t n = ctx->sys->n;
    for (size_t i = 0; i < n; i++) {
        x[i] -= ctx->lr_d * g[i];
        x[n + i] -= ctx->lr_g * g[n + i];
    }
}

void gdn__constrain(const struct gdn_step_ctx *ctx, double *x)
{
    const gdn_term *m = &ctx->sys->model;
    /* at an interior fixed point the projection is the identity near it */
    if (m->type->project && !ctx->lin_J)
        m->type->project(m->par, ctx->sys->n, x);
}

size_t gdn__no_mem(size_t n)
{
    (void)n;
    return 0;
}

void gdn__schedule_of(const double *par, size_t k_sched, size_t k_order,
                      size_t k_ndis, gdn__schedule *s)
{
    s->alternating = k_sched == (size_t)-1 || par[k_sched] == GDN_SCHEDULE_ALT;
    s->g_first = par[k_order] == GDN_ORDER_GD;
    s->ndis = (long)par[k_ndis];
}

/* One player's update from a fresh gradient; returns the point status. */
static int player(struct gdn_step_ctx *ctx, double *x, int is_g,
                  gdn__update_fn up, size_t mem_per_player)
{
    size_t n = ctx->sys->n;
    double *xi = ctx->work;
    int st = gdn__grad(ctx, x, xi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    if (is_g) {
        up(ctx, x + n, xi + n, ctx->mem + mem_per_player, n, ctx->lr_g);
    } else {
        up(ctx, x, xi, ctx->mem, n, ctx->lr_d);
        gdn__constrain(ctx, x);
    }
    return st;
}

int gdn__scheduled_step(struct gdn_step_ctx *ctx, double *x, gdn__update_fn up,
                        size_t mem_per_player, const gdn__schedule *s)
{
    size_t n = ctx->sys->n;
    int st = GDN_PT_OK, t;
    if (!s->alternating) {
        double *xi = ctx->work;
        if ((st = gdn__grad(ctx, x, xi)) == GDN_PT_UNDEFINED)
            return st;
        up(ctx, x, xi, ctx->mem, n, ctx->lr_d);
        up(ctx, x + n, xi + n, ctx->mem + mem_per_player, n, ctx->lr_g);
        gdn__constrain(ctx, x);
        return st;
    }
    if (s->g_first &&
        (st = player(ctx, x, 1, up, mem_per_player)) == GDN_PT_UNDEFINED)
        return st;
    for (long j = 0; j < s->ndis; j++) {
        if ((t = player(ctx, x, 0, up, mem_per_player)) == GDN_PT_UNDEFINED)
            return t;
        st = t > st ? t : st;
    }
    if (!s->g_first) {
        if ((t = player(ctx, x, 1, up, mem_per_player)) == GDN_PT_UNDEFINED)
            return t;
        st = t > st ? t : st;
    }
    return st;
}

/* p <- p - h g */
static void plain_update(struct gdn_step_ctx *ctx, double *p, const double *g,
                         double *mem, size_t n, double lr)
{
    (void)ctx, (void)mem;
    for (size_t i = 0; i < n; i++)
        p[i] -= lr * g[i];
}

static int simgd_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s = {0, 0, 1};
    return gdn__scheduled_step(ctx, x, plain_update, 0, &s);
}

static int altgd_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__schedule s;
    gdn__schedule_of(ctx->par, (size_t)-1, GDN_ALT_ORDER, GDN_ALT_NDIS, &s);
    return gdn__scheduled_step(ctx, x, plain_update, 0, &s);
}

static const gdn_param simgd_params[] = {GDN__LR_PARAMS(0.1), {0}};

static const gdn_param altgd_params[] = {GDN__LR_PARAMS(0.1),
                                         GDN__ORDER_PARAMS, {0}};

const gdn_opt_type gdn_opt_simgd = {
    .name = "simgd",
    .about = "simultaneous gradient descent",
    .update = "x <- x - H xi(x),  H = diag(lr_d, lr_g)",
    .params = simgd_params,
    .mem_size = gdn__no_mem,
    .step = simgd_step,
};

const gdn_opt_type gdn_opt_altgd = {
    .name = "altgd",
    .about = "alternating gradient descent",
    .update = "phi <- phi - lr_d xi_phi(phi, theta) (ndis times); "
              "theta <- theta - lr_g xi_theta(phi, theta)",
    .params = altgd_params,
    .mem_size = gdn__no_mem,
    .step = altgd_step,
};
