/*
 * gd.c - plain gradient descent for two players, simultaneous and
 * alternating.
 *
 *   simgd:  phi <- phi - h_D xi_phi(phi, theta),
 *           theta <- theta - h_G xi_theta(phi, theta)   (both from the old x)
 *   altgd:  order=dg: ndis times phi <- phi - h_D xi_phi(phi, theta), then
 *           theta <- theta - h_G xi_theta(phi_new, theta);
 *           order=gd: the generator first, then ndis discriminator steps.
 *
 * One call is one generator step.  Euler's method with step h on the flow is
 * simgd with lr h, bit for bit (tests/test_dynamics.c checks it).
 */
#include "optim.h"

#include <math.h>

int gdn__grad(struct gdn_step_ctx *ctx, const double *x, double *out)
{
    ctx->nevals++;
    return gdn_system_grad(ctx->sys, x, out);
}

size_t gdn__no_mem(size_t n)
{
    (void)n;
    return 0;
}

static int simgd_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t n = ctx->sys->n;
    double *xi = ctx->work;
    int st = gdn__grad(ctx, x, xi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    for (size_t i = 0; i < n; i++) {
        x[i] -= ctx->lr_d * xi[i];
        x[n + i] -= ctx->lr_g * xi[n + i];
    }
    return st;
}

/* One step of one player: lo..lo+n of x moves along -lr xi. */
static int player_step(struct gdn_step_ctx *ctx, double *x, size_t lo,
                       double lr)
{
    double *xi = ctx->work;
    int st = gdn__grad(ctx, x, xi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    for (size_t i = lo; i < lo + ctx->sys->n; i++)
        x[i] -= lr * xi[i];
    return st;
}

static int altgd_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t n = ctx->sys->n;
    long ndis = (long)ctx->par[GDN_ALT_NDIS];
    int g_first = ctx->par[GDN_ALT_ORDER] == GDN_ORDER_GD;
    int st = GDN_PT_OK, s;
    if (g_first && (st = player_step(ctx, x, n, ctx->lr_g)) == GDN_PT_UNDEFINED)
        return st;
    for (long j = 0; j < ndis; j++) {
        if ((s = player_step(ctx, x, 0, ctx->lr_d)) == GDN_PT_UNDEFINED)
            return s;
        st = s > st ? s : st;
    }
    if (!g_first) {
        if ((s = player_step(ctx, x, n, ctx->lr_g)) == GDN_PT_UNDEFINED)
            return s;
        st = s > st ? s : st;
    }
    return st;
}

#define LR_PARAMS                                                            \
    {"lr", 0.1, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL, "learning rate h"}, \
    {"lr_d", NAN, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,                   \
     "discriminator's learning rate (default: lr)"},                          \
    {"lr_g", NAN, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,                   \
     "generator's learning rate (default: lr)"}

static const gdn_param simgd_params[] = {LR_PARAMS, {0}};

static const gdn_param altgd_params[] = {
    LR_PARAMS,
    {"order", GDN_ORDER_DG, 0, 1, GDN_PARAM_ENUM, "dg|gd",
     "dg: discriminator first (the usual GAN loop); gd: generator first"},
    {"ndis", 1, 1, 1e6, GDN_PARAM_INT, NULL,
     "discriminator steps per generator step"},
    {0}};

const gdn_opt_type gdn_opt_simgd = {
    "simgd", "simultaneous gradient descent",
    "x <- x - H xi(x),  H = diag(lr_d, lr_g)", simgd_params, 0, gdn__no_mem,
    simgd_step};

const gdn_opt_type gdn_opt_altgd = {
    "altgd", "alternating gradient descent",
    "phi <- phi - lr_d xi_phi(phi, theta) (ndis times); "
    "theta <- theta - lr_g xi_theta(phi, theta)",
    altgd_params, 0, gdn__no_mem, altgd_step};
