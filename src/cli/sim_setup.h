/*
 * sim_setup.h - the options of one simulation, shared by 'gandyn simulate'
 * and 'gandyn reproduce' (which runs the very command lines it prints).
 */
#ifndef GANDYN_SIM_SETUP_H
#define GANDYN_SIM_SETUP_H

#include "gandyn.h"

#define MAX_PLOTS 8

/* Everything the command line said, and what was made of it. */
typedef struct sim {
    const char *model_spec, *opt_spec, *init_text;
    const char *reg_spec[GDN_MAX_REGS];
    const char *ema_text[GDN_MAX_EMA];
    const char *out, *summary;
    int want_summary, quiet;
    const char *plot[MAX_PLOTS];  /* --plot files */
    size_t nplot;
    int plot_kind, plot_log;      /* -1: by dimension */
    int given_tend, given_dt, given_steps, given_every;
    size_t nreg, nema;             /* --reg and --ema given */
    long dim;                      /* --dim */
    gdn_system sys;
    unsigned char model_given[GDN_MAX_PARAMS];
    unsigned char reg_given[GDN_MAX_REGS][GDN_MAX_PARAMS];
    gdn_run_opts opts;
    unsigned char opt_given[GDN_MAX_PARAMS];
    double *x0;
    gdn_diag_opts dopts;
    char group_name[GDN_MAX_EMA + 1][32];
    const char *group_ptr[GDN_MAX_EMA + 1];
} sim;

/* Defaults: nsgan, n = 2, the flow, no averages. */
void sim_init(sim *s);
/* Parses simulate's options (usage: the --help text in pieces, NULL-ended;
 * NULL for none); -1: --help was printed (exit 0), 0: fine,
 * 2: bad input (one line printed). */
int sim_parse(sim *s, int argc, char **argv, const char *const *usage);
/* Builds s->sys, s->opts and s->x0 from the parsed text: 0, 1 (out of
 * memory) or 2 (bad input, printed). */
int sim_build(sim *s);
/* Frees what sim_build allocated. */
void sim_release(sim *s);

#endif
