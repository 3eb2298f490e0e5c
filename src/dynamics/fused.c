/*
 * fused.c - optional specialisations of the lanes driver on the 2-D Dirac
 * gan / nsgan without regularisers, one pass over the batch per step:
 * simgd, altgd (order dg, ndis 1: its defaults) and the flow's rk4 without
 * averages; and simgd of every other Dirac system in one pass over the
 * batch (simgd_terms: the terms' lanes, dirac.c's gdn__dirac_simgd_lanes,
 * held against the generic step by tests/test_lanes.c's
 * test_terms_step_is_generic).
 *
 * The generic path (discrete.c) copies the state, evaluates the field
 * (the game's fused lanes field), updates each player and then checks the
 * range: four passes over the batch.  Here one pass reads the state,
 * computes the field with the operations of src/game/dirac_fused.c, steps
 * with those of gd.c's plain update, checks the range and keeps the old
 * state of a lane that left it, so nothing is copied.  The numbers are the
 * generic lanes' bit for bit; tests/test_lanes.c holds the two against
 * each other (test_fused_is_generic).
 *
 * altgd: the discriminator steps from xi(x), then the generator from xi at
 * the new point (gd.c's alt schedule: two evaluations, a fresh t each).
 * rk4 (flow.c's fixed substeps): the four stages of flow_rhs (the field,
 * then -(lr d) per player) and gdn__rk4_step's combinations, operation by
 * operation, in registers; a lane that left the range keeps its state, so
 * the driver neither backs the state up nor restores it.
 */
#include <math.h>
#include <string.h>

#include "../game/dirac.h"
#include "../core/gmath.h"
#include "../models/terms.h"
#include "lanes.h"
#include "vector.h"

/* The sigmoid GANs' coefficients of lane b at t = theta.phi, with the
 * generic path's roundings: P = F_t = 0 + sigmoid(t), G = G_t = 0 -
 * sigmoid(-t) (nsgan) or 0 - sigmoid(t) (gan), from the terms'
 * gdn__sigmoids (always inlined).  Macros over scalars, not arrays, which
 * keep the simd loops from vectorising.
 *
 * What the generic path computes and these kernels do not, because it
 * cannot change a bit: 0 + s = s for s = sigmoid >= +0 (or NaN); and the
 * terms 2 F_a phi = (2 * 0) phi and 2 G_b theta of the field, x + 0 y
 * with y the coordinate y_i that the field component moves.  x + 0 y is x
 * unless x is a zero of the other sign than 0 y; the sum is then +0, which
 * differs from x only for x = -0 and y >= +0, where the coordinate moves to
 * y_i - lr (+0) or y_i - lr (-0) (lr > 0), or in the flow's stages and
 * combinations to y_i + c (+-0): y_i itself for every y_i >= +0.  So
 * the new states are the generic ones bit for bit (test_fused_is_generic
 * holds the two together); G keeps its 0 - sm, which is +0, not -0, at
 * sm = +0. */
#define SIGMOIDS_2D(t, P, G)                                                 \
    do {                                                                     \
        double s_, sm_, e_;                                                  \
        gdn__sigmoids(t, &s_, &sm_, &e_);                                    \
        P = s_;                                                              \
        G = ns ? 0.0 - sm_ : 0.0 - s_;                                       \
    } while (0)

/* Lane b moves from (y0..y3) to (n0..n3), or keeps (y0..y3) if it is over
 * or the new state left the range (bad[b], any). */
#define COMMIT_2D(y0, y1, y2, y3, n0, n1, n2, n3)                            \
    do {                                                                     \
        int out_ = !(fabs(n0) <= lim) | !(fabs(n1) <= lim) |                 \
                   !(fabs(n2) <= lim) | !(fabs(n3) <= lim);                  \
        int keep_ = (!act[b]) | out_;                                        \
        bad[b] = out_;                                                       \
        any |= act[b] & out_;                                                \
        p0[b] = keep_ ? (y0) : (n0), p1[b] = keep_ ? (y1) : (n1);            \
        q0[b] = keep_ ? (y2) : (n2), q1[b] = keep_ ? (y3) : (n3);            \
    } while (0)

/* One simgd step of every lane; bad[b] = lane b left the range (its state
 * is kept); returns whether a running lane did. */
