/*
 * test_eig.c - gandyn's own eigenvalue solver (src/analysis/eig.c) against
 * LAPACK's dgeev (through LAPACKE: only this test links it, the module does
 * not) and against closed-form spectra.
 *
 * Agreement is measured as multisets: each computed eigenvalue is paired
 * with the nearest unpaired reference one (a pairing: its worst distance
 * is at least the best pairing's, so a pass is never too generous), and the
 * worst distance is divided by the Frobenius norm of the matrix.  The bound
 * is 1e-14 of the norm wherever the spectrum is well conditioned.  For a
 * defective k x k Jordan block both solvers are only accurate to
 * (eps |A|)^(1/k) (an O(eps) perturbation of the matrix moves the
 * eigenvalues that far); there the bound is that, and the mean of the
 * cluster, which is well conditioned, is held to 1e-14.
 *
 * Closed forms used:
 *   rotation blocks r [[cos t, -sin t], [sin t, cos t]]: r e^{+-i t}
 *   companion matrix of prod (x - z_k): the roots z_k
 *   triangular: the diagonal (exactly, when the permutations isolate it)
 *   tridiagonal (1, -2, 1) of order n: -2 + 2 cos(k pi / (n + 1)), k = 1..n
 *   D B D^-1 with D diagonal: the spectrum of B
 * each hidden by an orthogonal similarity Q = I - 2 u u^T / u^T u (which
 * keeps the spectrum and the norm) so that the solver has real work to do.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <lapacke.h>

#include "analysis/eig.h"
#include "gandyn.h"

#define TOL 1e-14
#define PI 3.14159265358979323846

/* The worst agreement with dgeev seen by the tests, relative to the norm
 * (printed at the end: the number the report quotes). */
static double worst_vs_lapack;
static char worst_what[128];
static size_t worst_n;

/* ------------------------------------------------------------- helpers */

static uint64_t rng_state;
static void rng_seed(uint64_t s) { rng_state = s * 0x9E3779B97F4A7C15u + 1; }
/* Uniform in [-1, 1) (xorshift64*). */
static double rng_uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t r = rng_state * 0x2545F4914F6CDD1Du;
    return (double)(r >> 11) * 0x1p-52 - 1;
}

static double *dalloc(size_t count)
{
    double *p = calloc(count ? count : 1, sizeof *p);
    assert_non_null(p);
    return p;
}

static double fro_norm(size_t n, const double *a)
{
    double s = 0;
    for (size_t k = 0; k < n * n; k++)
        s += a[k] * a[k];
    return sqrt(s);
}

/* Our eigenvalues, asserting success and the documented layout: conjugate
 * pairs adjacent, positive imaginary part first, exact conjugates. */
static void ours(size_t n, const double *a, unsigned balance, double *wr,
                 double *wi)
{
    gdn_error err;
    gdn_error_clear(&err);
    long it = -1;
    int rc = gdn__eig_values(n, a, wr, wi, balance, 0, NULL, &it, &err);
    if (rc)
        print_error("n = %zu: %s\n", n, err.msg);
    assert_int_equal(rc, GDN_OK);
    assert_true(it >= 0 && it <= 30 * (long)(n > 10 ? n : 10));
    for (size_t i = 0; i < n; i++) {
        assert_true(isfinite(wr[i]) && isfinite(wi[i]));
        if (wi[i] != 0) {
            assert_true(wi[i] > 0 && i + 1 < n);
            assert_true(wr[i + 1] == wr[i] && wi[i + 1] == -wi[i]);
            i++;
        }
    }
}

static void lapack(size_t n, const double *a, double *wr, double *wi)
{
    double *copy = dalloc(n * n);
    memcpy(copy, a, n * n * sizeof *copy);
    lapack_int info =
        LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)n, copy,
                      (lapack_int)n, wr, wi, NULL, 1, NULL, 1);
    assert_int_equal(info, 0);
    free(copy);
}

/* Worst distance of a pairing of (wr, wi) with (zr, zi), both length n:
 * each of ours with the nearest unpaired reference. */
