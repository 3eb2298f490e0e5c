/*
 * eig.c - eigenvalues of a dense real matrix: balancing, Householder
 * reduction to Hessenberg form, Francis double-shift QR (see eig.h).
 *
 * Written from the mathematics (Golub & Van Loan, "Matrix Computations",
 * sections 7.4-7.5; Parlett & Reinsch 1969 for the balancing; Ahues &
 * Tisseur 1997 for the deflation test), C11 + libm only.
 *
 * Everything is done in place in one row-major copy of the matrix, with
 * leading dimension n; after the permutations only the block lo..hi is
 * worked on, since the eigenvalues of a block triangular matrix are those
 * of its diagonal blocks (no Schur vectors are wanted, so nothing outside
 * the active window of the QR iteration needs updating either).
 */
#include "eig.h"

#include "../core/gmath.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define A_(i, j) w[(i) * ld + (j)]

size_t gdn__eig_work_size(size_t n)
{
    return n * n + 2 * n;
}

/* 2-norm of len entries x[0], x[stride], ... without overflow or
 * underflow of the squares. */
static double norm2(ptrdiff_t len, const double *x, ptrdiff_t stride)
{
    double big = 0;
    for (ptrdiff_t k = 0; k < len; k++)
        big = fmax(big, fabs(x[k * stride]));
    if (big == 0)
        return 0;
    double ssq = 0;
    if (big > 0x1p-500 && big < 0x1p500) {
        for (ptrdiff_t k = 0; k < len; k++)
            ssq += x[k * stride] * x[k * stride];
        return sqrt(ssq);
    }
    for (ptrdiff_t k = 0; k < len; k++) {
        double y = x[k * stride] / big;
        ssq += y * y;
    }
    return big * sqrt(ssq);
}

/* Householder reflector: on entry x (len entries, stride apart); on exit
 * x[0] = beta and x[k * stride] = v_k for k >= 1, where v_0 = 1 and
 * (I - tau v v^T) x_in = beta e_1.  Returns tau (0: nothing to do, the
 * reflector is the identity). */
static double householder(ptrdiff_t len, double *x, ptrdiff_t stride)
{
    if (len <= 1)
        return 0;
    double xnorm = norm2(len - 1, x + stride, stride);
    if (xnorm == 0)
        return 0;
    double alpha = x[0];
    double beta = -copysign(gdn__hypot(alpha, xnorm), alpha);
    /* beta so small that 1 / (alpha - beta) would overflow: scale the
     * vector up by powers of 2 (exact) and scale beta back afterwards. */
    const double tiny = DBL_MIN / DBL_EPSILON;
    int up = 0;
    while (fabs(beta) < tiny && up < 40) {
        for (ptrdiff_t k = 1; k < len; k++)
            x[k * stride] *= 0x1p53;
        alpha *= 0x1p53;
        beta *= 0x1p53;
        up++;
    }
    if (up) {
        xnorm = norm2(len - 1, x + stride, stride);
        beta = -copysign(gdn__hypot(alpha, xnorm), alpha);
    }
    double tau = (beta - alpha) / beta;
    double scal = 1 / (alpha - beta);
    for (ptrdiff_t k = 1; k < len; k++)
        x[k * stride] *= scal;
    for (int k = 0; k < up; k++)
        beta *= 0x1p-53;
    x[0] = beta;
    return tau;
}

/* Exchanges rows and columns p and q of the n x n matrix (a permutation
 * similarity). */
static void swap_index(double *w, ptrdiff_t ld, ptrdiff_t p, ptrdiff_t q)
{
    if (p == q)
        return;
    for (ptrdiff_t j = 0; j < ld; j++) {
        double t = A_(p, j);
        A_(p, j) = A_(q, j), A_(q, j) = t;
    }
    for (ptrdiff_t i = 0; i < ld; i++) {
        double t = A_(i, p);
        A_(i, p) = A_(i, q), A_(i, q) = t;
    }
}