GDN_VECTOR_CLONES
static int simgd_2d(gdn__lanes *L)
{
    size_t B = L->B;
    double *restrict p0 = L->y, *restrict p1 = L->y + B;
    double *restrict q0 = L->y + 2 * B, *restrict q1 = L->y + 3 * B;
    const double *restrict ld = L->lr, *restrict lg = L->lr + B;
    const int *restrict act = L->act;
    int *restrict bad = L->bad;
    const double lim = L->opts.blowup;
    const int ns = L->fused_ns;
    int any = 0;
#pragma omp simd reduction(| : any)
    for (size_t b = 0; b < B; b++) {
        double a0 = p0[b], a1 = p1[b], c0 = q0[b], c1 = q1[b];
        double t = 0;
        t += c0 * a0;
        t += c1 * a1;
        double P, G;
        SIGMOIDS_2D(t, P, G);
        double n0 = a0 - ld[b] * (P * c0);
        double n1 = a1 - ld[b] * (P * c1);
        double m0 = c0 - lg[b] * (G * a0);
        double m1 = c1 - lg[b] * (G * a1);
        COMMIT_2D(a0, a1, c0, c1, n0, n1, m0, m1);
    }
    L->ctx.nevals++;
    return any;
}

/* One altgd step (order dg, ndis 1) of every lane; as simgd_2d. */
GDN_VECTOR_CLONES
static int altgd_2d(gdn__lanes *L)
{
    size_t B = L->B;
    double *restrict p0 = L->y, *restrict p1 = L->y + B;
    double *restrict q0 = L->y + 2 * B, *restrict q1 = L->y + 3 * B;
    const double *restrict ld = L->lr, *restrict lg = L->lr + B;
    const int *restrict act = L->act;
    int *restrict bad = L->bad;
    const double lim = L->opts.blowup;
    const int ns = L->fused_ns;
    int any = 0;
#pragma omp simd reduction(| : any)
    for (size_t b = 0; b < B; b++) {
        double a0 = p0[b], a1 = p1[b], c0 = q0[b], c1 = q1[b];
        double t = 0;
        t += c0 * a0;
        t += c1 * a1;
        double P, G, Pu, Gu;
        SIGMOIDS_2D(t, P, G); /* the discriminator's G is not used */
        double n0 = a0 - ld[b] * (P * c0);
        double n1 = a1 - ld[b] * (P * c1);
        double u = 0; /* the generator's xi at (n, c) */
        u += c0 * n0;
        u += c1 * n1;
        SIGMOIDS_2D(u, Pu, Gu);
        double m0 = c0 - lg[b] * (Gu * n0);
        double m1 = c1 - lg[b] * (Gu * n1);
        COMMIT_2D(a0, a1, c0, c1, n0, n1, m0, m1);
        (void)G, (void)Pu;
    }
    L->ctx.nevals += 2;
    return any;
}

/* flow_rhs of one lane at (a, c): the field, then -(lr d).  (Scalars,
 * not arrays: arrays in the simd loop keep it from vectorising.) */
#define RHS_2D(a0, a1, c0, c1, d0, d1, d2, d3)                               \
    do {                                                                     \
        double t_ = 0;                                                       \
        t_ += (c0) * (a0);                                                   \
        t_ += (c1) * (a1);                                                   \
        double P_, G_;                                                       \
        SIGMOIDS_2D(t_, P_, G_);                                             \
        d0 = -(ld[b] * (P_ * (c0)));                                         \
        d1 = -(ld[b] * (P_ * (c1)));                                         \
        d2 = -(lg[b] * (G_ * (a0)));                                         \
        d3 = -(lg[b] * (G_ * (a1)));                                         \
    } while (0)

/* One rk4 substep of size h of every lane; bad[b] = lane b left the range
 * (its state kept); returns whether a running lane did. */
GDN_VECTOR_CLONES
static int rk4_2d(gdn__lanes *L, double h)
{
    size_t B = L->B;
    double *restrict p0 = L->y, *restrict p1 = L->y + B;
    double *restrict q0 = L->y + 2 * B, *restrict q1 = L->y + 3 * B;
    const double *restrict ld = L->lr, *restrict lg = L->lr + B;
    const int *restrict act = L->act;
    int *restrict bad = L->bad;
    const double lim = L->opts.blowup, h2 = 0.5 * h, c6 = h / 6.0;
    const int ns = L->fused_ns;
    int any = 0;
#pragma omp simd reduction(| : any)
    for (size_t b = 0; b < B; b++) {
        double y0 = p0[b], y1 = p1[b], y2 = q0[b], y3 = q1[b];
        double k10, k11, k12, k13, k20, k21, k22, k23;
        double k30, k31, k32, k33, k40, k41, k42, k43;
        RHS_2D(y0, y1, y2, y3, k10, k11, k12, k13);
        RHS_2D(y0 + h2 * k10, y1 + h2 * k11, y2 + h2 * k12, y3 + h2 * k13,
               k20, k21, k22, k23);
        RHS_2D(y0 + h2 * k20, y1 + h2 * k21, y2 + h2 * k22, y3 + h2 * k23,
               k30, k31, k32, k33);
        RHS_2D(y0 + h * k30, y1 + h * k31, y2 + h * k32, y3 + h * k33,
               k40, k41, k42, k43);
        double n0 = y0 + c6 * (k10 + 2 * k20 + 2 * k30 + k40);
        double n1 = y1 + c6 * (k11 + 2 * k21 + 2 * k31 + k41);
        double n2 = y2 + c6 * (k12 + 2 * k22 + 2 * k32 + k42);
        double n3 = y3 + c6 * (k13 + 2 * k23 + 2 * k33 + k43);
        COMMIT_2D(y0, y1, y2, y3, n0, n1, n2, n3);
    }
    return any;
}