static double pair_dist(size_t n, const double *wr, const double *wi,
                        const double *zr, const double *zi)
{
    char *used = calloc(n ? n : 1, 1);
    assert_non_null(used);
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        size_t best = n;
        double bd = INFINITY;
        for (size_t j = 0; j < n; j++) {
            double d = hypot(wr[i] - zr[j], wi[i] - zi[j]);
            if (!used[j] && d < bd)
                bd = d, best = j;
        }
        assert_true(best < n);
        used[best] = 1;
        worst = fmax(worst, bd);
    }
    free(used);
    return worst;
}

/* Asserts that our eigenvalues of a (balance: dgeev's) agree with dgeev's
 * to tol |a|_F (an absolute tol when a is 0); returns the relative error. */
static double vs_lapack(size_t n, const double *a, double tol,
                        const char *what)
{
    double *wr = dalloc(n), *wi = dalloc(n), *zr = dalloc(n), *zi = dalloc(n);
    ours(n, a, GDN__EIG_BALANCE, wr, wi);
    lapack(n, a, zr, zi);
    double nrm = fro_norm(n, a), d = pair_dist(n, wr, wi, zr, zi);
    double rel = nrm > 0 ? d / nrm : d;
    if (!(rel <= tol))
        print_error("%s (n = %zu): %.3g |A| from dgeev > %.3g\n", what, n, rel,
                    tol);
    assert_true(rel <= tol);
    if (tol <= TOL && rel > worst_vs_lapack) {
        worst_vs_lapack = rel, worst_n = n;
        snprintf(worst_what, sizeof worst_what, "%s", what);
    }
    free(wr), free(wi), free(zr), free(zi);
    return rel;
}

/* Asserts our eigenvalues of a (with balance) are the exact (zr, zi) to
 * tol times scale. */
static void vs_exact(size_t n, const double *a, unsigned balance,
                     const double *zr, const double *zi, double tol,
                     double scale, const char *what)
{
    double *wr = dalloc(n), *wi = dalloc(n);
    ours(n, a, balance, wr, wi);
    double d = pair_dist(n, wr, wi, zr, zi);
    if (!(d <= tol * scale))
        print_error("%s (n = %zu, balance %u): %.3g from the closed form "
                    "> %.3g\n", what, n, balance, d, tol * scale);
    assert_true(d <= tol * scale);
    free(wr), free(wi);
}

/* a <- Q a Q with Q = I - 2 u u^T / u^T u, u random (Q orthogonal and
 * symmetric: the spectrum and the Frobenius norm are kept). */
static void hide(size_t n, double *a)
{
    double *u = dalloc(n), *t = dalloc(n), uu = 0;
    for (size_t i = 0; i < n; i++)
        u[i] = rng_uniform(), uu += u[i] * u[i];
    /* rows: a <- a - (2/uu) u (u^T a) */
    for (size_t j = 0; j < n; j++) {
        t[j] = 0;
        for (size_t i = 0; i < n; i++)
            t[j] += u[i] * a[i * n + j];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            a[i * n + j] -= 2 / uu * u[i] * t[j];
    /* columns: a <- a - (2/uu) (a u) u^T */
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < n; j++)
            s += a[i * n + j] * u[j];
        for (size_t j = 0; j < n; j++)
            a[i * n + j] -= 2 / uu * s * u[j];
    }
    free(u), free(t);
}

/* ------------------------------------------------------------- random */

static void random_matrix(size_t n, double *a)
{
    for (size_t k = 0; k < n * n; k++)
        a[k] = rng_uniform();
}

static void test_random_small(void **state)
{
    (void)state;
    rng_seed(1);
    for (size_t n = 1; n <= 60; n++) {
        double *a = dalloc(n * n);
        random_matrix(n, a);
        vs_lapack(n, a, TOL, "random");
        free(a);
    }
}

