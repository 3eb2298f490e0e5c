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

/* bad[b] = lane b of x left the blowup range (1) or its field was
 * undefined (2); whether a running lane (act) is bad.  Lanes that are over
 * are not put back: nothing reads them again. */
/* check's single run: no lane loops, no clone dispatch (per step at n = 2
 * they cost as much as the step). */
static int check_one(gdn__lanes *L)
{
    const double *x = L->y, lim = L->opts.blowup;
    int bad = L->st[0] == GDN_PT_UNDEFINED ? 2 : 0;
    for (size_t i = 0; i < L->m; i++)
        bad |= !(fabs(x[i]) <= lim);
    L->bad[0] = bad;
    return L->act[0] & (bad != 0);
}

GDN_VECTOR_CLONES
static int check(gdn__lanes *L)
{
    size_t B = L->B, m = L->m;
    int *restrict bad = L->bad;
    const int *restrict act = L->act, *restrict st = L->st;
    const double lim = L->opts.blowup;
    int any = 0;
    for (size_t b = 0; b < B; b++)
        bad[b] = st[b] == GDN_PT_UNDEFINED ? 2 : 0;
    for (size_t i = 0; i < m; i++) {
        const double *restrict x = L->y + i * B;
        for (size_t b = 0; b < B; b++)
            bad[b] |= !(fabs(x[b]) <= lim);
    }
    for (size_t b = 0; b < B; b++)
        any |= act[b] & (bad[b] != 0);
    return any;
}

/* Lane b's step k + 1 failed: it goes back to step k (from y1, unless
 * the fused step kept it) and stops there. */
static void lane_fail(gdn__lanes *L, size_t b, int64_t k, int restore)
{
    size_t B = L->B;
    gdn_run_info *in = &L->info[b];
    char why[GDN_ERRMSG_MAX];
    int und = (L->bad[b] & 2) != 0;
    int code = und ? GDN_EUNDEFINED : GDN_EDIVERGED;
    if (und)
        snprintf(why, sizeof why, "field undefined at step %" PRId64, k + 1);
    else if (k == 0)
        code = gdn__lane_overflow(L, b, why, sizeof why, "step 1");
    else
        snprintf(why, sizeof why,
                 "diverged: |x| left the range %g at step %" PRId64,
                 L->opts.blowup, k + 1);
    for (size_t i = 0; restore && i < L->m; i++)
        L->y[i * B + b] = L->y1[i * B + b];
    L->act[b] = 0;
    gdn__discrete_sample(L, b, k);
    L->t[b] = (double)k;
    in->accepted = (uint64_t)k;
    in->step = k + 1;
    in->nevals = L->ctx.nevals;
    gdn__lane_stop(L, b, code, why);
}

/* The running lanes' samples at step k, without averages (B > 1): their
 * t and gdn__discrete_sample, as selects over every lane. */
GDN_VECTOR_CLONES
static void sample_lanes(gdn__lanes *L, int64_t k)
{
    size_t B = L->B, m = L->m;
    const int *restrict act = L->act;
    const double *restrict y = L->y;
    double *restrict t = L->t, *restrict ot = L->out_t, *restrict ox = L->out_x;
    const double kd = (double)k;
    int all = 1;
    for (size_t b = 0; b < B; b++)
        all &= act[b] != 0;
    if (all) { /* every lane runs on (a sweep's usual case): a copy */
        for (size_t b = 0; b < B; b++)
            t[b] = ot[b] = kd;
        gdn__lanes_sample_all(L);
        return;
    }
    for (size_t b = 0; b < B; b++) {
        t[b] = gdn__sel(act[b] != 0, kd, t[b]);
        ot[b] = gdn__sel(act[b] != 0, kd, ot[b]);
    }
    for (size_t i = 0; i < m; i++)
        for (size_t b = 0; b < B; b++)
            ox[i * B + b] = gdn__sel(act[b] != 0, y[i * B + b], ox[i * B + b]);
}

int gdn__discrete_next(gdn__lanes *L)
{
    size_t B = L->B, m = L->m;
    int64_t steps = L->opts.steps, every = L->opts.every;
    int64_t k = (int64_t)L->t[0]; /* every running lane is at step k: */
    for (size_t b = B; b-- > 0;)   /* the last one's */
        if (L->act[b]) {
            k = (int64_t)L->t[b];
            break;
        }
    if (k >= steps) {
        for (size_t b = 0; b < B; b++)
            if (L->act[b]) {
                gdn_run_info *in = &L->info[b];
                in->status = L->status[b] = GDN_DONE;
                in->step = k;
                in->accepted = (uint64_t)k;
                in->nevals = L->ctx.nevals;
            }
        return GDN_DONE;
    }
    int64_t target = (k / every + 1) * every;
    if (target > steps)
        target = steps;
    while (k < target) {
        int restore = !L->fused, any;
        if (L->fused) {
            any = L->fused(L);
        } else {
            memcpy(L->y1, L->y, m * B * sizeof(double));
            L->opts.opt->step(&L->ctx, L->y); /* lane statuses in L->st */
            any = B == 1 ? check_one(L) : check(L);
        }
        if (any) {
            int live = 0;
            for (size_t b = 0; b < B; b++) {
                if (L->act[b] && L->bad[b])
                    lane_fail(L, b, k, restore);
                live |= L->act[b];
            }
            if (!live) /* every lane is over: nothing reads on */
                break;
        }
        k++;
        if (L->ngroups)
            gdn__avg_step(&L->avg, L->y, L->acc);
    }
    if (B > 1 && L->ngroups == 0) {
        sample_lanes(L, k);
        return GDN_OK;
    }
    for (size_t b = 0; b < B; b++)
        if (L->act[b]) {
            L->t[b] = (double)k;
            if (B == 1) { /* lanes: when they are over (above) */
                gdn_run_info *in = &L->info[b];
                in->step = k;
                in->accepted = (uint64_t)k;
                in->nevals = L->ctx.nevals;
            }
            gdn__discrete_sample(L, b, k);
        }
    return GDN_OK;
}