/* Permutations: rows that are zero off the diagonal within the active
 * columns go to the bottom, then columns that are zero off the diagonal
 * within the active rows go to the top.  The matrix becomes block upper
 * triangular with triangular blocks 0..lo-1 and hi+1..n-1. */
static void permute(double *w, ptrdiff_t ld, ptrdiff_t *plo, ptrdiff_t *phi)
{
    ptrdiff_t lo = 0, hi = ld - 1;
    for (int found = 1; found && hi > lo;) {
        found = 0;
        for (ptrdiff_t j = hi; j >= lo; j--) {
            int zero = 1;
            for (ptrdiff_t c = lo; c <= hi && zero; c++)
                zero = c == j || A_(j, c) == 0;
            if (zero) {
                swap_index(w, ld, j, hi);
                hi--;
                found = 1;
                break;
            }
        }
    }
    for (int found = 1; found && hi > lo;) {
        found = 0;
        for (ptrdiff_t j = lo; j <= hi; j++) {
            int zero = 1;
            for (ptrdiff_t r = lo; r <= hi && zero; r++)
                zero = r == j || A_(r, j) == 0;
            if (zero) {
                swap_index(w, ld, j, lo);
                lo++;
                found = 1;
                break;
            }
        }
    }
    *plo = lo, *phi = hi;
}

/* Diagonal scaling of the block lo..hi by powers of 2 (Parlett-Reinsch):
 * each index i in turn gets the factor f = 2^k that brings the 2-norms of
 * its column (times f) and row (divided by f) closest, applied when it
 * lowers their sum by 5% or more; sweeps until no factor is applied.  The
 * diagonal is unchanged; the similarity is exact (no rounding) unless an
 * entry underflows, which the guards on the size of f prevent. */
static void scale(double *w, ptrdiff_t ld, ptrdiff_t lo, ptrdiff_t hi)
{
    const double sfmin = 2 * DBL_MIN / DBL_EPSILON, sfmax = 1 / sfmin;
    ptrdiff_t m = hi - lo + 1;
    for (int sweep = 0, again = 1; again && sweep < 1000; sweep++) {
        again = 0;
        for (ptrdiff_t i = lo; i <= hi; i++) {
            double c = norm2(m, &A_(lo, i), ld), r = norm2(m, &A_(i, lo), 1);
            if (c == 0 || r == 0)
                continue;
            double ca = 0, ra = 0;
            for (ptrdiff_t k = lo; k <= hi; k++)
                ca = fmax(ca, fabs(A_(k, i))), ra = fmax(ra, fabs(A_(i, k)));
            double s = c + r, f = 1, g = r / 2;
            while (c < g && fmax(f, fmax(c, ca)) < sfmax &&
                   fmin(r, fmin(g, ra)) > sfmin) {
                f *= 2, c *= 2, ca *= 2;
                r /= 2, g /= 2, ra /= 2;
            }
            g = c / 2;
            while (g >= r && fmax(r, ra) < sfmax &&
                   fmin(fmin(f, c), fmin(g, ca)) > sfmin) {
                f /= 2, c /= 2, g /= 2, ca /= 2;
                r *= 2, ra *= 2;
            }
            if (c + r >= 0.95 * s)
                continue;
            again = 1;
            double finv = 1 / f;
            for (ptrdiff_t k = lo; k <= hi; k++)
                A_(i, k) *= finv;
            for (ptrdiff_t k = lo; k <= hi; k++)
                A_(k, i) *= f;
        }
    }
}

/* Householder reduction of the block lo..hi to upper Hessenberg form:
 * reflector k zeroes column k below the subdiagonal.  v and s are
 * scratch vectors of length >= hi - lo + 1. */