static void test_random_256(void **state)
{
    (void)state;
    size_t n = 256;
    rng_seed(256);
    double *a = dalloc(n * n);
    random_matrix(n, a);
    vs_lapack(n, a, TOL, "random 256");

    /* the time of each, for the record (not asserted: a shared machine) */
    double *wr = dalloc(n), *wi = dalloc(n), *work = dalloc(gdn__eig_work_size(n));
    gdn_error err;
    clock_t c0 = clock();
    for (int r = 0; r < 3; r++)
        assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, 0,
                                         work, NULL, &err),
                         GDN_OK);
    clock_t c1 = clock();
    for (int r = 0; r < 3; r++)
        lapack(n, a, wr, wi);
    clock_t c2 = clock();
    printf("n = 256: gandyn %.1f ms, dgeev %.1f ms (cpu, mean of 3)\n",
           1e3 * (double)(c1 - c0) / CLOCKS_PER_SEC / 3,
           1e3 * (double)(c2 - c1) / CLOCKS_PER_SEC / 3);
    free(a), free(wr), free(wi), free(work);
}

/* Same input, same bits; a caller's workspace gives the same bits as one
 * allocated inside. */
static void test_deterministic(void **state)
{
    (void)state;
    size_t n = 40;
    rng_seed(40);
    double *a = dalloc(n * n), *work = dalloc(gdn__eig_work_size(n));
    double *r1 = dalloc(n), *i1 = dalloc(n), *r2 = dalloc(n), *i2 = dalloc(n);
    random_matrix(n, a);
    double *keep = dalloc(n * n);
    memcpy(keep, a, n * n * sizeof *a);
    gdn_error err;
    assert_int_equal(gdn__eig_values(n, a, r1, i1, GDN__EIG_BALANCE, 0, NULL,
                                     NULL, &err), GDN_OK);
    assert_int_equal(gdn__eig_values(n, a, r2, i2, GDN__EIG_BALANCE, 0, work,
                                     NULL, &err), GDN_OK);
    assert_memory_equal(r1, r2, n * sizeof *r1);
    assert_memory_equal(i1, i2, n * sizeof *i1);
    assert_memory_equal(a, keep, n * n * sizeof *a); /* a not modified */
    free(a), free(work), free(r1), free(i1), free(r2), free(i2), free(keep);
}

/* ------------------------------------------------------- closed forms */

static void test_tiny(void **state)
{
    (void)state;
    double wr[4], wi[4];
    /* 1 x 1 */
    double one = -3.25;
    ours(1, &one, GDN__EIG_BALANCE, wr, wi);
    assert_true(wr[0] == -3.25 && wi[0] == 0);
    ours(1, &one, 0, wr, wi);
    assert_true(wr[0] == -3.25 && wi[0] == 0);
    /* 2 x 2, complex pair 1 +- 2i: (x - 1)^2 + 4 */
    double c2[4] = {1, -4, 1, 1};
    for (unsigned b = 0; b <= GDN__EIG_BALANCE; b++) {
        ours(2, c2, b, wr, wi);
        assert_true(fabs(wr[0] - 1) <= 1e-15 && fabs(wi[0] - 2) <= 1e-15);
    }
    vs_lapack(2, c2, TOL, "2x2 complex");
    /* 2 x 2 real, 5 and -1: [[1, 4], [2, 3]] */
    double r2[4] = {1, 4, 2, 3}, zr[2] = {5, -1}, zi[2] = {0, 0};
    vs_exact(2, r2, GDN__EIG_BALANCE, zr, zi, 1e-15, 5, "2x2 real");
    /* 2 x 2 with equal diagonal and b c < 0: +-i exactly */
    double rot[4] = {0, -1, 1, 0};
    ours(2, rot, 0, wr, wi);
    assert_true(wr[0] == 0 && wi[0] == 1 && wr[1] == 0 && wi[1] == -1);
    /* zero matrices: exactly 0 */
    for (size_t n = 1; n <= 4; n++) {
        double z[16] = {0};
        for (unsigned b = 0; b <= GDN__EIG_BALANCE; b++) {
            ours(n, z, b, wr, wi);
            for (size_t i = 0; i < n; i++)
                assert_true(wr[i] == 0 && wi[i] == 0);
        }
    }
    size_t n = 100;
    double *z = dalloc(n * n), *zwr = dalloc(n), *zwi = dalloc(n);
    ours(n, z, 0, zwr, zwi);
    for (size_t i = 0; i < n; i++)
        assert_true(zwr[i] == 0 && zwi[i] == 0);
    free(z), free(zwr), free(zwi);
    /* n = 0: nothing to do */
    gdn_error err;
    assert_int_equal(gdn__eig_values(0, NULL, NULL, NULL, 3, 0, NULL, NULL,
                                     &err), GDN_OK);
}

