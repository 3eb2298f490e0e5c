/*
 * optim.h - internal: the optimizer contract (what a discrete method's step
 * sees) and the schedule every first-order method runs on.
 *
 * A step advances B independent lanes of a game's state x, stored
 * structure-of-arrays (component i of lane b at x[i * B + b]; a single run
 * is B = 1).  It reads the game only through gdn__grad (counted) and the
 * game's products, its typed parameters through ctx->par, and each player's
 * per-lane learning rate from ctx->lr.  Players' blocks come from
 * game->off; no method splits x itself.  The schedule applies the game's
 * projection after every update of a player.
 *
 * Memory (ctx->mem, mem_size(game) * B doubles, zeroed before the first
 * step) is SoA too: row r of lane b at mem[r * B + b].  Lane statuses: after
 * a step, ctx->st[b] is the worst GDN_PT_* lane b met; a lane with
 * GDN_PT_UNDEFINED is garbage (the driver restores it).  A step stops early
 * (returns GDN_PT_UNDEFINED) only when every lane is undefined.
 */
#ifndef GANDYN_OPTIM_H
#define GANDYN_OPTIM_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "gandyn/game.h"
#include "gandyn/run.h"

/* Scratch a step may use, in units of dim * B doubles.  The last unit is
 * the schedule's own (the lanes' worst statuses during the step): methods
 * use at most GDN_STEP_WORK - 1 units. */
#define GDN_STEP_WORK 4

struct gdn_step_ctx {
    const gdn_game *game; /* the field (Dirac, linear, later networks) */
    size_t B;             /* lanes */
    const void *par;      /* the method's typed parameter struct */
    const double *lr;     /* nplayers * B learning rates, lr[p*B + b] */
    double *mem;          /* mem_size(game) * B doubles, SoA, zeroed first */
    double *work;         /* GDN_STEP_WORK * dim * B doubles of scratch */
    uint64_t nevals;      /* evaluations of xi (per lane) */
    int *st;              /* B lane statuses of this step (worst GDN_PT_*) */
};

/* Starts a step: every lane's status OK. */
void gdn__step_begin(struct gdn_step_ctx *ctx);

/* xi at x into out (dim * B), counted; merges each lane's status into the
 * step's record (ctx->st is the game's scratch until gdn__step_end).
 * Returns GDN_PT_UNDEFINED when every lane is undefined (the step should
 * stop), another GDN_PT_* otherwise. */
int gdn__grad(struct gdn_step_ctx *ctx, const double *x, double *out);

/* Ends a step: each lane's worst status into ctx->st; returns the worst. */
int gdn__step_end(const struct gdn_step_ctx *ctx);

/* x <- x - H g: each player along -g at its own per-lane rate. */
void gdn__descend(const struct gdn_step_ctx *ctx, double *x, const double *g);

/* The game's projection of player p's block (none: nothing). */
static inline void gdn__project(const struct gdn_step_ctx *ctx, size_t p,
                                double *x)
{
    if (ctx->game->type->project)
        ctx->game->type->project(ctx->game, p, ctx->B, x);
}

/* The projection of every player's block. */
static inline void gdn__constrain(const struct gdn_step_ctx *ctx, double *x)
{
    for (size_t p = 0; p < ctx->game->nplayers; p++)
        gdn__project(ctx, p, x);
}

/* Size of player p's block (gdn_game_block inline: updates ask every
 * step, and an outside call there costs as much as a small update). */
static inline size_t gdn__block(const gdn_game *g, size_t p)
{
    return g->off[p + 1] - g->off[p];
}

/* Memory size of methods that keep none. */
size_t gdn__no_mem(const gdn_game *g);

/* One player's update of its block of x from the gradient g (both full
 * states, dim * B), with its own memory mem (rows(size of p) * B doubles,
 * SoA) and its per-lane rates lr (B values). */
typedef void (*gdn__update_fn)(const struct gdn_step_ctx *ctx, size_t p,
                               double *x, const double *g, double *mem,
                               const double *lr);

/* A first-order rule: its update and the rows of memory it keeps for a
 * player of a given block size (NULL: none).  Player p's memory follows
 * the players before it. */
typedef struct gdn__rule {
    gdn__update_fn update;
    size_t (*rows)(size_t size);
} gdn__rule;

/* Memory rows (per lane) of rule r over all players of g. */
size_t gdn__rule_mem(const gdn_game *g, const gdn__rule *r);

