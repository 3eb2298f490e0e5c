/*
 * discrete.c - a discrete method's run over lanes: steps by the
 * optimizer's vtable, per-lane stops, the averages after every step, and
 * samples on multiples of 'every' (and the last step).  See run.c.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanes.h"
#include "vector.h"

void gdn__discrete_sample(gdn__lanes *L, size_t b, int64_t k)
{
    size_t m = L->m, B = L->B;
    for (size_t i = 0; i < m; i++)
        L->out_x[i * B + b] = L->y[i * B + b];
    if (L->ngroups)
        gdn__avg_sample(&L->avg, 0, b, (double)k, L->x0, L->acc, L->out_avg);
    L->out_t[b] = (double)k;
}

/* bad[b] = lane b of x left the blowup range; lanes that are not running
 * (act = 0) or that left go back to y1. */
GDN_VECTOR_CLONES
static void check_put_back(gdn__lanes *L)
{
    size_t B = L->B, m = L->m;
    int *restrict bad = L->bad;
    const int *restrict act = L->act, *restrict st = L->st;
    const double lim = L->opts.blowup;
    for (size_t b = 0; b < B; b++)
        bad[b] = st[b] == GDN_PT_UNDEFINED ? 2 : 0;
    for (size_t i = 0; i < m; i++) {
        const double *restrict x = L->y + i * B;
        for (size_t b = 0; b < B; b++)
            bad[b] |= !(fabs(x[b]) <= lim);
    }
    for (size_t i = 0; i < m; i++) {
        double *restrict x = L->y + i * B;
        const double *restrict x1 = L->y1 + i * B;
        for (size_t b = 0; b < B; b++)
            x[b] = act[b] && !bad[b] ? x[b] : x1[b];
    }
}

int gdn__discrete_next(gdn__lanes *L)
{
    size_t B = L->B, m = L->m;
    int64_t steps = L->opts.steps, every = L->opts.every;
    int64_t k = (int64_t)L->t[0]; /* every running lane is at step k */
    for (size_t b = 0; b < B; b++)
        if (L->act[b])
            k = (int64_t)L->t[b];
    if (k >= steps) {
        for (size_t b = 0; b < B; b++)
            if (L->act[b])
                L->info[b].status = GDN_DONE;
        return GDN_DONE;
    }
    int64_t target = (k / every + 1) * every;
    if (target > steps)
        target = steps;
    while (k < target) {
        memcpy(L->y1, L->y, m * B * sizeof(double));
        L->st[0] = L->opts.opt->step(&L->ctx, L->y);
        check_put_back(L);
        for (size_t b = 0; b < B; b++) {
            if (!L->act[b])
                continue;
            gdn_run_info *in = &L->info[b];
            in->nevals = L->ctx.nevals;
            if (!L->bad[b])
                continue;
            char why[GDN_ERRMSG_MAX];
            int und = (L->bad[b] & 2) != 0;
            int code = und ? GDN_EUNDEFINED : GDN_EDIVERGED;
            if (und)
                snprintf(why, sizeof why, "field undefined at step %" PRId64,
                         k + 1);
            else if (k == 0)
                code = gdn__lane_overflow(L, b, why, sizeof why, "step 1");
            else
                snprintf(why, sizeof why,
                         "diverged: |x| left the range %g at step %" PRId64,
                         L->opts.blowup, k + 1);
            L->act[b] = 0;
            gdn__discrete_sample(L, b, k);
            in->step = k + 1;
            gdn__lane_stop(L, b, code, why);
        }
        k++;
        if (L->ngroups)
            gdn__avg_step(&L->avg, L->y, L->acc);
        for (size_t b = 0; b < B; b++)
            if (L->act[b]) {
                L->t[b] = (double)k;
                L->info[b].step = k;
                L->info[b].accepted = (uint64_t)k;
            }
    }
    for (size_t b = 0; b < B; b++)
        if (L->act[b])
            gdn__discrete_sample(L, b, k);
    return GDN_OK;
}