static void test_rotation_blocks(void **state)
{
    (void)state;
    rng_seed(7);
    for (size_t nb = 1; nb <= 20; nb += 19) {
        size_t n = 2 * nb + 1;
        double *a = dalloc(n * n), *zr = dalloc(n), *zi = dalloc(n);
        for (size_t b = 0; b < nb; b++) {
            double r = 0.5 + (double)b / (double)nb;
            double t = 0.3 + 2.5 * (double)b / (double)nb;
            size_t p = 2 * b;
            a[p * n + p] = r * cos(t), a[p * n + p + 1] = -r * sin(t);
            a[(p + 1) * n + p] = r * sin(t), a[(p + 1) * n + p + 1] = r * cos(t);
            zr[p] = zr[p + 1] = r * cos(t);
            zi[p] = r * sin(t), zi[p + 1] = -r * sin(t);
        }
        a[n * n - 1] = -0.75, zr[n - 1] = -0.75; /* and one real */
        hide(n, a);
        double nrm = fro_norm(n, a);
        vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, TOL, nrm, "rotations");
        vs_exact(n, a, 0, zr, zi, TOL, nrm, "rotations");
        vs_lapack(n, a, TOL, "rotations");
        free(a), free(zr), free(zi);
    }
}

/* Companion matrix (first row -c_{n-1} .. -c_0, ones below the diagonal)
 * of the monic polynomial with roots z (real zr, imaginary zi; conjugate
 * pairs listed both). */
static void companion(size_t n, const double *zr, const double *zi, double *a)
{
    /* coefficients p[0..n] of prod (x - z_k), complex arithmetic */
    double pr[64] = {1}, pi[64] = {0};
    for (size_t k = 0; k < n; k++) {
        for (size_t j = k + 1; j > 0; j--) {
            double r = pr[j - 1] * zr[k] - pi[j - 1] * zi[k];
            double i = pr[j - 1] * zi[k] + pi[j - 1] * zr[k];
            pr[j] -= r, pi[j] -= i;
        }
    }
    memset(a, 0, n * n * sizeof *a);
    for (size_t j = 0; j < n; j++)
        a[j] = -pr[j + 1];
    for (size_t i = 1; i < n; i++)
        a[i * n + i - 1] = 1;
}

static void test_companion(void **state)
{
    (void)state;
    /* roots whose polynomial has exact (dyadic) coefficients, so the
     * companion matrix is exactly the one of these roots */
    {
        double zr[6] = {1, -2, 0.5, 3, 3, -0.25}, zi[6] = {0, 0, 0, 1, -1, 0};
        double a[36];
        companion(6, zr, zi, a);
        vs_exact(6, a, GDN__EIG_BALANCE, zr, zi, 1e-13, fro_norm(6, a),
                 "companion");
        vs_lapack(6, a, TOL, "companion");
    }
    /* x^n - 1: the n-th roots of unity (a cyclic permutation, normal) */
    for (size_t n = 3; n <= 24; n += 7) {
        double *a = dalloc(n * n), *zr = dalloc(n), *zi = dalloc(n);
        double ur[64], ui[64];
        for (size_t k = 0; k < n; k++) {
            ur[k] = cos(2 * PI * (double)k / (double)n);
            ui[k] = sin(2 * PI * (double)k / (double)n);
        }
        memset(a, 0, n * n * sizeof *a);
        a[n - 1] = 1; /* x^n = 1 */
        for (size_t i = 1; i < n; i++)
            a[i * n + i - 1] = 1;
        memcpy(zr, ur, n * sizeof *zr), memcpy(zi, ui, n * sizeof *zi);
        vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, TOL, fro_norm(n, a),
                 "roots of unity");
        vs_lapack(n, a, TOL, "roots of unity");
        free(a), free(zr), free(zi);
    }
}

/* Jordan blocks J_k(lam) (k = 1, 2, 3, 4) hidden by Q: both solvers split a
 * k-fold eigenvalue by up to (eps |A|)^(1/k); the cluster mean stays
 * accurate to rounding. */
