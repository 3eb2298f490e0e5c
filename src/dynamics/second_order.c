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
 * J is formed (2n x 2n, in the method's memory); where it does not exist
 * (a non-differentiable point) the correction is 0 and plain GD is taken.
 */
#include <math.h>

#include "optim.h"

enum { K_GAMMA = 3 };
enum { K_LAMBDA = 3, K_ALIGN = 4 };

/* memory: J (4 n^2), J^T xi (2n), J xi (2n) */
static size_t jac_mem(size_t n) { return 4 * n * n + 4 * n; }

/* Computes xi into ctx->work and J^T xi, J xi into memory; returns the
 * status of xi (the products are 0 when J does not exist). */
static int xi_and_products(struct gdn_step_ctx *ctx, const double *x,
                           double **jtxi, double **jxi)
{
    size_t m = 2 * ctx->sys->n;
    double *xi = ctx->work, *J = ctx->mem;
    *jtxi = J + m * m, *jxi = J + m * m + m;
    int st = gdn__grad(ctx, x, xi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    gdn__jacobian(ctx, x, J); /* zero where it does not exist */
    for (size_t i = 0; i < m; i++) {
        double a = 0, b = 0;
        for (size_t j = 0; j < m; j++) {
            a += J[j * m + i] * xi[j];
            b += J[i * m + j] * xi[j];
        }
        (*jtxi)[i] = a, (*jxi)[i] = b;
    }
    return st;
}

static int consensus_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t m = 2 * ctx->sys->n;
    double *jtxi, *jxi, *xi = ctx->work, *g = ctx->work + m;
    double gamma = ctx->par[K_GAMMA];
    int st = xi_and_products(ctx, x, &jtxi, &jxi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    for (size_t i = 0; i < m; i++)
        g[i] = xi[i] + gamma * jtxi[i];
    gdn__descend(ctx, x, g);
    gdn__constrain(ctx, x);
    return st;
}

static int sga_step(struct gdn_step_ctx *ctx, double *x)
{
    size_t m = 2 * ctx->sys->n;
    double *jtxi, *jxi, *xi = ctx->work, *g = ctx->work + m;
    double lambda = ctx->par[K_LAMBDA];
    int st = xi_and_products(ctx, x, &jtxi, &jxi);
    if (st == GDN_PT_UNDEFINED)
        return st;
    double *atxi = g; /* A^T xi = (J^T xi - J xi) / 2 */
    for (size_t i = 0; i < m; i++)
        atxi[i] = 0.5 * (jtxi[i] - jxi[i]);
    if (ctx->par[K_ALIGN] != 0) {
        double p = 0, q = 0;
        for (size_t i = 0; i < m; i++) {
            p += xi[i] * jtxi[i];
            q += atxi[i] * jtxi[i];
        }
        double sign = p * q / (double)m + 0.1 >= 0 ? 1.0 : -1.0;
        lambda = sign * fabs(lambda);
    }
    for (size_t i = 0; i < m; i++)
        g[i] = xi[i] + lambda * atxi[i];
    gdn__descend(ctx, x, g);
    gdn__constrain(ctx, x);
    return st;
}

static const gdn_param consensus_params[] = {
    GDN__LR_PARAMS(0.1),
    {"gamma", 0.1, 0, INFINITY, 0, NULL, "weight of grad |xi|^2/2"},
    {0}};

static const gdn_param sga_params[] = {
    GDN__LR_PARAMS(0.1),
    {"lambda", 1.0, -INFINITY, INFINITY, 0, NULL,
     "weight of the antisymmetric correction"},
    {"align", 0, 0, 1, GDN_PARAM_ENUM, "0|1",
     "1: choose lambda's sign by alignment (Balduzzi et al.)"},
    {0}};

/* the memory is scratch: nothing of it is state */

const gdn_opt_type gdn_opt_consensus = {
    .name = "consensus",
    .about = "consensus optimization: descend xi + gamma grad |xi|^2/2",
    .update = "x <- x - H (xi + gamma J^T xi)",
    .params = consensus_params,
    .mem_size = jac_mem,
    .step = consensus_step,
};

const gdn_opt_type gdn_opt_sga = {
    .name = "sga",
    .about = "symplectic gradient adjustment",
    .update = "x <- x - H (xi + lambda A^T xi), A = (J - J^T)/2",
    .params = sga_params,
    .mem_size = jac_mem,
    .step = sga_step,
};
