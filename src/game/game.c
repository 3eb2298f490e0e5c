/*
 * game.c - the dispatchers of gandyn/game.h, with their fallbacks.  The
 * games themselves: dirac.c (with dirac_fused.c) and linear.c.
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

int gdn_game_player_grad(const gdn_game *g, size_t p, size_t B,
                         const double *x, double *xi_p, int *st)
{
    if (g->type->player_grad)
        return g->type->player_grad(g, p, B, x, xi_p, st);
    size_t lo = g->off[p], size = gdn_game_block(g, p);
    double *xi = malloc(g->dim * B * sizeof *xi);
    if (!xi) {
        memset(xi_p, 0, size * B * sizeof *xi_p);
        if (st)
            for (size_t b = 0; b < B; b++)
                st[b] = GDN_PT_UNDEFINED;
        return GDN_PT_UNDEFINED;
    }
    int s = g->type->grad(g, B, x, xi, st);
    memcpy(xi_p, xi + lo * B, size * B * sizeof *xi_p);
    free(xi);
    return s;
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

int gdn_game_jvp_vjp(const gdn_game *g, size_t B, const double *x,
                     const double *v, double *jv, double *jtv, int *st)
{
    if (g->type->jvp_vjp)
        return g->type->jvp_vjp(g, B, x, v, jv, jtv, st);
    /* the two statuses agree (both are J's existence at x) */
    int s = gdn_game_jvp(g, B, x, v, jv, st);
    int t = gdn_game_vjp(g, B, x, v, jtv, st);
    return s > t ? s : t;
}
