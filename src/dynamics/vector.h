/*
 * vector.h - internal: the lane loops' compilation (src/core/simd.h) and
 * selects (src/core/gmath.h), for the dynamics layer and above.
 */
#ifndef GANDYN_VECTOR_H
#define GANDYN_VECTOR_H

#include "../core/gmath.h"
#include "../core/simd.h"

#endif
