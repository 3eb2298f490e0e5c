/*
 * dirac.h - internal: the evaluation paths of the Dirac game (dirac.c,
 * dirac_fused.c), declared here so that tests can hold them against each
 * other and against gdn_system_grad.
 *
 * Every function takes B lanes in structure-of-arrays (component i of lane
 * b at x[i * B + b]) and writes the blocks of xi from component lo to hi
 * (0..n: phi's, n..2n: theta's, 0..2n: all) in the same layout: out row i
 * is out[(i - lo) * B + b].  x and out must not overlap.  st (B ints, may
 * be NULL) gets each lane's GDN_PT_* status; the worst is returned.
 */
#ifndef GANDYN_GAME_DIRAC_H
#define GANDYN_GAME_DIRAC_H

#include <stddef.h>

#include "gandyn/system.h"

/* The generic lanes: gdn_system_partials lane by lane, the sums and the
 * vector arithmetic over lanes, each lane bit for bit gdn_system_grad. */
int gdn__dirac_grad_lanes(const gdn_system *sys, size_t B, const double *x,
                          size_t lo, size_t hi, double *out, int *st);

/* 1 when the fused path below computes sys's field (gan or nsgan, no
 * regulariser). */
int gdn__dirac_fused_applies(const gdn_system *sys);

/* The fused path for gan / nsgan without regularisers: the model's
 * arithmetic inlined and vectorised over lanes, bit for bit the generic
 * lanes (and so gdn_system_grad).  Every status is GDN_PT_OK. */
int gdn__dirac_grad_fused(const gdn_system *sys, size_t B, const double *x,
                          size_t lo, size_t hi, double *out, int *st);

/* The one-pass simgd step of the generic lanes (dirac.c): n at most
 * this (its new states are on the stack). */
enum { GDN__DIRAC_STEP_NMAX = 8 };

/* 1 when gdn__dirac_simgd_lanes steps sys: n <= GDN__DIRAC_STEP_NMAX and
 * the model's projection, if any, has its lanes version. */
int gdn__dirac_simgd_applies(const gdn_system *sys);

/* One simgd step of B lanes at x (2n B, SoA) in place, rates lr (2 B:
 * lr_d then lr_g): bit for bit the generic step (gd.c's simgd through the
 * game's grad and projection, discrete.c's range check against lim) except
 * that a lane that is bad or not running (act[b] = 0) keeps its state.
 * bad[b] = (the field is undefined ? 2 : 0) | (the new state left the
 * range); returns whether a running lane is bad. */
int gdn__dirac_simgd_lanes(const gdn_system *sys, size_t B, double *x,
                           const double *lr, const int *act, double lim,
                           int *bad);

#endif
