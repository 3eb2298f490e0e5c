/*
 * average.h - internal: the averages of a run (EMAs with or without
 * debiasing, and the uniform Polyak average), over lanes.
 *
 * One object serves both kinds of run:
 *  - discrete: after every step e_j <- beta_j e_j + (1 - beta_j) x and
 *    s <- s + x; sample k is e_j / (1 - beta_j^k) (debiased; x0 at k = 0)
 *    or e_j, and s / (k + 1);
 *  - flow: the averages are integrated with the state, as components
 *    m (1 + j) .. of the augmented y: e_j' = (x - e_j) / tau_j, s' = x; the
 *    object supplies their initial values, their right-hand side, and the
 *    sample at time t: e_j / (1 - exp(-t / tau_j)) (debiased) or e_j, and
 *    s / t (x0 at t = 0).
 * Debiased EMAs start at 0, the others at x0; s starts at x0 (discrete) or
 * 0 (flow, an integral).  Arrays are SoA over B lanes: component i of lane
 * b at [i * B + b], average j's block at [j * m * B].
 */
#ifndef GANDYN_AVERAGE_H
#define GANDYN_AVERAGE_H

#include <stddef.h>

#include "gandyn/run.h"

typedef struct gdn__avg {
    size_t m, B;              /* components of a state, lanes */
    size_t nema;              /* EMAs */
    int debias, uniform;      /* debiased EMAs; the uniform average too */
    double beta[GDN_MAX_EMA]; /* discrete: decays per step */
    double tau[GDN_MAX_EMA];  /* flow: time constants */
} gdn__avg;

/* Averages of opts over B lanes of m components (for the flow, the time
 * constants: tau, or dt / (1 - beta)). */
void gdn__avg_init(gdn__avg *a, const gdn_run_opts *opts, size_t m, size_t B);

/* nema + uniform. */
size_t gdn__avg_count(const gdn__avg *a);

/* The averages' start from x0 (m B): into acc (count m B doubles: the
 * discrete state, or the flow's augmented components). */
void gdn__avg_start(gdn__avg *a, int flow, const double *x0, double *acc);

/* Discrete: the averages after a step to x. */
void gdn__avg_step(gdn__avg *a, const double *x, double *acc);

/* Flow: the right-hand side of the averages' components at y (x then
 * acc), into dacc. */
void gdn__avg_rhs(const gdn__avg *a, const double *x, const double *acc,
                  double *dacc);

/* Lane b's sample of the averages into out (count m B, SoA): discrete at
 * step k (t = k), flow at time t. */
void gdn__avg_sample(const gdn__avg *a, int flow, size_t b, double t,
                     const double *x0, const double *acc, double *out);

#endif
