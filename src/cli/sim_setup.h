/*
 * sim_setup.h - the options of one simulation, shared by 'gandyn simulate'
 * and 'gandyn reproduce' (which runs the very command lines it prints):
 * argv into a gdn_sim (gandyn/sim.h), which checks them; what is left here
 * is the outputs' options.
 */
#ifndef GANDYN_SIM_SETUP_H
#define GANDYN_SIM_SETUP_H

#include "gandyn.h"

#define MAX_PLOTS 8

/* Everything the command line said. */
typedef struct sim {
    gdn_sim *api;                 /* the simulation's own options */
    const char *out, *summary;
    int want_summary, quiet;
    const char *plot[MAX_PLOTS];  /* --plot files */
    size_t nplot;
    int plot_kind, plot_log;      /* -1: by dimension */
} sim;

/* Defaults: nsgan, n = 2, the flow, no averages. */
void sim_init(sim *s);
/* Parses simulate's options (usage: the --help text in pieces, NULL-ended;
 * NULL for none); -1: --help was printed (exit 0), 0: fine,
 * 2: bad input, 1: out of memory (one line printed). */
int sim_parse(sim *s, int argc, char **argv, const char *const *usage);
/* Builds the simulation from the parsed options: 0, 1 (out of memory) or
 * 2 (bad input, printed). */
int sim_build(sim *s);
/* Frees the simulation. */
void sim_release(sim *s);

#endif
