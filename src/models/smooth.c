/* smooth.c - overflow-free softplus and sigmoid.
 *
 * softplus(u) = max(u, 0) + log1p(exp(-|u|)) never overflows and keeps full
 * relative precision for large negative u; sigmoid uses the branch whose
 * exponential is at most 1. */
#include "gandyn/model.h"

#include "terms.h"

double gdn_softplus(double u) { return gdn__softplus(u); }

double gdn_sigmoid(double u) { return gdn__sigmoid(u); }
