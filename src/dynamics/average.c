/*
 * average.c - the averages of a run, discrete and flow (see average.h).
 */
#include "average.h"

#include "../core/gmath.h"

#include <math.h>
#include <string.h>

void gdn__avg_init(gdn__avg *a, const gdn_run_opts *opts, size_t m, size_t B)
{
    memset(a, 0, sizeof *a);
    a->m = m;
    a->B = B;
    a->nema = opts->nema;
    a->debias = opts->ema_debias;
    a->uniform = opts->uniform;
    for (size_t j = 0; j < a->nema; j++) {
        a->beta[j] = opts->ema[j].beta;
        a->tau[j] = opts->ema[j].tau != 0 ? opts->ema[j].tau
                                          : opts->dt / (1.0 - opts->ema[j].beta);
    }
}

size_t gdn__avg_count(const gdn__avg *a)
{
    return a->nema + (a->uniform ? 1 : 0);
}

void gdn__avg_start(gdn__avg *a, int flow, const double *x0, double *acc)
{
    size_t mb = a->m * a->B;
    for (size_t j = 0; j < a->nema; j++) {
        if (a->debias)
            memset(acc + j * mb, 0, mb * sizeof *acc);
        else
            memcpy(acc + j * mb, x0, mb * sizeof *acc);
    }
    if (a->uniform) { /* the flow's s is an integral, from 0 */
        if (flow)
            memset(acc + a->nema * mb, 0, mb * sizeof *acc);
        else
            memcpy(acc + a->nema * mb, x0, mb * sizeof *acc);
    }
}

void gdn__avg_step(gdn__avg *a, const double *x, double *acc)
{
    size_t mb = a->m * a->B;
    for (size_t j = 0; j < a->nema; j++) {
        double beta = a->beta[j], *e = acc + j * mb;
        for (size_t i = 0; i < mb; i++)
            e[i] = beta * e[i] + (1.0 - beta) * x[i];
    }
    if (a->uniform) {
        double *s = acc + a->nema * mb;
        for (size_t i = 0; i < mb; i++)
            s[i] += x[i];
    }
}

void gdn__avg_rhs(const gdn__avg *a, const double *x, const double *acc,
                  double *dacc)
{
    size_t mb = a->m * a->B;
    for (size_t j = 0; j < a->nema; j++) {
        const double *e = acc + j * mb;
        double *de = dacc + j * mb, r = 1.0 / a->tau[j];
        for (size_t i = 0; i < mb; i++)
            de[i] = (x[i] - e[i]) * r;
    }
    if (a->uniform)
        memcpy(dacc + a->nema * mb, x, mb * sizeof *x);
}

void gdn__avg_sample(const gdn__avg *a, int flow, size_t b, double t,
                     const double *x0, const double *acc, double *out)
{
    size_t m = a->m, B = a->B, mb = m * B;
    for (size_t j = 0; j < gdn__avg_count(a); j++) {
        const double *src = acc + j * mb;
        double *o = out + j * mb;
        int ema = j < a->nema;
        if (t == 0 && (flow || (ema && a->debias))) {
            for (size_t i = 0; i < m; i++)
                o[i * B + b] = x0[i * B + b];
        } else if (!flow && ema && a->debias) {
            /* beta^k within an ulp, not a running product of k
             * roundings */
            double c = 1.0 - gdn__pow_pos(a->beta[j], t);
            for (size_t i = 0; i < m; i++)
                o[i * B + b] = src[i * B + b] / c;
        } else if (!flow && ema) {
            for (size_t i = 0; i < m; i++)
                o[i * B + b] = src[i * B + b];
        } else if (!flow) {
            for (size_t i = 0; i < m; i++)
                o[i * B + b] = src[i * B + b] / (t + 1);
        } else {
            double scale = !ema       ? 1.0 / t
                           : a->debias ? -1.0 / gdn__expm1(-t / a->tau[j])
                                       : 1.0;
            for (size_t i = 0; i < m; i++)
                o[i * B + b] = src[i * B + b] * scale;
        }
    }
}
