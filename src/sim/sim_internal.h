/*
 * sim_internal.h - the simulation object (gandyn/sim.h), shared by its
 * setup and run (sim.c) and its texts (summary.c).
 */
#ifndef GANDYN_SIM_INTERNAL_H
#define GANDYN_SIM_INTERNAL_H

#include "gandyn/sim.h"

/* Longest average name, terminator included ("ema_tau" + 24). */
#define GDN__SIM_NAME_MAX 32

struct gdn_sim {
    /* the keys as set (copies; NULL: the default) */
    char *model_spec, *opt_spec, *init_text;
    char *reg_spec[GDN_MAX_REGS];
    char *ema_text[GDN_MAX_EMA];
    size_t nreg, nema;
    long dim;
    int given_tend, given_dt, given_steps, given_every;
    gdn_run_opts opts;   /* t_end, dt, steps, every, debias, uniform, blowup */
    gdn_diag_opts dopts; /* eps */
    /* built (gdn_sim_build) */
    int built;
    gdn_system sys;
    unsigned char model_given[GDN_MAX_PARAMS];
    unsigned char reg_given[GDN_MAX_REGS][GDN_MAX_PARAMS];
    unsigned char opt_given[GDN_MAX_PARAMS];
    double *x0;
    char group_name[GDN_MAX_EMA + 1][GDN__SIM_NAME_MAX];
    const char *group_ptr[GDN_MAX_EMA + 1];
    /* run (gdn_sim_run) */
    int ran;
    int status; /* GDN_DONE or an outcome */
    gdn_traj tr;
    gdn_run_info info;
    gdn_diagnosis diag;
};

/* The spec as given, or the default. */
const char *gdn__sim_model_spec(const gdn_sim *s);
const char *gdn__sim_opt_spec(const gdn_sim *s);
/* "done", "diverged", ... of a run's final status. */
const char *gdn__sim_status_name(int status);

#endif
