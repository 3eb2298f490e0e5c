/* traj.c - growing arrays of samples (see gandyn/traj.h). */
#include "gandyn/traj.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gdn_traj_init(gdn_traj *tr, size_t n, size_t ngroups, int discrete)
{
    memset(tr, 0, sizeof *tr);
    tr->n = n;
    tr->ngroups = ngroups;
    tr->discrete = discrete;
}

void gdn_traj_release(gdn_traj *tr)
{
    if (!tr)
        return;
    free(tr->t);
    free(tr->x);
    free(tr->avg);
    tr->t = tr->x = tr->avg = NULL;
    tr->count = tr->cap = 0;
}

/* realloc *p to cap rows of per doubles, guarding the multiplication. */
static int grow(double **p, size_t cap, size_t per)
{
    if (per && cap > SIZE_MAX / sizeof(double) / per)
        return 0;
    void *q = realloc(*p, (per ? cap * per : 1) * sizeof(double));
    if (!q)
        return 0;
    *p = q;
    return 1;
}

int gdn_traj_reserve(gdn_traj *tr, size_t cap, gdn_error *err)
{
    size_t m = 2 * tr->n;
    if (cap <= tr->cap)
        return GDN_OK;
    if (!grow(&tr->t, cap, 1) || !grow(&tr->x, cap, m) ||
        !grow(&tr->avg, cap, tr->ngroups * m))
        return gdn_error_set(err, GDN_ENOMEM, "out of memory for %zu samples",
                             cap);
    tr->cap = cap;
    return GDN_OK;
}

int gdn_traj_append(gdn_traj *tr, double t, const double *x,
                    const double **avg, gdn_error *err)
{
    size_t m = 2 * tr->n;
    if (tr->count == tr->cap &&
        gdn_traj_reserve(tr, tr->cap ? 2 * tr->cap : 256, err) != GDN_OK)
        return GDN_ENOMEM;
    tr->t[tr->count] = t;
    memcpy(tr->x + tr->count * m, x, m * sizeof *x);
    for (size_t j = 0; j < tr->ngroups; j++)
        memcpy(tr->avg + (tr->count * tr->ngroups + j) * m, avg[j],
               m * sizeof(double));
    tr->count++;
    return GDN_OK;
}

size_t gdn_traj_ncols(const gdn_traj *tr)
{
    return 1 + 2 * tr->n * (1 + tr->ngroups);
}

void gdn_traj_colname(const gdn_traj *tr, const char *const *group_names,
                      size_t col, char *buf)
{
    size_t n = tr->n, m = 2 * n;
    if (col == 0) {
        snprintf(buf, GDN_COLNAME_MAX, "%s", tr->discrete ? "step" : "t");
        return;
    }
    size_t g = (col - 1) / m, i = (col - 1) % m;
    const char *player = i < n ? "phi" : "theta";
    size_t idx = (i < n ? i : i - n) + 1;
    if (g == 0)
        snprintf(buf, GDN_COLNAME_MAX, "%s%zu", player, idx);
    else
        snprintf(buf, GDN_COLNAME_MAX, "%.24s_%s%zu", group_names[g - 1],
                 player, idx);
}
