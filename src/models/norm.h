/*
 * norm.h - internal: Euclidean norms that do not overflow.
 *
 * The sum of squares is formed as is while the largest |v_i| lies in
 * [2^-230, 2^230] (no square can overflow or underflow there), otherwise of
 * v scaled by a power of two, which is exact: so the result is the plain
 * formula's, bit for bit, wherever that one is representable.
 */
#ifndef GANDYN_NORM_H
#define GANDYN_NORM_H

#include <stddef.h>

/* |v| of length m; +inf only if |v| itself exceeds DBL_MAX. */
double gdn__norm(const double *v, size_t m);

/* Exponent e with v / 2^e in [0.5, 1) for finite v != 0; 0 otherwise. */
int gdn__exponent(double v);

/* Whether the plain formulas are safe for a vector whose largest |v_i| has
 * exponent e (see gdn__exponent). */
#define GDN__PLAIN_EXP(e) ((e) > -230 && (e) < 230)

#endif
