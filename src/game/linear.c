/*
 * linear.c - the linear game xi(x) = J x (gandyn/game.h), how stability
 * analysis runs every method's own step on a linearisation.
 *
 * Every product is summed in column order from 0, out_i = sum_j J_ij x_j,
 * with the loops over lanes innermost, so each lane's value is the B = 1
 * value bit for bit.
 */
#include "gandyn/game.h"

#include <string.h>

/* Rows lo..hi of out = M x (trans 0) or M^T x (trans 1), M = J, over
 * lanes (row i at out[(i - lo) * B]). */
static void matvec(const double *J, size_t m, size_t B, const double *x,
                   size_t lo, size_t hi, double *out, int trans)
{
    for (size_t i = lo; i < hi; i++) {
        double *o = out + (i - lo) * B;
        for (size_t b = 0; b < B; b++)
            o[b] = 0;
        for (size_t j = 0; j < m; j++) {
            double c = trans ? J[j * m + i] : J[i * m + j];
            const double *xj = x + j * B;
            for (size_t b = 0; b < B; b++)
                o[b] += c * xj[b];
        }
    }
}

static int all_ok(size_t B, int *st)
{
    if (st)
        for (size_t b = 0; b < B; b++)
            st[b] = GDN_PT_OK;
    return GDN_PT_OK;
}

static int linear_grad(const gdn_game *g, size_t B, const double *x,
                       double *xi, int *st)
{
    matvec(g->self, g->dim, B, x, 0, g->dim, xi, 0);
    return all_ok(B, st);
}

static int linear_player_grad(const gdn_game *g, size_t p, size_t B,
                              const double *x, double *xi_p, int *st)
{
    matvec(g->self, g->dim, B, x, g->off[p], g->off[p + 1], xi_p, 0);
    return all_ok(B, st);
}

static int linear_jvp(const gdn_game *g, size_t B, const double *x,
                      const double *v, double *out, int *st)
{
    (void)x;
    matvec(g->self, g->dim, B, v, 0, g->dim, out, 0);
    return all_ok(B, st);
}

static int linear_vjp(const gdn_game *g, size_t B, const double *x,
                      const double *v, double *out, int *st)
{
    (void)x;
    matvec(g->self, g->dim, B, v, 0, g->dim, out, 1);
    return all_ok(B, st);
}

static int linear_jacobian(const gdn_game *g, const double *x, double *J)
{
    (void)x;
    memcpy(J, g->self, g->dim * g->dim * sizeof *J);
    return GDN_PT_OK;
}

/* xi(0) = 0 whatever J is. */
static int linear_equilibrium(const gdn_game *g, double *x)
{
    memset(x, 0, g->dim * sizeof *x);
    return 1;
}

static const gdn_game_type linear_type = {
    .name = "linear",
    .grad = linear_grad,
    .player_grad = linear_player_grad,
    .jvp = linear_jvp,
    .vjp = linear_vjp,
    .jacobian = linear_jacobian,
    .equilibrium = linear_equilibrium,
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
