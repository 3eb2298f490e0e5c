/*
 * plan.c - how a sweep's points are laid out (see gandyn/sweep.h): the
 * columns of its table (the start or the axis values, then the record) and
 * the chunks its points are run and stored in, shared round-robin by ranks.
 */
#include "gandyn/sweep.h"

#include <math.h>
#include <stdio.h>

size_t gdn_sweep_axis_columns(const gdn_sweep *sw)
{
    return (sw->points ? 2 * sw->sys.n : 0) + sw->naxes;
}

void gdn_sweep_column_name(const gdn_sweep *sw, size_t c, char *buf,
                           size_t size)
{
    size_t n = sw->sys.n, start = sw->points ? 2 * n : 0;
    if (c < start)
        snprintf(buf, size, "%s%zu", c < n ? "phi" : "theta",
                 (c < n ? c : c - n) + 1);
    else
        snprintf(buf, size, "%s", sw->axes[c - start].name);
}

void gdn_sweep_point_values(const gdn_sweep *sw, size_t k, double *out)
{
    size_t m = 2 * sw->sys.n, j = 0, rest = k;
    long idx[GDN_SWEEP_MAX_AXES];
    for (size_t d = sw->naxes; d-- > 0;) {
        idx[d] = (long)(rest % (size_t)sw->axes[d].count);
        rest /= (size_t)sw->axes[d].count;
    }
    if (sw->points) {
        /* a start outside the rows held reads as NaN (never past them) */
        int held = rest >= sw->points_first &&
                   (sw->points_held == 0 ||
                    rest - sw->points_first < sw->points_held);
        for (size_t i = 0; i < m; i++)
            out[j++] = held ? sw->points[(rest - sw->points_first) * m + i]
                            : (double)NAN;
    }
    for (size_t d = 0; d < sw->naxes; d++)
        out[j++] = gdn_sweep_axis_value(&sw->axes[d], idx[d]);
}

void gdn_sweep_point_rows(const gdn_sweep *sw, size_t first, size_t count,
                          size_t *r0, size_t *r1)
{
    size_t per = 1; /* points per start: the product of the axes' counts */
    *r0 = *r1 = 0;
    if (!sw->points || count == 0)
        return;
    for (size_t d = 0; d < sw->naxes; d++)
        per *= (size_t)sw->axes[d].count;
    *r0 = first / per;
    *r1 = (first + count - 1) / per + 1;
}

int gdn_sweep_plan_init(gdn_sweep_plan *pl, size_t total, size_t chunk,
                        gdn_error *err)
{
    pl->total = pl->chunk = pl->nchunks = 0;
    if (total == 0 || chunk == 0)
        return gdn_error_set(err, GDN_EINVAL,
                             "a sweep plan needs points and a chunk size");
    /* one chunk holds at most the whole sweep */
    pl->total = total;
    pl->chunk = chunk < total ? chunk : total;
    pl->nchunks = (total + pl->chunk - 1) / pl->chunk;
    return GDN_OK;
}

size_t gdn_sweep_plan_chunk(const gdn_sweep_plan *pl, size_t j,
                            size_t *first)
{
    size_t lo = j * pl->chunk;
    if (first)
        *first = lo;
    if (j >= pl->nchunks)
        return 0;
    return pl->total - lo < pl->chunk ? pl->total - lo : pl->chunk;
}

int gdn_sweep_plan_owns(const gdn_sweep_plan *pl, size_t j, int rank,
                        int nranks)
{
    (void)pl;
    return nranks <= 1 || j % (size_t)nranks == (size_t)rank;
}
