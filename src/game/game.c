/*
 * game.c - the dispatchers of gandyn/game.h and the two games every build
 * has: the Dirac GAN of a gdn_system, and the linear game xi = J x.
 *
 * This first version evaluates the Dirac GAN lane by lane through
 * gdn_system_grad / gdn_system_jacobian (so B = 1 is today's field bit for
 * bit); closed-form products and fused lanes come on top of it.
 */
#include "gandyn/game.h"

#include <stdlib.h>
#include <string.h>

size_t gdn_game_block(const gdn_game *g, size_t p)
{
    return g->off[p + 1] - g->off[p];
}

int gdn_game_grad(const gdn_game *g, size_t B, const double *x, double *xi,
                  int *st)
{
    return g->type->grad(g, B, x, xi, st);
}

/* out = J v or J^T v through the dense Jacobian, lane by lane. */
static int dense_product(const gdn_game *g, size_t B, const double *x,
                         const double *v, double *out, int *st, int trans)
{
    size_t m = g->dim;
    int worst = GDN_PT_OK;
    double *J = g->type->jacobian ? malloc(m * m * sizeof *J) : NULL;
    double *xb = malloc(m * sizeof *xb);
    for (size_t b = 0; b < B; b++) {
        int s = GDN_PT_EXTENDED;
        if (J && xb) {
            for (size_t i = 0; i < m; i++)
                xb[i] = x[i * B + b];
            s = g->type->jacobian(g, xb, J);
        }
        for (size_t i = 0; i < m; i++) {
            double acc = 0;
            if (s == GDN_PT_OK)
                for (size_t j = 0; j < m; j++)
                    acc += (trans ? J[j * m + i] : J[i * m + j]) * v[j * B + b];
            out[i * B + b] = acc;
        }
        if (st)
            st[b] = s;
        worst = s > worst ? s : worst;
    }
    free(J);
    free(xb);
    return worst;
}

int gdn_game_jvp(const gdn_game *g, size_t B, const double *x,
                 const double *v, double *out, int *st)
{
    if (g->type->jvp)
        return g->type->jvp(g, B, x, v, out, st);
    return dense_product(g, B, x, v, out, st, 0);
}

int gdn_game_vjp(const gdn_game *g, size_t B, const double *x,
                 const double *v, double *out, int *st)
{
    if (g->type->vjp)
        return g->type->vjp(g, B, x, v, out, st);
    return dense_product(g, B, x, v, out, st, 1);
}

/* ------------------------------------------------------------ Dirac GAN */

static int dirac_grad(const gdn_game *g, size_t B, const double *x,
                      double *xi, int *st)
{
    const gdn_system *sys = g->self;
    size_t m = g->dim;
    if (B == 1) {
        int s = gdn_system_grad(sys, x, xi);
        if (st)
            st[0] = s;
        return s;
    }
    double xb[2 * 64], yb[2 * 64];
    double *xs = m <= 128 ? xb : malloc(2 * m * sizeof *xs);
    double *ys = m <= 128 ? yb : xs + m;
    int worst = GDN_PT_OK;
    if (!xs) {
        memset(xi, 0, m * B * sizeof *xi);
        return GDN_PT_UNDEFINED;
    }
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < m; i++)
            xs[i] = x[i * B + b];
        int s = gdn_system_grad(sys, xs, ys);
        for (size_t i = 0; i < m; i++)
            xi[i * B + b] = ys[i];
        if (st)
            st[b] = s;
        worst = s > worst ? s : worst;
    }
    if (xs != xb)
        free(xs);
    return worst;
}

static int dirac_jacobian(const gdn_game *g, const double *x, double *J)
{
    return gdn_system_jacobian(g->self, x, J);
}

