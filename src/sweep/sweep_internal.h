/* sweep_internal.h - internal: the batched kernels behind gdn_sweep_run. */
#ifndef GANDYN_SWEEP_INTERNAL_H
#define GANDYN_SWEEP_INTERNAL_H

#include "gandyn/sweep.h"

/* A diagnosis into a record. */
void gdn__sweep_record(const gdn_diagnosis *d, gdn_sweep_rec *rec);

/* gdn_sweep_run for sweeps gdn_sweep_batched accepts. */
int gdn__sweep_run_batched(const gdn_sweep *sw, size_t first, size_t count,
                           int nthreads, size_t batch, gdn_sweep_rec *recs,
                           gdn_error *err);

/* The failure code threads share: read and written atomically, since
 * threads poll it while another may set it (setters also hold a critical
 * section, so that only the first error is kept). */
static inline int gdn__load_flag(const int *p)
{
    int v;
#ifdef _OPENMP
#pragma omp atomic read
#endif
    v = *p;
    return v;
}

static inline void gdn__store_flag(int *p, int v)
{
    (void)v; /* GCC 12 calls v unused under omp atomic write */
#ifdef _OPENMP
#pragma omp atomic write
#endif
    *p = v;
}

#endif