static void hessenberg(double *w, ptrdiff_t ld, ptrdiff_t lo, ptrdiff_t hi,
                       double *v, double *s)
{
    for (ptrdiff_t k = lo; k + 2 <= hi; k++) {
        ptrdiff_t len = hi - k; /* rows k+1..hi */
        double tau = householder(len, &A_(k + 1, k), ld);
        double beta = A_(k + 1, k);
        v[0] = 1;
        for (ptrdiff_t q = 1; q < len; q++)
            v[q] = A_(k + 1 + q, k), A_(k + 1 + q, k) = 0;
        A_(k + 1, k) = beta;
        if (tau == 0)
            continue;
        /* from the left, rows k+1..hi of columns k+1..hi:
         * s^T = v^T A, A -= tau v s^T */
        for (ptrdiff_t j = k + 1; j <= hi; j++)
            s[j - lo] = 0;
        for (ptrdiff_t q = 0; q < len; q++) {
            const double *row = &A_(k + 1 + q, 0);
            for (ptrdiff_t j = k + 1; j <= hi; j++)
                s[j - lo] += v[q] * row[j];
        }
        for (ptrdiff_t q = 0; q < len; q++) {
            double *row = &A_(k + 1 + q, 0), tv = tau * v[q];
            for (ptrdiff_t j = k + 1; j <= hi; j++)
                row[j] -= tv * s[j - lo];
        }
        /* from the right, rows lo..hi of columns k+1..hi:
         * A -= tau (A v) v^T */
        for (ptrdiff_t i = lo; i <= hi; i++) {
            double *row = &A_(i, k + 1), dot = 0;
            for (ptrdiff_t q = 0; q < len; q++)
                dot += row[q] * v[q];
            dot *= tau;
            for (ptrdiff_t q = 0; q < len; q++)
                row[q] -= dot * v[q];
        }
    }
}

/* Eigenvalues of the real 2 x 2 block [[a, b], [c, d]], through the
 * rotation that brings it to standard form (equal diagonal when the
 * eigenvalues are complex): no cancellation in the discriminant. */
static void eig2(double a, double b, double c, double d, double *r1,
                 double *i1, double *r2, double *i2)
{
    *i1 = *i2 = 0;
    if (c == 0) {
        *r1 = a, *r2 = d;
        return;
    }
    if (b == 0) { /* lower triangular: the swap makes it upper */
        *r1 = d, *r2 = a;
        return;
    }
    if (a - d == 0 && (b < 0) != (c < 0)) {
        *r1 = *r2 = a;
        *i1 = sqrt(fabs(b)) * sqrt(fabs(c)), *i2 = -*i1;
        return;
    }
    double p = 0.5 * (a - d);
    double bcmax = fmax(fabs(b), fabs(c));
    double bcmis = fmin(fabs(b), fabs(c)) * copysign(1, b) * copysign(1, c);
    double sc = fmax(fabs(p), bcmax);
    double z = p / sc * p + bcmax / sc * bcmis; /* (p^2 + b c) / sc */
    if (z >= 4 * DBL_EPSILON) {
        /* real and well apart: the larger root without cancellation */
        z = p + copysign(sqrt(sc) * sqrt(z), p);
        *r1 = d + z;
        *r2 = d - bcmax / z * bcmis;
        return;
    }
    /* complex, or real and nearly equal: rotate by the angle that makes
     * the diagonal equal, then read the eigenvalues off */
    double sigma = b + c;
    double tau = gdn__hypot(sigma, a - d);
    double cs = sqrt(0.5 * (1 + fabs(sigma) / tau));
    double sn = -(p / (tau * cs)) * copysign(1, sigma);
    double aa = a * cs + b * sn, bb = -a * sn + b * cs;
    double cc = c * cs + d * sn, dd = -c * sn + d * cs;
    a = aa * cs + cc * sn, b = bb * cs + dd * sn;
    c = -aa * sn + cc * cs, d = -bb * sn + dd * cs;
    double mid = 0.5 * (a + d);
    *r1 = *r2 = mid;
    if (c != 0 && b != 0) {
        if ((b < 0) == (c < 0)) { /* real after all */
            double q = copysign(sqrt(fabs(b)) * sqrt(fabs(c)), c);
            *r1 = mid + q, *r2 = mid - q;
        } else {
            *i1 = sqrt(fabs(b)) * sqrt(fabs(c)), *i2 = -*i1;
        }
    }
}