/* flow_rhs of every lane (no averages), statuses GDN_PT_OK. */
GDN_VECTOR_CLONES
static void rhs_lanes_2d(gdn__lanes *L, const double *y, double *dy, int *st)
{
    size_t B = L->B;
    const double *restrict p0 = y, *restrict p1 = y + B;
    const double *restrict q0 = y + 2 * B, *restrict q1 = y + 3 * B;
    double *restrict d0 = dy, *restrict d1 = dy + B;
    double *restrict d2 = dy + 2 * B, *restrict d3 = dy + 3 * B;
    const double *restrict ld = L->lr, *restrict lg = L->lr + B;
    int *restrict s = st;
    const int ns = L->fused_ns;
#pragma omp simd
    for (size_t b = 0; b < B; b++) {
        RHS_2D(p0[b], p1[b], q0[b], q1[b], d0[b], d1[b], d2[b], d3[b]);
        s[b] = GDN_PT_OK;
    }
}

/* Whether the flow of this game under these options is the 2-D sigmoid
 * GANs' without averages. */
static int flow_2d(const gdn_game *game, const gdn_run_opts *opts, int *ns)
{
    const gdn_system *sys = game->self;
    if (!(opts->opt->flags & GDN_OPT_FLOW) || game->dim != 4 || opts->nema ||
        opts->uniform || strcmp(game->type->name, "dirac") != 0 ||
        !gdn__dirac_fused_applies(sys))
        return 0;
    *ns = sys->model.type == &gdn_model_nsgan;
    return 1;
}

gdn__fused_rhs_fn gdn__fused_rhs_for(const gdn_game *game,
                                     const gdn_run_opts *opts, int *ns)
{
    return flow_2d(game, opts, ns) ? rhs_lanes_2d : NULL;
}

gdn__fused_flow_fn gdn__fused_flow_for(const gdn_game *game,
                                       const gdn_run_opts *opts, int *ns)
{
    if (!flow_2d(game, opts, ns) ||
        gdn_run_opts_get(opts, "method") != GDN_FLOW_RK4)
        return NULL;
    return rk4_2d;
}

/* simgd of any other Dirac system: dirac.c's one-pass step over its
 * terms' lanes (one pass over the batch, not the generic step's four). */
static int simgd_terms(gdn__lanes *L)
{
    L->ctx.nevals++;
    return gdn__dirac_simgd_lanes(L->game->self, L->B, L->y, L->lr, L->act,
                                  L->opts.blowup, L->bad);
}

gdn__fused_fn gdn__fused_step_for(const gdn_game *game,
                                  const gdn_run_opts *opts, int *ns)
{
    const gdn_system *sys = game->self;
    int alt = opts->opt == &gdn_opt_altgd;
    if (opts->opt == &gdn_opt_simgd &&
        strcmp(game->type->name, "dirac") == 0 &&
        !(game->dim == 4 && gdn__dirac_fused_applies(sys)))
        return gdn__dirac_simgd_applies(sys) ? simgd_terms : NULL;
    if ((opts->opt != &gdn_opt_simgd && !alt) || game->dim != 4 ||
        strcmp(game->type->name, "dirac") != 0 ||
        !gdn__dirac_fused_applies(sys))
        return NULL;
    /* altgd: only its default schedule, dg with one discriminator step */
    if (alt && (gdn_run_opts_get(opts, "order") != GDN_ORDER_DG ||
                gdn_run_opts_get(opts, "ndis") != 1))
        return NULL;
    *ns = sys->model.type == &gdn_model_nsgan;
    return alt ? altgd_2d : simgd_2d;
}
