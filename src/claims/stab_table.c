/*
 * stab_table.c - the stability table of the report (see gandyn/claims.h):
 * each model under each method, the linearisation at the equilibrium
 * (gdn_stability_analyze) against a simulation started near it and the
 * rate measured on it.  Moved from 'gandyn reproduce'.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/gmath.h"
#include "gandyn/claims.h"
#include "gandyn/run.h"
#include "gandyn/spec.h"
#include "gandyn/stability.h"
#include "gandyn/system.h"

static const char *const st_models[GDN_STAB_TABLE_MODELS] = {
    "gan", "nsgan", "wgan", "wgan-gp", "wgan-gp:c=0", "gan-qp", "wgan-clip",
    "lsgan", "hinge", "fgan-kl", "fgan-rkl", "fgan-pearson", "fgan-hellinger",
    "fgan-js", "nsgan + l2"};
static const char *const st_methods[GDN_STAB_TABLE_METHODS] = {
    "flow", "simgd:lr=0.1", "altgd:lr=0.1", "extragradient:lr=0.1",
    "ogda:lr=0.1", "consensus:lr=0.1,gamma=0.1",
    "momentum:lr=0.1,beta=-0.5,schedule=alt"};
static const char *const st_method_names[GDN_STAB_TABLE_METHODS] = {
    "flow", "simgd", "altgd", "extragradient", "ogda", "consensus",
    "alt. momentum β = -0.5"};

/* Envelopes of the last three of four windows, so that the first transient
 * is left out. */
double gdn_stab_table_rate(const gdn_traj *tr)
{
    size_t m = 2 * tr->n, end = 0;
    double r0 = 0, E[4] = {0, 0, 0, 0}, T[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < m; i++)
        r0 += tr->x[i] * tr->x[i];
    r0 = sqrt(r0);
    while (end < tr->count) {
        double r = 0;
        for (size_t i = 0; i < m; i++)
            r += tr->x[end * m + i] * tr->x[end * m + i];
        r = sqrt(r);
        if (!(r < 10 * r0) || !(r > 1e-200))
            break;
        end++;
    }
    if (end < 40)
        return NAN;
    for (int w = 0; w < 4; w++)
        for (size_t k = end * (size_t)w / 4; k < end * (size_t)(w + 1) / 4; k++) {
            double r = 0;
            for (size_t i = 0; i < m; i++)
                r += tr->x[k * m + i] * tr->x[k * m + i];
            if (r > E[w])
                E[w] = r, T[w] = tr->t[k];
        }
    return 0.5 * gdn__log(E[1] / E[3]) / (T[3] - T[1]); /* E holds |x|^2 */
}

/* The theory and a simulation from 1e-3 times the seed's start. */
int gdn_stab_table_cell(int mi, int oi, gdn_stab_cell *c, gdn_error *err)
{
    if (mi < 0 || mi >= GDN_STAB_TABLE_MODELS || oi < 0 ||
        oi >= GDN_STAB_TABLE_METHODS)
        return gdn_error_set(err, GDN_EINVAL,
                             "no cell (%d, %d) in the stability table", mi,
                             oi);
    char model[64];
    const char *reg = NULL;
    gdn_system sys;
    gdn_run_opts o;
    snprintf(model, sizeof model, "%s", st_models[mi]);
    if (strstr(model, " + l2")) {
        *strstr(model, " + l2") = '\0';
        reg = "l2:gamma=0.1";
    }
    c->verdict = -1, c->theory = c->measured = NAN, c->label = -1;
    c->disagree = 0;
    if (gdn_system_from_specs(&sys, 2, model, &reg, reg ? 1 : 0, NULL, NULL,
                              err))
        return GDN_EINVAL;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    if (gdn_spec_opt(st_methods[oi], &o, NULL, err))
        return GDN_EINVAL;
    int flow = gdn_run_opts_is_flow(&o);
    if (flow && sys.model.type->project)
        return GDN_OK; /* wgan-clip has no flow: not applicable */
    gdn_stability st;
    gdn_error e; /* a theory that cannot be computed is a result */
    if (gdn_stability_analyze(&sys, &o, NULL, 0, &st, &e) == GDN_OK) {
        c->verdict = st.verdict;
        c->theory = st.rate;
        gdn_stability_release(&st);
    }
    double x0[4] = {1e-4, 2e-4, 2e-4, 1e-4};
    o.t_end = 200, o.dt = 0.1, o.steps = 4000, o.every = 2;
    gdn_run *run = gdn_run_new(&sys, &o, x0, &e);
    if (!run)
        return GDN_OK; /* e.g. a field undefined at the start */
    gdn_traj tr;
    gdn_run_info info;
    gdn_diagnosis d;
    gdn_diag_opts dopts;
    gdn_diag_opts_init(&dopts);
    dopts.eps = 1e-300; /* a label for what the run does, not "reached" */
    gdn_diag_opts_method(&dopts, &sys, &o);
    gdn_traj_init(&tr, 2, 0, !flow);
    gdn_run_collect(run, &tr, &e);
    gdn_run_get_info(run, &info);
    gdn_diagnose(&tr, &info, &dopts, &d);
    c->label = d.label;
    c->measured = gdn_stab_table_rate(&tr);
    gdn_traj_release(&tr);
    gdn_run_free(run);
    /* where the linearisation decides, the simulation must follow it */
    if (c->verdict == GDN_STAB_STABLE)
        c->disagree = !(c->measured > 0) ||
                      fabs(c->measured / c->theory - 1) > 0.1;
    else if (c->verdict == GDN_STAB_UNSTABLE)
        c->disagree = !(c->measured < 0) ||
                      (isfinite(c->measured) &&
                       fabs(c->measured / c->theory - 1) > 0.1);
    return GDN_OK;
}

const char *gdn_stab_table_model(int mi)
{
    return mi >= 0 && mi < GDN_STAB_TABLE_MODELS ? st_models[mi] : NULL;
}

const char *gdn_stab_table_method(int oi)
{
    return oi >= 0 && oi < GDN_STAB_TABLE_METHODS ? st_methods[oi] : NULL;
}

const char *gdn_stab_table_method_name(int oi)
{
    return oi >= 0 && oi < GDN_STAB_TABLE_METHODS ? st_method_names[oi]
                                                  : NULL;
}
