/*
 * fastexp.h - internal, transitional: the sweep kernels' exp for x <= 0 is
 * gdn__exp (src/core/gmath.h), the function single runs call, so that both
 * paths give the same bits.  (Removed with the kernels' call sites.)
 */
#ifndef GANDYN_FASTEXP_H
#define GANDYN_FASTEXP_H

#include "../core/gmath.h"

static inline double gdn__exp_neg(double x) { return gdn__exp(x > 0 ? 0 : x); }

#endif
