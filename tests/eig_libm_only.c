/*
 * eig_libm_only.c - the eigenvalue solver built from src/analysis/eig.c and
 * src/core/error.c alone and linked with libm and nothing else (see
 * tests/CMakeLists.txt: a dependency on LAPACK, or on anything else of the
 * library, fails the build of this program).  Run as a test, it checks a
 * closed form: the companion matrix of (x - 1)(x - 2)(x^2 + 4) has
 * eigenvalues 1, 2, +-2i.
 */
#include <math.h>
#include <stdio.h>

#include "analysis/eig.h"

int main(void)
{
    /* x^4 - 3 x^3 + 6 x^2 - 12 x + 8 */
    const double a[16] = {3, -6, 12, -8, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
    const double zr[4] = {1, 2, 0, 0}, zi[4] = {0, 0, 2, -2};
    double wr[4], wi[4], work[24];
    gdn_error err;
    if (gdn__eig_work_size(4) > sizeof work / sizeof *work ||
        gdn__eig_values(4, a, wr, wi, GDN__EIG_BALANCE, 0, work, NULL,
                        &err)) {
        fprintf(stderr, "eig_libm_only: %s\n", err.msg);
        return 1;
    }
    for (int k = 0; k < 4; k++) {
        double best = INFINITY;
        for (int j = 0; j < 4; j++)
            best = fmin(best, hypot(wr[j] - zr[k], wi[j] - zi[k]));
        if (!(best <= 1e-13)) {
            fprintf(stderr, "eig_libm_only: %g%+gi missing (%.3g off)\n",
                    zr[k], zi[k], best);
            return 1;
        }
    }
    puts("eig_libm_only: 1, 2, +-2i");
    return 0;
}