static void test_jordan(void **state)
{
    (void)state;
    rng_seed(11);
    const double lam[4] = {-1.5, 0.75, 2, 3.5};
    const size_t k[4] = {1, 2, 3, 4};
    size_t n = 10;
    double *a = dalloc(n * n), *zr = dalloc(n), *zi = dalloc(n);
    size_t p = 0;
    for (size_t b = 0; b < 4; b++)
        for (size_t q = 0; q < k[b]; q++, p++) {
            a[p * n + p] = lam[b], zr[p] = lam[b];
            if (q + 1 < k[b])
                a[p * n + p + 1] = 1;
        }
    hide(n, a);
    double nrm = fro_norm(n, a);
    /* the 4-fold root: (eps |A|)^(1/4) ~ 2e-4 |A|^(1/4); 10x margin */
    double tol = 10 * pow(2.2e-16 * nrm, 0.25);
    vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, tol, 1, "jordan");
    vs_lapack(n, a, 2 * tol, "jordan");
    /* cluster means (each of ours goes to the nearest lam) */
    double wr[10], wi[10];
    ours(n, a, GDN__EIG_BALANCE, wr, wi);
    for (size_t b = 0; b < 4; b++) {
        double sr = 0, si = 0;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            size_t best = 0;
            for (size_t c = 1; c < 4; c++)
                if (fabs(wr[i] - lam[c]) < fabs(wr[i] - lam[best]))
                    best = c;
            if (best == b)
                sr += wr[i], si += wi[i], cnt++;
        }
        assert_int_equal(cnt, k[b]);
        assert_true(fabs(sr / (double)cnt - lam[b]) <= TOL * nrm);
        assert_true(fabs(si) <= TOL * nrm);
    }
    free(a), free(zr), free(zi);
}

/* Triangular matrices.  Random ones are exponentially ill-conditioned
 * (Trefethen & Trefethen): eigenvalues that no backward-stable method gets
 * to 1e-14 once the permutations are off.  So: diagonal k / n spread over
 * [-1, 1], strictly lower part random of size 0.1 / n (then every
 * eigenvalue's condition number is modest) for the QR iteration; the
 * random ones where the permutations isolate everything (exact). */
static void test_triangular(void **state)
{
    (void)state;
    rng_seed(13);
    size_t n = 30;
    double *a = dalloc(n * n), *zr = dalloc(n), *zi = dalloc(n);
    double *u = dalloc(n * n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++)
            a[i * n + j] = rng_uniform(); /* lower triangular */
    for (size_t i = 0; i < n; i++)
        zr[i] = a[i * n + i];
    /* the permutations make it upper triangular: the diagonal, exactly */
    vs_exact(n, a, GDN__EIG_PERMUTE, zr, zi, 0, 1, "lower triangular");
    vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, 0, 1, "lower triangular");
    vs_lapack(n, a, TOL, "lower triangular");
    /* upper triangular: already a Schur form, whatever the balancing */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            u[i * n + j] = a[j * n + i];
    for (unsigned b = 0; b <= GDN__EIG_BALANCE; b++)
        vs_exact(n, u, b, zr, zi, 0, 1, "upper triangular");
    vs_lapack(n, u, TOL, "upper triangular");

    /* without the permutations the QR iteration has to find them */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            a[i * n + j] = 0.1 / (double)n * rng_uniform();
        /* diagonal in a shuffled order (17 is prime to 30) */
        a[i * n + i] = zr[i] = -1 + 2 * (double)((17 * i) % n) / (double)(n - 1);
    }
    double nrm = fro_norm(n, a);
    vs_exact(n, a, 0, zr, zi, TOL, nrm, "lower triangular, no permutation");
    vs_exact(n, a, GDN__EIG_SCALE, zr, zi, TOL, nrm,
             "lower triangular, scaling only");
    vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, 0, 1, "lower triangular");
    free(a), free(zr), free(zi), free(u);
}

/* A matrix whose permutations isolate some eigenvalues but not all:
 * [[T1, X, Y], [0, B, Z], [0, 0, T2]] with T1, T2 triangular, rows and
 * columns shuffled by a fixed permutation. */
