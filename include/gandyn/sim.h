/*
 * gandyn/sim.h - one simulation, set up from the strings 'gandyn simulate'
 * takes: the API every front-end shares (the CLI, and any binding).
 *
 *     gdn_error err;
 *     gdn_sim *s = gdn_sim_new(&err);
 *     if (!s || gdn_sim_set(s, "model", "wgan-gp:lambda=0.1", &err) ||
 *         gdn_sim_set(s, "t-end", "40", &err) || gdn_sim_run(s, &err))
 *         fail(err.msg);          // one line, as the CLI prints it
 *     use(gdn_sim_count(s), gdn_sim_times(s), gdn_sim_states(s));
 *     size_t need = gdn_sim_summary(s, NULL, 0);  // then a buffer of need + 1
 *     gdn_sim_free(s);
 *
 * Keys are the options of 'gandyn simulate' without their dashes ('_' may
 * stand for '-'); values are the text the option takes:
 *     model SPEC        the loss pair (default nsgan)
 *     reg SPEC          a regulariser; repeatable, each call appends
 *     dim N             dimension of phi and theta (default 2)
 *     init LIST         phi1,..,phiN,theta1,..,thetaN (default: phi_i = 0.1
 *                       for odd i, 0.2 for even i; theta_i the other way)
 *     opt SPEC          the optimizer or the flow (default flow)
 *     t-end T, dt DT    the flow's horizon and output spacing (100, 0.1)
 *     steps K, every K  a discrete method's steps and output spacing (1000, 1)
 *     ema E             BETA, beta=BETA or tau=TAU; repeatable
 *     ema-debias        flags: value NULL or "1" sets them, "0" clears them
 *     uniform
 *     eps EPS           the diagnosis' "at the equilibrium" distance (1e-6)
 *     blowup B          |x_i| above this has diverged (1e100)
 * A NULL value restores a key's default (for reg and ema: none at all).
 * Each value is checked when it is set; what depends on several keys (steps
 * given to the flow, an EMA given twice, an --init of the wrong length) is
 * checked by gdn_sim_build.  Messages are those of 'gandyn simulate',
 * naming its options ("--dim: 'x' is not a whole number").
 *
 * Setting a key discards what was built and run, so a simulation can be
 * changed and run again; pointers returned by the accessors below are valid
 * until then (or gdn_sim_free).
 */
#ifndef GANDYN_SIM_H
#define GANDYN_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/diagnose.h"
#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/run.h"
#include "gandyn/system.h"
#include "gandyn/traj.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gdn_sim gdn_sim; /* opaque */

/* A simulation with every key at its default; NULL (err: GDN_ENOMEM). */
GDN_API gdn_sim *gdn_sim_new(gdn_error *err);
/* Frees it; NULL is a no-op. */
GDN_API void gdn_sim_free(gdn_sim *s);

/* Sets one key (see above).  GDN_OK, GDN_EINVAL (an unknown key, a bad
 * value, a repeatable key given too often) or GDN_ENOMEM. */
GDN_API int gdn_sim_set(gdn_sim *s, const char *key, const char *value,
                        gdn_error *err);

/* Builds the system, the run's options and the start from the keys, with
 * every check of 'gandyn simulate'.  GDN_OK (also when already built),
 * GDN_EINVAL or GDN_ENOMEM. */
GDN_API int gdn_sim_build(gdn_sim *s, gdn_error *err);

/* Builds if needed, runs to the end recording every sample, and diagnoses
 * the path.  GDN_OK whatever the run did (an outcome such as a divergence
 * is a result: gdn_sim_get_info), GDN_EINVAL (bad keys, or the field is
 * undefined at the start) or GDN_ENOMEM.  Once run, further calls do
 * nothing and return GDN_OK. */
GDN_API int gdn_sim_run(gdn_sim *s, gdn_error *err);

/* ---- after gdn_sim_build (0 or NULL before) */

GDN_API size_t gdn_sim_dim(const gdn_sim *s);  /* n: a state has 2n values */
GDN_API int gdn_sim_is_flow(const gdn_sim *s); /* times are times, not steps */
/* Averages per sample: the EMAs in the order given, then the uniform one. */
GDN_API size_t gdn_sim_navg(const gdn_sim *s);
/* Their names ("ema0.99", "ema_tau5", "uniform"), navg of them; also the
 * group names gdn_traj_write and gdn_traj_colname take. */
GDN_API const char *const *gdn_sim_avg_names(const gdn_sim *s);
GDN_API const double *gdn_sim_init(const gdn_sim *s);           /* the start, 2n */
GDN_API const gdn_system *gdn_sim_system(const gdn_sim *s);
GDN_API const gdn_run_opts *gdn_sim_run_opts(const gdn_sim *s); /* as resolved */

/* ---- after gdn_sim_run (0 or NULL before) */

GDN_API size_t gdn_sim_count(const gdn_sim *s); /* samples */
/* count times (flow) or step indices (discrete). */
GDN_API const double *gdn_sim_times(const gdn_sim *s);
/* count x 2n states (phi, theta), row-major. */
GDN_API const double *gdn_sim_states(const gdn_sim *s);
/* count x navg x 2n averages, already debiased; NULL when navg is 0. */
GDN_API const double *gdn_sim_averages(const gdn_sim *s);
/* All of them as one trajectory, and what the diagnosis made of it. */
GDN_API const gdn_traj *gdn_sim_traj(const gdn_sim *s);
GDN_API const gdn_diagnosis *gdn_sim_diagnosis(const gdn_sim *s);

/* Work and outcome of the run, with 64-bit counters. */
typedef struct gdn_sim_info {
    int status;              /* GDN_DONE, or an outcome (GDN_EDIVERGED, ...) */
    const char *status_name; /* the summary's "status": "done", "diverged",
                                "undefined", "step-underflow", "step-budget",
                                "overflow" */
    uint64_t nevals;         /* evaluations of xi */
    uint64_t accepted;       /* steps taken (flow: accepted steps) */
    uint64_t rejected;       /* flow: rejected trial steps */
    int64_t step;            /* steps taken */
    double t;                /* time reached (discrete: steps) */
    double h_last;           /* flow: last accepted step size */
    size_t samples;          /* = gdn_sim_count */
    char why[GDN_ERRMSG_MAX]; /* for an outcome: what happened, where */
} gdn_sim_info;
/* GDN_OK, or GDN_EINVAL before the run (info zeroed). */
GDN_API int gdn_sim_get_info(const gdn_sim *s, gdn_sim_info *info);

/* The JSON summary ('gandyn simulate --summary'), newline included, into
 * buf: like snprintf, at most size bytes with the terminating NUL (buf may
 * be NULL when size is 0), and the return value is the length of the whole
 * text, so a return >= size means it was cut.  0 (and "") before the run. */
GDN_API size_t gdn_sim_summary(const gdn_sim *s, char *buf, size_t size);
/* The readable report 'gandyn simulate --out FILE' prints: the run, the
 * invariants at both ends, the diagnosis, the averages, the work.  As
 * gdn_sim_summary. */
GDN_API size_t gdn_sim_report(const gdn_sim *s, char *buf, size_t size);

/* The same texts handed to sink in pieces, in order (for a file: no
 * buffer of the whole text, one pass); returns the whole length. */
typedef void (*gdn_sim_sink)(void *ctx, const char *bytes, size_t n);
GDN_API size_t gdn_sim_summary_to(const gdn_sim *s, gdn_sim_sink sink, void *ctx);
GDN_API size_t gdn_sim_report_to(const gdn_sim *s, gdn_sim_sink sink, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
