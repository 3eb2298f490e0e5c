/*
 * starts.c - random starts of a sweep (see gandyn/sweep.h): splitmix64
 * from the seed alone, so a sweep's starts are the same on every machine,
 * for any number of threads, ranks or chunks.
 */
#include "gandyn/sweep.h"

uint64_t gdn_splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void gdn_sweep_random_starts_at(uint64_t seed, double lo, double hi,
                                size_t first, size_t count, size_t m,
                                double *out)
{
    /* splitmix64's state only ever adds its constant: after k draws it is
     * seed + k * constant (mod 2^64), so any draw is one multiplication away */
    uint64_t s = seed + (uint64_t)first * (uint64_t)m * 0x9E3779B97F4A7C15ull;
    for (size_t k = 0; k < count * m; k++) /* 53 random bits in [0, 1) */
        out[k] = lo + (hi - lo) * ((double)(gdn_splitmix64(&s) >> 11) *
                                   0x1p-53);
}

void gdn_sweep_random_starts(uint64_t seed, double lo, double hi,
                             size_t count, size_t m, double *out)
{
    gdn_sweep_random_starts_at(seed, lo, hi, 0, count, m, out);
}