static void test_partly_isolated(void **state)
{
    (void)state;
    rng_seed(17);
    size_t n = 12, n1 = 3, nb = 6;
    double *m = dalloc(n * n), *a = dalloc(n * n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int in_b = i >= n1 && i < n1 + nb && j >= n1 && j < n1 + nb;
            if (j > i || (j == i) || in_b)
                m[i * n + j] = rng_uniform();
        }
    size_t perm[12] = {5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            a[perm[i] * n + perm[j]] = m[i * n + j];
    for (unsigned b = 0; b <= GDN__EIG_BALANCE; b++) {
        double wr[12], wi[12], zr[12], zi[12];
        ours(n, a, b, wr, wi);
        lapack(n, a, zr, zi);
        assert_true(pair_dist(n, wr, wi, zr, zi) <= TOL * fro_norm(n, a));
        if (!(b & GDN__EIG_PERMUTE))
            continue;
        /* isolated by the permutations (T1's by the columns, T2's by the
         * rows): the diagonal entries themselves, bit for bit, and first
         * (T1's) or last (T2's) in the order */
        for (size_t i = 0; i < n; i++) {
            if (i >= n1 && i < n1 + nb)
                continue;
            double d = m[i * n + i];
            int found = 0;
            for (size_t k = 0; k < n; k++)
                found |= wr[k] == d && wi[k] == 0 &&
                         (i < n1 ? k < n1 : k >= n1 + nb);
            assert_true(found);
        }
    }
    vs_lapack(n, a, TOL, "partly isolated");
    free(m), free(a);
}

static void test_tridiagonal(void **state)
{
    (void)state;
    const size_t sizes[3] = {10, 50, 200};
    for (size_t s = 0; s < 3; s++) {
        size_t n = sizes[s];
        double *a = dalloc(n * n), *zr = dalloc(n), *zi = dalloc(n);
        for (size_t i = 0; i < n; i++) {
            a[i * n + i] = -2;
            if (i + 1 < n)
                a[i * n + i + 1] = a[(i + 1) * n + i] = 1;
            zr[i] = -2 + 2 * cos((double)(i + 1) * PI / (double)(n + 1));
        }
        double nrm = fro_norm(n, a);
        vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, TOL, nrm, "tridiagonal");
        vs_exact(n, a, 0, zr, zi, TOL, nrm, "tridiagonal");
        vs_lapack(n, a, TOL, "tridiagonal");
        free(a), free(zr), free(zi);
    }
}

/* D B D^-1 with D = diag(2^(12 i)): entries from 2^-108 to 2^108 while the
 * eigenvalues are B's, of size 1.  Balancing recovers B's scale exactly
 * (powers of 2), so the eigenvalues are accurate to rounding relative to
 * |B|; without the scaling they are off by far more (which shows the test
 * exercises the balancing). */
static void test_badly_scaled(void **state)
{
    (void)state;
    rng_seed(19);
    size_t n = 10;
    double *b = dalloc(n * n), *a = dalloc(n * n), *zr = dalloc(n),
           *zi = dalloc(n);
    for (size_t i = 0; i < n; i++) {
        b[i * n + i] = -2;
        if (i + 1 < n)
            b[i * n + i + 1] = b[(i + 1) * n + i] = 1;
        zr[i] = -2 + 2 * cos((double)(i + 1) * PI / (double)(n + 1));
    }
    hide(n, b);
    double nb = fro_norm(n, b);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            a[i * n + j] = ldexp(b[i * n + j], 12 * ((int)i - (int)j));
    vs_exact(n, a, GDN__EIG_BALANCE, zr, zi, TOL, nb, "badly scaled");
    vs_exact(n, a, GDN__EIG_SCALE, zr, zi, TOL, nb, "badly scaled");
    double wr[10], wi[10];
    ours(n, a, GDN__EIG_PERMUTE, wr, wi);
    double unbal = pair_dist(n, wr, wi, zr, zi);
    printf("badly scaled: %.3g from the closed form without scaling\n", unbal);
    assert_true(unbal > 100 * TOL * nb);
    vs_lapack(n, a, TOL, "badly scaled");
    free(b), free(a), free(zr), free(zi);
}