static void dirac_project(const gdn_game *g, size_t p, size_t B, double *x)
{
    const gdn_system *sys = g->self;
    const gdn_term *m = &sys->model;
    if (p != 0 || !m->type->project)
        return;
    size_t dim = g->dim;
    double buf[2 * 64];
    double *xs = dim <= 128 ? buf : malloc(dim * sizeof *xs);
    if (!xs)
        return;
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < dim; i++)
            xs[i] = x[i * B + b];
        m->type->project(m->par, sys->n, xs);
        for (size_t i = 0; i < dim; i++)
            x[i * B + b] = xs[i];
    }
    if (xs != buf)
        free(xs);
}

static void dirac_observe(const gdn_game *g, const double *x, double *out)
{
    const gdn_system *sys = g->self;
    gdn_invariants inv;
    gdn_invariants_of(sys->n, x, &inv);
    out[0] = inv.phi_norm;
    out[1] = inv.theta_norm;
    out[2] = inv.norm;
    out[3] = inv.energy;
    out[4] = inv.gram;
    out[5] = inv.t;
}

static int dirac_equilibrium(const gdn_game *g, double *x)
{
    memset(x, 0, g->dim * sizeof *x);
    return 1;
}

static const gdn_game_type dirac_type = {
    .name = "dirac",
    .grad = dirac_grad,
    .jacobian = dirac_jacobian,
    .project = dirac_project,
    .observe = dirac_observe,
    .equilibrium = dirac_equilibrium,
};

int gdn_game_dirac(gdn_game *g, const gdn_system *sys, gdn_error *err)
{
    if (gdn_system_check(sys, err) != GDN_OK)
        return GDN_EINVAL;
    memset(g, 0, sizeof *g);
    g->type = &dirac_type;
    g->self = sys;
    g->dim = 2 * sys->n;
    g->nplayers = 2;
    g->off[0] = 0, g->off[1] = sys->n, g->off[2] = 2 * sys->n;
    g->player[0] = "D", g->player[1] = "G";
    static const char *const obs[] = {"|phi|", "|theta|", "|x|", "E",
                                      "Gamma", "theta.phi"};
    g->nobs = sizeof obs / sizeof obs[0];
    for (size_t k = 0; k < g->nobs; k++)
        g->obs[k] = obs[k];
    return GDN_OK;
}

/* ---------------------------------------------------------- linear game */

static int linear_grad(const gdn_game *g, size_t B, const double *x,
                       double *xi, int *st)
{
    const double *J = g->self;
    size_t m = g->dim;
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < m; i++) {
            double s = 0;
            for (size_t j = 0; j < m; j++)
                s += J[i * m + j] * x[j * B + b];
            xi[i * B + b] = s;
        }
        if (st)
            st[b] = GDN_PT_OK;
    }
    return GDN_PT_OK;
}

static int linear_jacobian(const gdn_game *g, const double *x, double *J)
{
    (void)x;
    memcpy(J, g->self, g->dim * g->dim * sizeof *J);
    return GDN_PT_OK;
}

static const gdn_game_type linear_type = {
    .name = "linear",
    .grad = linear_grad,
    .jacobian = linear_jacobian,
};

int gdn_game_linear(gdn_game *g, size_t dim, size_t nplayers,
                    const size_t *sizes, const double *J, gdn_error *err)
{
    if (dim == 0 || !J)
        return gdn_error_set(err, GDN_EINVAL, "linear game: no matrix");
    if (nplayers == 0 || nplayers > GDN_MAX_PLAYERS)
        return gdn_error_set(err, GDN_EINVAL,
                             "linear game: %zu players (accepted: 1..%d)",
                             nplayers, GDN_MAX_PLAYERS);
    memset(g, 0, sizeof *g);
    g->type = &linear_type;
    g->self = J;
    g->dim = dim;
    g->nplayers = nplayers;
    for (size_t p = 0; p < nplayers; p++)
        g->off[p + 1] = g->off[p] + sizes[p];
    if (g->off[nplayers] != dim)
        return gdn_error_set(err, GDN_EINVAL,
                             "linear game: blocks sum to %zu, not %zu",
                             g->off[nplayers], dim);
    return GDN_OK;
}
