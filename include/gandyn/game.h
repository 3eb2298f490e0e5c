/*
 * gandyn/game.h - a differentiable game: players who own blocks of one flat
 * state, and the simultaneous gradient of their losses.
 *
 * State.  x has dim components; player p owns x[off[p] .. off[p+1]) and
 * minimises its own loss L_p over its block.  The simultaneous gradient is
 *
 *     xi(x) = (grad_{x_0} L_0, grad_{x_1} L_1, ...)      (length dim)
 *
 * and every optimizer, integrator and analysis in gandyn sees a model only
 * through it (and, where the game supplies them, its Jacobian J = d xi / dx
 * as products J v and J^T v, or as a dense matrix for small games).
 *
 * Lanes.  Every function takes B >= 1 independent copies of the state
 * ("lanes") stored structure-of-arrays: component i of lane b is
 * x[i * B + b].  A single trajectory is B = 1, the plain flat vector, so the
 * batched path and the single path are one code.  Lanes never interact: the
 * value of lane b depends on lane b's inputs alone, bit for bit, whatever B
 * is.
 *
 * Status.  Evaluations report GDN_PT_* (gandyn/model.h): OK, EXTENDED (the
 * first derivatives exist only as an extension; no Jacobian there) or
 * UNDEFINED (the field does not exist there; the lane's output is zeroed).
 * A function given st (B ints, may be NULL) writes each lane's status there
 * and returns the worst.  Outputs never overlap inputs.
 *
 * The Dirac GAN (gdn_game_dirac) has two players, the discriminator phi
 * (block 0) and the generator theta (block 1), of n components each.
 * docs/games.md says what a game supplies and how to add one.
 */
#ifndef GANDYN_GAME_H
#define GANDYN_GAME_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most players one game has. */
#define GDN_MAX_PLAYERS 8
/* Most named observables one game reports. */
#define GDN_MAX_OBS 16

typedef struct gdn_game gdn_game;

/* A game type: a const vtable.  Optional entries are NULL when the game
 * does not have them; gdn_game_* below then fall back where they can. */
typedef struct gdn_game_type {
    const char *name; /* "dirac", "linear" */
    /* Required: xi at B lanes of x into xi (dim * B).  Returns the worst
     * GDN_PT_*; st as above. */
    int (*grad)(const gdn_game *g, size_t B, const double *x, double *xi,
                int *st);
    /* Optional: player p's block of xi only (size_p * B values, SoA with
     * size_p rows), for games where that is cheaper than all of xi. */
    int (*player_grad)(const gdn_game *g, size_t p, size_t B, const double *x,
                       double *xi_p, int *st);
    /* Optional: out = J v and out = J^T v at x (all dim * B, SoA).  Where J
     * does not exist (status not GDN_PT_OK) the lane's out is zero. */
    int (*jvp)(const gdn_game *g, size_t B, const double *x, const double *v,
               double *out, int *st);
    int (*vjp)(const gdn_game *g, size_t B, const double *x, const double *v,
               double *out, int *st);
    /* Optional: both products of one v at once (jv = J v, jtv = J^T v),
     * for games where they share work (SGA needs both). */
    int (*jvp_vjp)(const gdn_game *g, size_t B, const double *x,
                   const double *v, double *jv, double *jtv, int *st);
    /* Optional: the dense row-major dim x dim Jacobian at one point (B = 1);
     * zeroed where it does not exist.  Returns a GDN_PT_* status. */
    int (*jacobian)(const gdn_game *g, const double *x, double *J);
    /* Optional: a projection of player p's block, applied by the schedule
     * after every update of that player (wgan-clip clips phi).  In place;
     * cannot fail (the Dirac game's, for n > 256 and B > 1, needs 2n
     * doubles from malloc and leaves x as it is without them). */
    void (*project)(const gdn_game *g, size_t p, size_t B, double *x);
    /* Optional: the nobs named observables of one state (B = 1) into out. */
    void (*observe)(const gdn_game *g, const double *x, double *out);
    /* Optional: writes a known equilibrium into x (B = 1); returns 1 when
     * the game has one, 0 otherwise. */
    int (*equilibrium)(const gdn_game *g, double *x);
} gdn_game_type;

/* A game: caller-owned, filled by a constructor, read-only afterwards
 * (except rng, which a stochastic game advances). */
struct gdn_game {
    const gdn_game_type *type;
    const void *self;        /* the game's data, owned by the caller
                                (a gdn_system for the Dirac GAN) */
    size_t dim;              /* length of the state */
    size_t nplayers;         /* 1 .. GDN_MAX_PLAYERS */
    size_t off[GDN_MAX_PLAYERS + 1]; /* player p owns [off[p], off[p+1]) */
    const char *player[GDN_MAX_PLAYERS]; /* names: "D", "G" */
    size_t nobs;             /* named observables */
    const char *obs[GDN_MAX_OBS]; /* their names: "|theta|", "E", ... */
    /* A stochastic game's own random state (none of today's games is one:
     * it is zero and never read).  The rule for one: xoshiro256** words,
     * seeded by its constructor through splitmix64 from a caller's seed;
     * its draws for a lane must not depend on the other lanes or on B (a
     * stream per lane, derived from rng and the lane's index in the run,
     * not one stream shared in lane order), so lanes stay independent. */
    uint64_t rng[4];
};

/* The Dirac GAN of sys as a game (two players of sys->n each; observables
 * |phi|, |theta|, |x|, E, Gamma, theta.phi; equilibrium 0 where the model
 * has it).  sys must outlive g.  GDN_EINVAL if sys does not check. */
GDN_API int gdn_game_dirac(gdn_game *g, const gdn_system *sys, gdn_error *err);

/* The linear game xi(x) = J x (row-major dim x dim, caller-owned, must
 * outlive g), with players of the given sizes (summing to dim).  It is how
 * stability analysis runs every method's own step on the linearisation. */
GDN_API int gdn_game_linear(gdn_game *g, size_t dim, size_t nplayers,
                            const size_t *sizes, const double *J, gdn_error *err);

/* Size of player p's block. */
GDN_API size_t gdn_game_block(const gdn_game *g, size_t p);

/* Dispatchers with fallbacks: jvp / vjp from the dense jacobian (one lane
 * at a time) when the game has no products; a game with neither gives zero
 * products and status GDN_PT_EXTENDED (no Jacobian there). */
GDN_API int gdn_game_grad(const gdn_game *g, size_t B, const double *x, double *xi,
                          int *st);
/* Player p's block of xi (gdn_game_block(g, p) * B values); without a
 * player_grad, all of xi into a scratch array (GDN_PT_UNDEFINED and zeros
 * when it cannot be allocated) and the block copied. */
GDN_API int gdn_game_player_grad(const gdn_game *g, size_t p, size_t B,
                                 const double *x, double *xi_p, int *st);
GDN_API int gdn_game_jvp(const gdn_game *g, size_t B, const double *x,
                         const double *v, double *out, int *st);
GDN_API int gdn_game_vjp(const gdn_game *g, size_t B, const double *x,
                         const double *v, double *out, int *st);
/* jv = J v and jtv = J^T v (both dim * B); st as above, the worst of
 * the two.  Without a jvp_vjp, gdn_game_jvp then gdn_game_vjp. */
GDN_API int gdn_game_jvp_vjp(const gdn_game *g, size_t B, const double *x,
                             const double *v, double *jv, double *jtv,
                             int *st);

#ifdef __cplusplus
}
#endif
#endif