/* Entries near the ends of the range: the power-of-2 prescaling keeps the
 * iteration from underflowing or overflowing. */
static void test_extreme_magnitudes(void **state)
{
    (void)state;
    rng_seed(23);
    size_t n = 12;
    const int shifts[4] = {-1000, -520, 520, 1000};
    double *b = dalloc(n * n), *a = dalloc(n * n), *zr = dalloc(n),
           *zi = dalloc(n);
    random_matrix(n, b);
    lapack(n, b, zr, zi);
    double nb = fro_norm(n, b);
    for (size_t s = 0; s < 4; s++) {
        double *er = dalloc(n), *ei = dalloc(n);
        for (size_t k = 0; k < n * n; k++)
            a[k] = ldexp(b[k], shifts[s]);
        for (size_t k = 0; k < n; k++)
            er[k] = ldexp(zr[k], shifts[s]), ei[k] = ldexp(zi[k], shifts[s]);
        vs_exact(n, a, GDN__EIG_BALANCE, er, ei, TOL,
                 ldexp(nb, shifts[s]), "scaled by a power of 2");
        free(er), free(ei);
    }
    free(b), free(a), free(zr), free(zi);
}

/* ----------------------------------------------- gandyn's own matrices */

static void mk_sys(gdn_system *sys, size_t n, const char *model,
                   const char *reg)
{
    gdn_error err;
    const char *regs[1] = {reg};
    int rc = gdn_system_from_specs(sys, n, model, regs, reg ? 1 : 0, NULL,
                                   NULL, &err);
    if (rc)
        print_error("system %s + %s: %s\n", model, reg ? reg : "-", err.msg);
    assert_int_equal(rc, GDN_OK);
}

/* Jacobians of the flow's field xi at random points. */
static void test_flow_jacobians(void **state)
{
    (void)state;
    const struct {
        const char *model, *reg;
        size_t n;
    } cases[] = {
        {"nsgan", NULL, 3},          {"gan", "l2:gamma=0.3", 10},
        {"wgan-gp", NULL, 25},       {"lsgan", "r1", 40},
        {"hinge", NULL, 8},          {"fgan-kl", NULL, 16},
        {"gan", "noise:sigma=0.8", 12},
        {"nsgan", "gp:lambda=0.3,c=1", 100},
    };
    rng_seed(29);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        gdn_system sys;
        mk_sys(&sys, cases[c].n, cases[c].model, cases[c].reg);
        size_t m = 2 * cases[c].n;
        double *x = dalloc(m), *J = dalloc(m * m);
        for (size_t i = 0; i < m; i++)
            x[i] = 0.7 * rng_uniform();
        assert_int_equal(gdn_system_jacobian(&sys, x, J), GDN_PT_OK);
        char what[96];
        snprintf(what, sizeof what, "flow Jacobian %s + %s", cases[c].model,
                 cases[c].reg ? cases[c].reg : "-");
        vs_lapack(m, J, TOL, what);
        free(x), free(J);
    }
}

/* The discrete maps of the stability analysis (augmented state) at the
 * equilibrium: the matrices the solver will get from gdn_stability. */
