/*
 * fused.c - an optional specialisation of the discrete lanes driver:
 * simgd on the 2-D Dirac gan / nsgan without regularisers, in one pass per
 * step.
 *
 * The generic path (discrete.c) copies the state, evaluates the field
 * (the game's fused lanes field), updates each player and then checks the
 * range: four passes over the batch.  Here one pass reads the state,
 * computes the field with the operations of src/game/dirac_fused.c, steps
 * with those of gd.c's plain update, checks the range and keeps the old
 * state of a lane that left it, so nothing is copied.  The numbers are the
 * generic lanes' bit for bit; tests/test_dynamics.c holds the two against
 * each other (test_fused_simgd_is_generic).
 */
#include <math.h>
#include <string.h>

#include "../game/dirac.h"
#include "../core/gmath.h"
#include "../models/terms.h"
#include "lanes.h"
#include "vector.h"

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
    const double lim = L->opts.blowup, q2 = 2 * 0.0, s2 = 2 * 0.0;
    const int ns = L->fused_ns;
    int any = 0;
#pragma omp simd reduction(| : any)
    for (size_t b = 0; b < B; b++) {
        double a0 = p0[b], a1 = p1[b], c0 = q0[b], c1 = q1[b];
        double t = 0;
        t += c0 * a0;
        t += c1 * a1;
        double e = gdn__exp(-fabs(t)), r = 1.0 / (1.0 + e);
        double s = t >= 0 ? r : e * r, sm = t >= 0 ? e * r : r;
        double P = 0.0 + s, G = ns ? 0.0 - sm : 0.0 - s;
        double n0 = a0 - ld[b] * (P * c0 + q2 * a0);
        double n1 = a1 - ld[b] * (P * c1 + q2 * a1);
        double m0 = c0 - lg[b] * (G * a0 + s2 * c0);
        double m1 = c1 - lg[b] * (G * a1 + s2 * c1);
        int out = !(fabs(n0) <= lim) | !(fabs(n1) <= lim) |
                  !(fabs(m0) <= lim) | !(fabs(m1) <= lim);
        int keep = (!act[b]) | out;
        bad[b] = out;
        any |= act[b] & out;
        p0[b] = keep ? a0 : n0, p1[b] = keep ? a1 : n1;
        q0[b] = keep ? c0 : m0, q1[b] = keep ? c1 : m1;
    }
    L->ctx.nevals++;
    return any;
}

gdn__fused_fn gdn__fused_step_for(const gdn_game *game,
                                  const gdn_run_opts *opts, int *ns)
{
    const gdn_system *sys = game->self;
    if (opts->opt != &gdn_opt_simgd || game->dim != 4 ||
        strcmp(game->type->name, "dirac") != 0 ||
        !gdn__dirac_fused_applies(sys))
        return NULL;
    *ns = sys->model.type == &gdn_model_nsgan;
    return simgd_2d;
}
