/*
 * optim.h - internal: what a discrete optimizer's step sees.
 *
 * A step reads the system and its resolved parameters, may keep memory
 * between steps (mem, zeroed before the first step), has scratch space, and
 * evaluates the field through gdn__grad so that evaluations are counted.
 */
#ifndef GANDYN_OPTIM_H
#define GANDYN_OPTIM_H

#include <math.h>

#include "gandyn/run.h"
#include "gandyn/system.h"

/* Scratch doubles a step may use, in units of 2n. */
#define GDN_STEP_WORK 4

struct gdn_step_ctx {
    const gdn_system *sys;  /* the field */
    const double *par;      /* resolved parameters of the method */
    double lr_d, lr_g;      /* learning rates of D and G */
    double *mem;            /* opt->mem_size(n) doubles kept between steps */
    double *work;           /* GDN_STEP_WORK * 2n doubles of scratch */
    unsigned long nevals;   /* evaluations of xi so far */
    const double *lin_J;    /* stability analysis: if not NULL, the field
                               is the linear xi(x) = J x (2n x 2n, row-major)
                               and there is no projection */
};

/* xi at x into out (length 2n), counted (J x under lin_J).  Returns a
 * GDN_PT_* status. */
int gdn__grad(struct gdn_step_ctx *ctx, const double *x, double *out);

/* x <- x - H g: each player along -g at its own rate (lr_d, lr_g). */
void gdn__descend(const struct gdn_step_ctx *ctx, double *x, const double *g);

/* Applies the model's projection (wgan-clip) to x, if it has one. */
void gdn__constrain(const struct gdn_step_ctx *ctx, double *x);

/* The Jacobian of xi at x into J (2n x 2n), or lin_J under analysis. */
int gdn__jacobian(struct gdn_step_ctx *ctx, const double *x, double *J);

/* Memory size of methods that keep none. */
size_t gdn__no_mem(size_t n);

/* One player's update of its n parameters p from its gradient g, with its
 * own memory mem (mem_per_player doubles, see gdn__scheduled_step). */
typedef void (*gdn__update_fn)(struct gdn_step_ctx *ctx, double *p,
                               const double *g, double *mem, size_t n,
                               double lr);

/* How the two players take turns (gd.c). */
typedef struct gdn__schedule {
    int alternating; /* 0: both from the same point; 1: one after the other */
    int g_first;     /* alternating: the generator moves first */
    long ndis;       /* alternating: discriminator updates per step */
} gdn__schedule;

/* Reads a schedule from parameters at the given indices; k_sched may be
 * (size_t)-1 for "always alternating". */
void gdn__schedule_of(const double *par, size_t k_sched, size_t k_order,
                      size_t k_ndis, gdn__schedule *s);

/* One step of update rule up on schedule s; D's memory is mem[0..m), G's
 * mem[m..2m) with m = mem_per_player.  Returns a GDN_PT_* status. */
int gdn__scheduled_step(struct gdn_step_ctx *ctx, double *x, gdn__update_fn up,
                        size_t mem_per_player, const gdn__schedule *s);

/* Schedule values. */
enum { GDN_SCHEDULE_SIM = 0, GDN_SCHEDULE_ALT = 1 };

/* The parameters every discrete method starts with: lr, lr_d, lr_g. */
#define GDN__LR_PARAMS(def)                                                  \
    {"lr", (def), 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL, "learning rate h"},\
    {"lr_d", NAN, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,                   \
     "discriminator's learning rate (default: lr)"},                          \
    {"lr_g", NAN, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,                   \
     "generator's learning rate (default: lr)"}

/* order and ndis of the alternating schedule. */
#define GDN__ORDER_PARAMS                                                    \
    {"order", GDN_ORDER_DG, 0, 1, GDN_PARAM_ENUM, "dg|gd",                 \
     "alternating: dg discriminator first (the usual loop), gd generator "  \
     "first"},                                                                \
    {"ndis", 1, 1, 1e6, GDN_PARAM_INT, NULL,                                 \
     "alternating: discriminator steps per generator step"}

/* schedule, then order and ndis. */
#define GDN__SCHEDULE_PARAMS                                                 \
    {"schedule", GDN_SCHEDULE_SIM, 0, 1, GDN_PARAM_ENUM, "sim|alt",          \
     "sim: both players from the same point; alt: one after the other"},    \
    GDN__ORDER_PARAMS

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