static void test_step_jacobians(void **state)
{
    (void)state;
    const struct {
        const char *model, *reg, *opt;
        size_t n;
    } cases[] = {
        {"nsgan", NULL, "simgd:lr_d=0.3,lr_g=0.2", 20},
        {"nsgan", "l2:gamma=0.2", "altgd:lr=0.7", 30},
        {"wgan-gp:lambda=1,c=0", NULL, "extragradient:lr=0.3", 10},
        {"nsgan", NULL, "ogda:lr=0.2", 40},
        {"nsgan", "l2:gamma=0.2", "momentum:schedule=alt,beta=-0.5,lr=0.1", 25},
        {"nsgan", NULL, "consensus:lr_d=0.3,lr_g=0.2,gamma=0.7", 15},
        {"flow", NULL, NULL, 0}, /* the flow matrix, below */
    };
    for (size_t c = 0; c + 1 < sizeof cases / sizeof *cases; c++) {
        gdn_system sys;
        gdn_run_opts o;
        gdn_stability st;
        gdn_error err;
        mk_sys(&sys, cases[c].n, cases[c].model, cases[c].reg);
        gdn_run_opts_init(&o, gdn_opt_find("flow"));
        int rc = gdn_spec_opt(cases[c].opt, &o, NULL, &err);
        if (rc == GDN_OK)
            rc = gdn_run_opts_check(&o, &err);
        if (rc == GDN_OK)
            rc = gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err);
        if (rc)
            print_error("%s: %s\n", cases[c].opt, err.msg);
        assert_int_equal(rc, GDN_OK);
        if (!st.matrix)
            print_error("%s: no matrix (%s)\n", cases[c].opt, st.text);
        assert_non_null(st.matrix);
        char what[128];
        snprintf(what, sizeof what, "step map %s, %s", cases[c].model,
                 cases[c].opt);
        vs_lapack(st.dim, st.matrix, TOL, what);
        gdn_stability_release(&st);
    }
    /* the flow's linearisation with time scales */
    gdn_system sys;
    gdn_run_opts o;
    gdn_stability st;
    gdn_error err;
    mk_sys(&sys, 50, "nsgan", "r1");
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt("flow:lr_d=3,lr_g=0.75", &o, NULL, &err),
                     GDN_OK);
    assert_int_equal(gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err),
                     GDN_OK);
    vs_lapack(st.dim, st.matrix, TOL, "flow map nsgan + r1");
    gdn_stability_release(&st);
}

/* ------------------------------------------------------------- errors */

static void test_errors(void **state)
{
    (void)state;
    size_t n = 10;
    double a[100], wr[10], wi[10];
    rng_seed(31);
    random_matrix(n, a);
    gdn_error err;

    /* the iteration budget: 1 sweep is not enough for a random 10 x 10 */
    gdn_error_clear(&err);
    long it = 0;
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, 1, NULL,
                                     &it, &err), GDN_EINVAL);
    assert_int_equal(err.code, GDN_EINVAL);
    assert_int_equal(it, 1);
    assert_non_null(strstr(err.msg, "did not converge in 1 sweeps"));
    for (size_t i = 0; i < n; i++)
        assert_true(isnan(wr[i]) && isnan(wi[i]));
    /* ... and the default budget is 30 max(n, 10): enough, with room */
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, 0, NULL,
                                     &it, &err), GDN_OK);
    assert_true(it > 1 && 10 * it <= 30 * 10);
    long need = it;
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, need,
                                     NULL, &it, &err), GDN_OK);
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE,
                                     need - 1, NULL, &it, &err), GDN_EINVAL);
    char want[64];
    snprintf(want, sizeof want, "did not converge in %ld sweeps", need - 1);
    assert_non_null(strstr(err.msg, want));

    /* NaN and infinite entries are named */
    a[23] = NAN;
    gdn_error_clear(&err);
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, 0, NULL,
                                     NULL, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "entry (2, 3)"));
    assert_true(isnan(wr[0]));
    a[23] = -INFINITY;
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, 0, NULL,
                                     NULL, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "-inf"));
    a[23] = 0;
    assert_int_equal(gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, -1, NULL,
                                     NULL, &err), GDN_EINVAL);
    assert_int_equal(gdn__eig_values(n, NULL, wr, wi, GDN__EIG_BALANCE, 0,
                                     NULL, NULL, &err), GDN_EINVAL);
}

static int report(void **state)
{
    (void)state;
    printf("worst agreement with dgeev (well-conditioned cases): %.3g |A|_F "
           "(%s, n = %zu)\n", worst_vs_lapack, worst_what, worst_n);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_256),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_tiny),
        cmocka_unit_test(test_rotation_blocks),
        cmocka_unit_test(test_companion),
        cmocka_unit_test(test_jordan),
        cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_partly_isolated),
        cmocka_unit_test(test_tridiagonal),
        cmocka_unit_test(test_badly_scaled),
        cmocka_unit_test(test_extreme_magnitudes),
        cmocka_unit_test(test_flow_jacobians),
        cmocka_unit_test(test_step_jacobians),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, report);
}
