/*
 * vector.h - internal: how the loops over lanes are compiled.
 *
 * The hot loops are compiled for AVX-512, AVX2 and the baseline, and the
 * loader picks one: the same IEEE operations either way (no fused
 * multiply-adds: -ffp-contract=off), so the results do not change.  The
 * files that use it are built with -fno-trapping-math (CMakeLists.txt), so
 * that the selects between a lane's old and new values are if-converted and
 * vectorise; we never read the floating-point exception flags.
 */
#ifndef GANDYN_VECTOR_H
#define GANDYN_VECTOR_H

#include <stdint.h>

#include "../core/gmath.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define GDN_VECTOR_CLONES \
    __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GDN_VECTOR_CLONES
#endif
#ifdef __GNUC__
#define GDN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define GDN_ALWAYS_INLINE inline
#endif

/* Selects in bit operations, c 0 or 1: a lane loop's
 * "x[b] = c ? v : x[b]" is compiled into a masked store (if-conversion of
 * what the compiler sees as a conditional store), which is slow on some
 * CPUs (AMD Zen 1: about ten cycles per vector); an unconditional store of
 * a blend is not. */
static inline double gdn__sel(int64_t c, double a, double b)
{
    uint64_t m = (uint64_t)0 - (uint64_t)c;
    return gdn__from_bits((gdn__to_bits(a) & m) | (gdn__to_bits(b) & ~m));
}

static inline int64_t gdn__seli(int64_t c, int64_t a, int64_t b)
{
    int64_t m = -c;
    return (a & m) | (b & ~m);
}

/* fmax(a, b) as a select, so that a loop over lanes vectorises (the
 * library's fmax is a call): NaN loses, as in fmax.  Equal values give b:
 * only for arguments where +0 and -0 cannot tie (|x|, positive sums). */
static inline double gdn__fmax_sel(double a, double b)
{
    return a > b || b != b ? a : b;
}

#endif