/* Francis double-shift QR on the Hessenberg block lo..hi.  Fills wr, wi
 * at lo..hi; returns the index of the lowest row not yet deflated when the
 * budget runs out (-1 when done, lo - 1 being < lo). */
static ptrdiff_t francis(double *w, ptrdiff_t ld, ptrdiff_t lo, ptrdiff_t hi,
                         double *wr, double *wi, long max_iter, long *iters)
{
    const double ulp = DBL_EPSILON;
    const double smlnum = DBL_MIN * ((double)(hi - lo + 1) / ulp);
    long kdefl = 0; /* sweeps since the last deflation */
    ptrdiff_t i = hi;
    while (i >= lo) {
        ptrdiff_t l = lo;
        for (;;) {
            /* the lowest negligible subdiagonal entry H(k, k-1) */
            ptrdiff_t k;
            for (k = i; k > l; k--) {
                double hk = fabs(A_(k, k - 1));
                if (hk <= smlnum)
                    break;
                double tst = fabs(A_(k - 1, k - 1)) + fabs(A_(k, k));
                if (tst == 0) {
                    if (k - 2 >= l)
                        tst += fabs(A_(k - 1, k - 2));
                    if (k + 1 <= i)
                        tst += fabs(A_(k + 1, k));
                }
                if (hk <= ulp * tst) {
                    /* Ahues-Tisseur: negligible relative to what it
                     * would change in the eigenvalues of the 2 x 2 */
                    double up = fabs(A_(k - 1, k));
                    double ab = fmax(hk, up), ba = fmin(hk, up);
                    double dd = fabs(A_(k - 1, k - 1) - A_(k, k));
                    double aa = fmax(fabs(A_(k, k)), dd);
                    double bb = fmin(fabs(A_(k, k)), dd);
                    double sum = aa + ab;
                    if (ba * (ab / sum) <= fmax(smlnum, ulp * (bb * (aa / sum))))
                        break;
                }
            }
            l = k;
            if (l > lo)
                A_(l, l - 1) = 0;
            if (l >= i - 1)
                break; /* a 1 x 1 or 2 x 2 block has split off */
            if (*iters >= max_iter)
                return i;
            ++*iters;
            ++kdefl;

            /* shifts: the eigenvalues of the trailing 2 x 2, or an
             * exceptional pair after 10 and 20 sweeps without deflation */
            double h11, h12, h21, h22;
            if (kdefl % 20 == 0) {
                double s = fabs(A_(i, i - 1)) + fabs(A_(i - 1, i - 2));
                h11 = 0.75 * s + A_(i, i), h12 = -0.4375 * s;
                h21 = s, h22 = h11;
            } else if (kdefl % 10 == 0) {
                double s = fabs(A_(l + 1, l)) + fabs(A_(l + 2, l + 1));
                h11 = 0.75 * s + A_(l, l), h12 = -0.4375 * s;
                h21 = s, h22 = h11;
            } else {
                h11 = A_(i - 1, i - 1), h12 = A_(i - 1, i);
                h21 = A_(i, i - 1), h22 = A_(i, i);
            }
            double rt1r, rt1i, rt2r, rt2i;
            double s = fabs(h11) + fabs(h12) + fabs(h21) + fabs(h22);
            if (s == 0) {
                rt1r = rt1i = rt2r = rt2i = 0;
            } else {
                h11 /= s, h12 /= s, h21 /= s, h22 /= s;
                double tr = (h11 + h22) / 2;
                double det = (h11 - tr) * (h22 - tr) - h12 * h21;
                double rtdisc = sqrt(fabs(det));
                if (det >= 0) { /* a complex conjugate pair */
                    rt1r = rt2r = tr * s;
                    rt1i = rtdisc * s, rt2i = -rt1i;
                } else { /* real: both shifts at the one nearer h22 */
                    rt1r = tr + rtdisc, rt2r = tr - rtdisc;
                    if (fabs(rt1r - h22) <= fabs(rt2r - h22))
                        rt2r = rt1r;
                    else
                        rt1r = rt2r;
                    rt1r *= s, rt2r *= s;
                    rt1i = rt2i = 0;
                }
            }

            /* where to start the bulge: first column of
             * (H - s1)(H - s2) at row m, when H(m, m-1) times it is
             * negligible (two consecutive small subdiagonals), else l */
            ptrdiff_t m;
            double v[3];
            for (m = i - 2;; m--) {
                double h21s = A_(m + 1, m);
                double sc = fabs(A_(m, m) - rt2r) + fabs(rt2i) + fabs(h21s);
                h21s = A_(m + 1, m) / sc;
                v[0] = h21s * A_(m, m + 1) +
                       (A_(m, m) - rt1r) * ((A_(m, m) - rt2r) / sc) -
                       rt1i * (rt2i / sc);
                v[1] = h21s * (A_(m, m) + A_(m + 1, m + 1) - rt1r - rt2r);
                v[2] = h21s * A_(m + 2, m + 1);
                sc = fabs(v[0]) + fabs(v[1]) + fabs(v[2]);
                v[0] /= sc, v[1] /= sc, v[2] /= sc;
                if (m == l)
                    break;
                double h00 = fabs(A_(m, m - 1)) * (fabs(v[1]) + fabs(v[2]));
                double h01 = fabs(v[0]) * (fabs(A_(m - 1, m - 1)) +
                                           fabs(A_(m, m)) +
                                           fabs(A_(m + 1, m + 1)));
                if (h00 <= ulp * h01)
                    break;
            }

            /* chase the bulge down to row i */
            for (k = m; k <= i - 1; k++) {
                ptrdiff_t nr = i - k + 1 < 3 ? i - k + 1 : 3;
                if (k > m)
                    for (ptrdiff_t q = 0; q < nr; q++)
                        v[q] = A_(k + q, k - 1);
                double t1 = householder(nr, v, 1);
                if (k > m) {
                    A_(k, k - 1) = v[0];
                    A_(k + 1, k - 1) = 0;
                    if (k < i - 1)
                        A_(k + 2, k - 1) = 0;
                } else if (m > l) {
                    /* the reflector acts on H(m, m-1) alone in column
                     * m-1 (the entries below it are 0) */
                    A_(k, k - 1) *= 1 - t1;
                }
                double v2 = v[1], t2 = t1 * v2;
                if (nr == 3) {
                    double v3 = v[2], t3 = t1 * v3;
                    for (ptrdiff_t j = k; j <= i; j++) {
                        double sum = A_(k, j) + v2 * A_(k + 1, j) +
                                     v3 * A_(k + 2, j);
                        A_(k, j) -= sum * t1;
                        A_(k + 1, j) -= sum * t2;
                        A_(k + 2, j) -= sum * t3;
                    }
                    ptrdiff_t jmax = k + 3 < i ? k + 3 : i;
                    for (ptrdiff_t j = l; j <= jmax; j++) {
                        double sum = A_(j, k) + v2 * A_(j, k + 1) +
                                     v3 * A_(j, k + 2);
                        A_(j, k) -= sum * t1;
                        A_(j, k + 1) -= sum * t2;
                        A_(j, k + 2) -= sum * t3;
                    }
                } else { /* the last reflector is 2 x 2 */
                    for (ptrdiff_t j = k; j <= i; j++) {
                        double sum = A_(k, j) + v2 * A_(k + 1, j);
                        A_(k, j) -= sum * t1;
                        A_(k + 1, j) -= sum * t2;
                    }
                    for (ptrdiff_t j = l; j <= i; j++) {
                        double sum = A_(j, k) + v2 * A_(j, k + 1);
                        A_(j, k) -= sum * t1;
                        A_(j, k + 1) -= sum * t2;
                    }
                }
            }
        }
        if (l == i) {
            wr[i] = A_(i, i), wi[i] = 0;
        } else {
            eig2(A_(i - 1, i - 1), A_(i - 1, i), A_(i, i - 1), A_(i, i),
                 &wr[i - 1], &wi[i - 1], &wr[i], &wi[i]);
        }
        kdefl = 0;
        i = l - 1;
    }
    return -1;
}

