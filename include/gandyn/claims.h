/*
 * gandyn/claims.h - the claims of the seed article (docs/specification.md
 * section 5) as data: the experiments they rest on (each a 'gandyn
 * simulate' command line, run by the caller), each claim with its setting,
 * its experiments and figures, and the rule that judges it from the
 * experiments' measurements into a verdict: holds, holds with a
 * refinement (stated), or does not hold.  And the stability table: each
 * model under each method, the linear theory at the equilibrium against a
 * simulation started near it.
 *
 * 'gandyn reproduce' runs the experiments, judges every claim, fills the
 * table and writes the report; any other front-end can do the same.
 */
#ifndef GANDYN_CLAIMS_H
#define GANDYN_CLAIMS_H

#include <stddef.h>

#include "gandyn/diagnose.h"
#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/sweep.h"
#include "gandyn/traj.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------- experiments */

/* The experiments, in order (X(name) each; a file may alias them). */
#define GDN_EXPERIMENTS(X)                                                   \
    X(NSGAN) X(NSGAN_LONG) X(WGAN) X(WGAN_LONG) X(GP0) X(GP1) X(GP1_LONG)    \
    X(QP) X(QP_LONG) X(QP_SCRIPT) X(QP_SCRIPT_LONG) X(QP_L2) X(QP_L2_SMALL) \
    X(QP_L2_BIG) X(WGAN_1D) X(QP_1D) X(EMA)

enum {
#define GDN_EX_ENUM_(name) GDN_EX_##name,
    GDN_EXPERIMENTS(GDN_EX_ENUM_)
#undef GDN_EX_ENUM_
    GDN_EX_FGAN0, /* ten f-GANs follow */
    GDN_EX_COUNT = GDN_EX_FGAN0 + 10
};

typedef struct gdn_experiment {
    const char *id;    /* file stem: "nsgan-long" */
    const char *title; /* panel title */
    const char *args;  /* the options of 'gandyn simulate' that run it */
} gdn_experiment;

/* Experiment e (0 <= e < GDN_EX_COUNT), NULL otherwise. */
GDN_API const gdn_experiment *gdn_experiment_get(int e);

/* What the experiments measured: the diagnosis and the trajectory (with
 * its averages) of each; a claim reads only its own experiments'. */
typedef struct gdn_claim_runs {
    const gdn_diagnosis *d[GDN_EX_COUNT];
    const gdn_traj *tr[GDN_EX_COUNT];
} gdn_claim_runs;

/* ---------------------------------------------------------------- claims */

enum { GDN_CLAIM_HOLDS, GDN_CLAIM_REFINED, GDN_CLAIM_FAILS };
/* "holds", "holds with a refinement", "does not hold"; "?" otherwise. */
GDN_API const char *gdn_claim_verdict_name(int verdict);

#define GDN_CLAIM_COUNT 10
#define GDN_CLAIM_MAX_NUMS 24

/* A claim judged: its definition (the first five fields, the same for
 * every run) and what came out. */
typedef struct gdn_claim_result {
    int id;                /* 1.. */
    const char *seed;      /* the claim as the seed makes it */
    const char *setting;   /* what was run */
    int ex[12];            /* experiments behind it (-1 ends) */
    const char *figs[6];   /* the report's figure files, NULL ends */
    char measured[4096];   /* what came out, in words and numbers */
    char summary[160];     /* one line for a table */
    char note[700];        /* the refinement, or why it fails */
    char horizon[200];     /* how horizons were extended, if they were */
    int verdict;           /* GDN_CLAIM_* */
    const char *keys[GDN_CLAIM_MAX_NUMS]; /* named numbers */
    double vals[GDN_CLAIM_MAX_NUMS];
    size_t nnum;
} gdn_claim_result;

/* Judges claim k (0 <= k < GDN_CLAIM_COUNT) from runs (every experiment
 * of the claim measured).  GDN_EINVAL for a bad k or a missing
 * measurement. */
GDN_API int gdn_claim_judge(size_t k, const gdn_claim_runs *runs,
                            gdn_claim_result *out, gdn_error *err);

/* ------------------------------------------------------------ the maps */

/* A map of the report: one trajectory per point of a two-axis sweep,
 * labelled by the diagnosis (the boundary of linear stability drawn over
 * it where boundary is set), and the 'gandyn sweep' command that makes it. */
#define GDN_CLAIM_MAPS 2
typedef struct gdn_claim_map {
    const char *file;    /* "map-lr-gamma.png" */
    const char *title;   /* the figure's title */
    const char *model;   /* model SPEC */
    const char *reg;     /* regularizer SPEC, NULL: none */
    const char *opt;     /* optimizer SPEC */
    long steps;          /* sampled every 10 */
    size_t n;            /* dimension */
    double x0[4];        /* the start (2n values) */
    const char *ax0, *ax1; /* the axes: "lr=0.02:2:100" */
    int boundary;        /* draw the boundary of linear stability */
    const char *command; /* the command that makes the figure */
} gdn_claim_map;

/* Map k (0 <= k < GDN_CLAIM_MAPS), NULL otherwise. */
GDN_API const gdn_claim_map *gdn_claim_map_get(int k);
/* The sweep of map m into sw (which points into m: keep m).  GDN_EINVAL
 * for an entry that does not parse. */
GDN_API int gdn_claim_map_sweep(const gdn_claim_map *m, gdn_sweep *sw,
                                gdn_error *err);

/* ------------------------------------------------------ stability table */

#define GDN_STAB_TABLE_MODELS 15
#define GDN_STAB_TABLE_METHODS 7

/* Row mi: a model SPEC, with " + l2" for l2:gamma=0.1 on it ("nsgan + l2");
 * column oi: an optimizer SPEC ("simgd:lr=0.1") and its short name. */
GDN_API const char *gdn_stab_table_model(int mi);
GDN_API const char *gdn_stab_table_method(int oi);
GDN_API const char *gdn_stab_table_method_name(int oi);

/* One cell: the linearisation at the equilibrium (2-D) next to a
 * simulation from 1e-3 times the seed's start (flow to T = 200 by 0.1, or
 * 4000 steps, every 2nd sampled). */
typedef struct gdn_stab_cell {
    int verdict;       /* GDN_STAB_* of the theory (-1: not applicable) */
    double theory;     /* decay rate -max Re (flow) or -log rho (per step) */
    int label;         /* the simulation's diagnosis (-1: not run) */
    double measured;   /* its rate: > 0 decays, < 0 grows, NaN none */
    int disagree;      /* the theory decides (stable or unstable) and the
                          simulation contradicts it or its rate differs by
                          more than 10% */
} gdn_stab_cell;

/* Fills cell (mi, oi).  GDN_EINVAL for indices out of range (or a table
 * entry that does not parse). */
GDN_API int gdn_stab_table_cell(int mi, int oi, gdn_stab_cell *c, gdn_error *err);

/* The rate at which |x| decays (> 0) or grows (< 0) while the run stays
 * where the linearisation describes it: from the start until |x| leaves
 * [1e-200, 10 |x0|], from the envelopes (window maxima of |x|) of the last
 * three of four windows.  NaN when that is shorter than 40 samples. */
GDN_API double gdn_stab_table_rate(const gdn_traj *tr);

#ifdef __cplusplus
}
#endif
#endif
