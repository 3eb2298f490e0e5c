/* smooth.c - overflow-free softplus and sigmoid.
 *
 * softplus(u) = max(u, 0) + log1p(exp(-|u|)) never overflows and keeps full
 * relative precision for large negative u; sigmoid uses the branch whose
 * exponential is at most 1. */
#include "gandyn/model.h"

#include <math.h>

#include "../core/gmath.h"

double gdn_softplus(double u)
{
    return fmax(u, 0.0) + gdn__log1p(gdn__exp(-fabs(u)));
}

double gdn_sigmoid(double u)
{
    if (u >= 0.0)
        return 1.0 / (1.0 + gdn__exp(-u));
    double e = gdn__exp(u);
    return e / (1.0 + e);
}
