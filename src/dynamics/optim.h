/*
 * optim.h - internal: what a discrete optimizer's step sees.
 *
 * A step reads the system and its resolved parameters, may keep memory
 * between steps (mem, zeroed before the first step), has scratch space, and
 * evaluates the field through gdn__grad so that evaluations are counted.
 */
#ifndef GANDYN_OPTIM_H
#define GANDYN_OPTIM_H

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
    long k;                 /* index of this step, from 0 */
    unsigned long nevals;   /* evaluations of xi so far */
};

/* xi at x into out (length 2n), counted.  Returns a GDN_PT_* status. */
int gdn__grad(struct gdn_step_ctx *ctx, const double *x, double *out);

/* Memory size of methods that keep none. */
size_t gdn__no_mem(size_t n);

extern const gdn_opt_type gdn_opt_flow;
extern const gdn_opt_type gdn_opt_simgd;
extern const gdn_opt_type gdn_opt_altgd;

#endif
