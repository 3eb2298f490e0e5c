/*
 * eig.h - gandyn's own dense real eigenvalue solver (internal; C11 + libm).
 *
 * All eigenvalues of a general real n x n matrix, with no LAPACK:
 *   1. balancing (as LAPACK's dgebal with job 'B'): permutations isolate
 *      eigenvalues that can be read off the diagonal, then a diagonal
 *      similarity by powers of 2 (exact, no rounding) makes the rows and
 *      columns of the remaining block of comparable 2-norm;
 *   2. reduction of that block to upper Hessenberg form by Householder
 *      reflections;
 *   3. the Francis implicit double-shift QR algorithm on the Hessenberg
 *      block with deflation at negligible subdiagonal entries (the
 *      small-matrix path of LAPACK's dhseqr, dlahqr: the Ahues-Tisseur
 *      deflation test, exceptional shifts at iterations 10 and 20 of an
 *      eigenvalue, a bulge started at two consecutive small subdiagonals
 *      when there are any); 2 x 2 blocks are split into two real
 *      eigenvalues or a conjugate pair by a standardising rotation.
 * The matrix is first scaled by a power of 2 when its largest entry is so
 * small or large that the iteration could underflow or overflow (as dgeev).
 *
 * Order of the result (deterministic: same input, same bits): the order of
 * the diagonal of the real Schur form, which is dgeev's convention; a
 * complex conjugate pair occupies two consecutive places, the one with the
 * positive imaginary part first.  Callers that want another order sort
 * (gdn_stability sorts by real part or by modulus).
 *
 * Cost: about 10 n^3 flops (Hessenberg 10/3 n^3, QR about 6 n^3 for
 * eigenvalues only); memory: the workspace below.
 */
#ifndef GANDYN_ANALYSIS_EIG_H
#define GANDYN_ANALYSIS_EIG_H

#include <stddef.h>

#include "gandyn/error.h"

/* What to balance (dgebal's job 'N', 'P', 'S', 'B'). */
enum {
    GDN__EIG_PERMUTE = 1, /* isolate eigenvalues by permutations */
    GDN__EIG_SCALE = 2,   /* diagonal scaling by powers of 2 */
    GDN__EIG_BALANCE = 3  /* both: what dgeev does, the default to use */
};

/* Doubles of workspace gdn__eig_values needs for an n x n matrix
 * (n * n + 2 n). */
size_t gdn__eig_work_size(size_t n);

/* Eigenvalues of the row-major n x n matrix a (not modified): wr[i] +
 * i wi[i], i < n, in the order above.  balance: GDN__EIG_* flags (0: none).
 * max_iter: the QR iteration budget for the whole matrix; 0 means
 * 30 * max(n, 10) (about 10 times what a matrix usually needs).  work:
 * gdn__eig_work_size(n) doubles, or NULL to allocate them here.
 * iterations (may be NULL): the QR sweeps done.  n == 0 is a success with
 * nothing to do.  Errors: GDN_EINVAL for a NaN or infinite entry (naming
 * it), a NULL array or a negative max_iter; GDN_ENOMEM; GDN_EINVAL also
 * when the QR iteration has not converged after max_iter sweeps (as
 * gdn_eigenvalues reports dgeev's failure; the message gives the sweep
 * count and how many eigenvalues were still unfound).  On any error wr and
 * wi are all NaN. */
int gdn__eig_values(size_t n, const double *a, double *wr, double *wi,
                    unsigned balance, long max_iter, double *work,
                    long *iterations, gdn_error *err);

#endif