/* How the players take turns. */
typedef struct gdn__schedule {
    int alternating; /* 0: all from the same point; 1: one after the other */
    int g_first;     /* alternating: order gd, the last player first */
    long ndis;       /* alternating: updates of player 0 per step */
} gdn__schedule;

/* Schedule values. */
enum { GDN_SCHEDULE_SIM = 0, GDN_SCHEDULE_ALT = 1 };

/* The schedule of the parameter values schedule, order, ndis (a struct's
 * fields; schedule NAN means "always alternating").  Inline: every step
 * asks. */
static inline gdn__schedule gdn__schedule_of(double schedule, double order,
                                             double ndis)
{
    gdn__schedule s = {isnan(schedule) || schedule == GDN_SCHEDULE_ALT,
                       order == GDN_ORDER_GD, (long)ndis};
    return s;
}

/* One step of rule r on schedule s:
 *   sim:  xi = xi(x); every player p: x_p <- U(x_p, xi_p); project p;
 *   alt:  order dg: player 0 ndis times, then 1, 2, ...; order gd: the
 *         last player first, down to 1, then player 0 ndis times; each
 *         update from a fresh xi at the current point, then projected.
 * Returns a GDN_PT_* status (see gdn__step_end). */
int gdn__scheduled_step(struct gdn_step_ctx *ctx, double *x,
                        const gdn__rule *r, const gdn__schedule *s);

/* The learning rates every discrete method starts with; a method's struct
 * begins with these fields. */
#define GDN__LR_FIELDS double lr, lr_d, lr_g
#define GDN__LR_PARAMS(def, S)                                               \
    GDN_PARAM_ENTRY("lr", (def), 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,     \
                    "learning rate h", S, lr),                               \
    GDN_PARAM_INHERITS("lr_d", "lr", 0.0, INFINITY, GDN_PARAM_LO_OPEN,       \
                       "discriminator's learning rate (default: lr)", S,     \
                       lr_d),                                                \
    GDN_PARAM_INHERITS("lr_g", "lr", 0.0, INFINITY, GDN_PARAM_LO_OPEN,       \
                       "generator's learning rate (default: lr)", S, lr_g)

/* The leading fields of every discrete method's struct. */
struct gdn__lr_par {
    GDN__LR_FIELDS;
};

/* order and ndis of the alternating schedule. */
#define GDN__ORDER_FIELDS double order, ndis
#define GDN__ORDER_PARAMS(S)                                                 \
    GDN_PARAM_ENTRY("order", GDN_ORDER_DG, 0, 1, GDN_PARAM_ENUM, "dg|gd",    \
                    "alternating: dg discriminator first (the usual loop), " \
                    "gd generator first", S, order),                         \
    GDN_PARAM_ENTRY("ndis", 1, 1, 1e6, GDN_PARAM_INT, NULL,                  \
                    "alternating: discriminator steps per generator step",   \
                    S, ndis)

/* schedule, then order and ndis. */
#define GDN__SCHEDULE_FIELDS double schedule, order, ndis
#define GDN__SCHEDULE_PARAMS(S)                                              \
    GDN_PARAM_ENTRY("schedule", GDN_SCHEDULE_SIM, 0, 1, GDN_PARAM_ENUM,      \
                    "sim|alt",                                               \
                    "sim: both players from the same point; alt: one after " \
                    "the other", S, schedule),                               \
    GDN__ORDER_PARAMS(S)

/* Every parameter struct is an array of doubles at most GDN_MAX_PARAMS
 * long, so a double[GDN_MAX_PARAMS] buffer holds any of them. */
#define GDN__PAR_FITS(S)                                                     \
    _Static_assert(sizeof(S) <= GDN_MAX_PARAMS * sizeof(double),             \
                   #S " fits a parameter buffer")

/* The flow's parameters (its table is in optimizers.c). */
struct gdn__flow_par {
    double method, rtol, atol, h, lr, lr_d, lr_g, max_steps;
};

extern const gdn_opt_type gdn_opt_flow;
extern const gdn_opt_type gdn_opt_simgd;
extern const gdn_opt_type gdn_opt_altgd;
extern const gdn_opt_type gdn_opt_momentum;
extern const gdn_opt_type gdn_opt_nesterov;
extern const gdn_opt_type gdn_opt_adam;
extern const gdn_opt_type gdn_opt_rmsprop;
extern const gdn_opt_type gdn_opt_extragradient;
extern const gdn_opt_type gdn_opt_ogda;
extern const gdn_opt_type gdn_opt_consensus;
extern const gdn_opt_type gdn_opt_sga;

#endif
