/*
 * simd.h - internal: how the loops over lanes are compiled, for every layer.
 *
 * The hot loops are compiled for AVX-512, AVX2 and the baseline, and the
 * loader picks one: the same IEEE operations either way (no fused
 * multiply-adds: -ffp-contract=off), so the results do not change.  The
 * files that use it are built with -fno-trapping-math (CMakeLists.txt), so
 * that the selects between a lane's old and new values are if-converted and
 * vectorise; we never read the floating-point exception flags.
 */
#ifndef GANDYN_SIMD_H
#define GANDYN_SIMD_H

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

#endif