static void all_nan(size_t n, double *wr, double *wi)
{
    for (size_t i = 0; i < n; i++)
        wr[i] = wi[i] = NAN;
}

int gdn__eig_values(size_t n, const double *a, double *wr, double *wi,
                    unsigned balance, long max_iter, double *work,
                    long *iterations, gdn_error *err)
{
    long iters = 0;
    if (iterations)
        *iterations = 0;
    if (n == 0)
        return GDN_OK;
    if (!a || !wr || !wi) {
        if (wr && wi)
            all_nan(n, wr, wi);
        return gdn_error_set(err, GDN_EINVAL, "eigenvalues: NULL array");
    }
    if (max_iter < 0 || n > (size_t)PTRDIFF_MAX / sizeof(double) / n) {
        all_nan(n, wr, wi);
        return gdn_error_set(err, GDN_EINVAL,
                             "eigenvalues: bad size %zu or iteration limit %ld",
                             n, max_iter);
    }
    double anrm = 0;
    for (size_t k = 0; k < n * n; k++) {
        if (!isfinite(a[k])) {
            all_nan(n, wr, wi);
            return gdn_error_set(err, GDN_EINVAL,
                                 "eigenvalues: entry (%zu, %zu) of the %zu x "
                                 "%zu matrix is %g",
                                 k / n, k % n, n, n, a[k]);
        }
        anrm = fmax(anrm, fabs(a[k]));
    }
    double *own = NULL;
    if (!work) {
        own = work = malloc(gdn__eig_work_size(n) * sizeof *work);
        if (!own) {
            all_nan(n, wr, wi);
            return gdn_error_set(err, GDN_ENOMEM,
                                 "eigenvalues: out of memory for %zu x %zu",
                                 n, n);
        }
    }
    ptrdiff_t ld = (ptrdiff_t)n;
    double *w = work, *v = work + n * n, *s = v + n;
    memcpy(w, a, n * n * sizeof *w);
    if (max_iter == 0)
        max_iter = 30 * (long)(n > 10 ? n : 10);

    /* entries so small or large that the squares in the iteration could
     * underflow or overflow: scale by a power of 2 (exact), undone on the
     * eigenvalues at the end */
    int shift = 0;
    const double smlnum = sqrt(DBL_MIN) / DBL_EPSILON, bignum = 1 / smlnum;
    if (anrm > 0 && (anrm < smlnum || anrm > bignum)) {
        int e;
        frexp(anrm < smlnum ? smlnum / anrm : bignum / anrm, &e);
        shift = anrm < smlnum ? e : e - 1;
        for (size_t k = 0; k < n * n; k++)
            w[k] = ldexp(w[k], shift);
    }

    ptrdiff_t lo = 0, hi = ld - 1;
    if (balance & GDN__EIG_PERMUTE)
        permute(w, ld, &lo, &hi);
    for (ptrdiff_t k = 0; k < lo; k++)
        wr[k] = A_(k, k), wi[k] = 0;
    for (ptrdiff_t k = hi + 1; k < ld; k++)
        wr[k] = A_(k, k), wi[k] = 0;
    if (balance & GDN__EIG_SCALE)
        scale(w, ld, lo, hi);
    hessenberg(w, ld, lo, hi, v, s);
    ptrdiff_t left = francis(w, ld, lo, hi, wr, wi, max_iter, &iters);
    free(own);
    if (iterations)
        *iterations = iters;
    if (left >= lo) {
        all_nan(n, wr, wi);
        return gdn_error_set(err, GDN_EINVAL,
                             "eigenvalues: QR iteration did not converge in "
                             "%ld sweeps (%td of %zu eigenvalues not found)",
                             max_iter, left - lo + 1, n);
    }
    if (shift)
        for (size_t k = 0; k < n; k++)
            wr[k] = ldexp(wr[k], -shift), wi[k] = ldexp(wi[k], -shift);
    return GDN_OK;
}
