/*
 * sweep.c - grids of trajectories (see gandyn/sweep.h): axes, the setup of
 * one point, the one-by-one path through gdn_run, and the parallel driver.
 *
 * Determinism: every point is computed alone from its own setup, and its
 * record lands at its own index, so neither the number of threads nor the
 * batch size can change a bit of the output.
 */
#include "gandyn/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "gandyn/spec.h"
#include "sweep_internal.h"
#include "../core/gmath.h"

static const char *const field_names[] = {
#define GDN_SWEEP_NAME_(name, about) #name,
    GDN_SWEEP_FIELDS(GDN_SWEEP_NAME_)
#undef GDN_SWEEP_NAME_
};
static const char *const field_about[] = {
#define GDN_SWEEP_ABOUT_(name, about) about,
    GDN_SWEEP_FIELDS(GDN_SWEEP_ABOUT_)
#undef GDN_SWEEP_ABOUT_
};

const char *gdn_sweep_field_name(size_t k)
{
    return k < GDN_SWEEP_NFIELDS ? field_names[k] : "?";
}

const char *gdn_sweep_field_about(size_t k)
{
    return k < GDN_SWEEP_NFIELDS ? field_about[k] : "?";
}

/* ------------------------------------------------------------------ axes */

double gdn_sweep_axis_value(const gdn_sweep_axis *ax, long i)
{
    double u = ax->count > 1 ? (double)i / (double)(ax->count - 1) : 0;
    double v = ax->logscale ? ax->lo * gdn__pow_pos(ax->hi / ax->lo, u)
                            : ax->lo + (ax->hi - ax->lo) * u;
    if (i == ax->count - 1)
        v = ax->hi; /* both ends exactly */
    return ax->integer ? round(v) : v;
}

static int find_key(const gdn_param *p, const char *key, size_t *k)
{
    for (size_t i = 0; p && p[i].key; i++)
        if (strcmp(p[i].key, key) == 0)
            return *k = i, 1;
    return 0;
}

/* "phi3" or "theta1": coordinate index, or -1. */
static long coord_of(const char *key, size_t n)
{
    const char *num = NULL;
    long base = 0;
    if (strncmp(key, "phi", 3) == 0)
        num = key + 3, base = 0;
    else if (strncmp(key, "theta", 5) == 0)
        num = key + 5, base = (long)n;
    if (!num || !*num)
        return -1;
    /* digits only, no leading zero: "theta01", "theta+1" are not names */
    if (num[0] < '1' || num[0] > '9' || strspn(num, "0123456789") != strlen(num))
        return -1;
    char *end;
    long i = strtol(num, &end, 10);
    if (*end || i < 1 || (size_t)i > n)
        return -1;
    return base + i - 1;
}

int gdn_sweep_axis_parse(const char *text, const gdn_sweep *sw,
                         gdn_sweep_axis *ax, gdn_error *err)
{
    char key[64], rest[160];
    const char *eq = strchr(text, '=');
    memset(ax, 0, sizeof *ax);
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof key ||
        strlen(eq + 1) >= sizeof rest)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': expected KEY=LO:HI:N", text);
    memcpy(key, text, (size_t)(eq - text));
    key[eq - text] = '\0';
    strcpy(rest, eq + 1);
    char *r = rest, *f[3], *colon = NULL;
    int nf = 0;
    if (strncmp(r, "log:", 4) == 0)
        ax->logscale = 1, r += 4;
    for (char *p = r; nf < 3; p = colon + 1) {
        f[nf++] = p;
        if (!(colon = strchr(p, ':')))
            break;
        *colon = '\0';
    }
    if (nf != 3 || colon) /* fewer or more than three fields */
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': expected KEY=LO:HI:N", text);
    if (gdn_parse_double(f[0], "LO", &ax->lo, err) ||
        gdn_parse_double(f[1], "HI", &ax->hi, err) ||
        gdn_parse_long(f[2], "N", 2, 100000000, &ax->count, err))
        return GDN_EINVAL;
    if (!(ax->hi > ax->lo))
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': empty range (HI must exceed LO)", text);
    if (ax->logscale && !(ax->lo > 0))
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': a log grid needs LO > 0", text);
    size_t n = sw->sys.n;
    long c = coord_of(key, n);
    if (c >= 0) {
        ax->target = GDN_AXIS_COORD;
        ax->index = (size_t)c;
        snprintf(ax->name, sizeof ax->name, "%s", key);
        return GDN_OK;
    }
    const char *dot = strchr(key, '.');
    const char *bare = dot ? dot + 1 : key;
    int want_opt = !dot || strncmp(key, "opt.", 4) == 0;
    int want_model = !dot || strncmp(key, "model.", 6) == 0;
    int want_reg = !dot || strncmp(key, "reg.", 4) == 0;
    if (dot && !want_opt && !want_model && !want_reg)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': qualify with opt., model. or reg.", key);
    char found[3][80];
    int nfound = 0;
    size_t k;
    const gdn_param *p = NULL;
    const char *owner = "";
    if (want_opt && find_key(sw->opts.opt->params, bare, &k)) {
        ax->target = GDN_AXIS_OPT, ax->index = k;
        p = &sw->opts.opt->params[k], owner = sw->opts.opt->name;
        snprintf(found[nfound++], 80, "opt.%s", bare);
    }
    if (want_model && find_key(sw->sys.model.type->params, bare, &k)) {
        ax->target = GDN_AXIS_MODEL, ax->index = k;
        p = &sw->sys.model.type->params[k], owner = sw->sys.model.type->name;
        snprintf(found[nfound++], 80, "model.%s", bare);
    }
    for (size_t j = 0; want_reg && j < sw->sys.nreg; j++)
        if (find_key(sw->sys.reg[j].type->params, bare, &k)) {
            ax->target = GDN_AXIS_REG, ax->reg = j, ax->index = k;
            p = &sw->sys.reg[j].type->params[k];
            owner = sw->sys.reg[j].type->name;
            snprintf(found[nfound++], 80, "reg.%s", bare);
            break;
        }
    if (nfound == 0) {
        gdn_suggest sg; /* did you mean: among the parameters' keys */
        char hint[96];
        const gdn_param *tabs[2 + GDN_MAX_REGS] = {sw->opts.opt->params,
                                                   sw->sys.model.type->params};
        for (size_t j = 0; j < sw->sys.nreg && j < GDN_MAX_REGS; j++)
            tabs[2 + j] = sw->sys.reg[j].type->params;
        gdn_suggest_init(&sg, bare);
        for (size_t t = 0; t < 2 + sw->sys.nreg && t < 2 + GDN_MAX_REGS; t++)
            for (size_t q = 0; tabs[t] && tabs[t][q].key; q++)
                gdn_suggest_add(&sg, tabs[t][q].key, strlen(tabs[t][q].key));
        gdn_suggest_text(&sg, hint, sizeof hint);
        if (hint[0]) /* "did you mean 'x'? " without the trailing space */
            hint[strlen(hint) - 1] = '\0';
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' is not a parameter of %s, %s or the "
                             "regularizers, nor a coordinate phi1..phi%zu, "
                             "theta1..theta%zu%s%s",
                             key, sw->opts.opt->name, sw->sys.model.type->name,
                             n, n, hint[0] ? "; " : "", hint);
    }
    if (nfound > 1)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' is ambiguous (accepted: %s, %s%s%s)", key,
                             found[0], found[1], nfound > 2 ? ", " : "",
                             nfound > 2 ? found[2] : "");
    if (p->flags & GDN_PARAM_ENUM)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' takes names (%s), not a range", key,
                             p->choices);
    ax->integer = (p->flags & GDN_PARAM_INT) != 0;
    snprintf(ax->name, sizeof ax->name, "%s", found[0]);
    if (gdn_param_check(p, owner, ax->lo, err) ||
        gdn_param_check(p, owner, ax->hi, err))
        return GDN_EINVAL;
    return GDN_OK;
}

size_t gdn_sweep_count(const gdn_sweep *sw)
{
    size_t total = sw->points ? sw->npoints : 1;
    for (size_t d = 0; d < sw->naxes; d++) {
        size_t c = (size_t)sw->axes[d].count;
        if (c && total > (size_t)-1 / c)
            return 0;
        total *= c;
    }
    return total;
}

int gdn_sweep_setup(const gdn_sweep *sw, size_t k, gdn_system *sys,
                    gdn_run_opts *opts, double *x0, gdn_error *err)
{
    size_t m = 2 * sw->sys.n;
    *sys = sw->sys;
    *opts = sw->opts;
    size_t rest = k;
    long idx[GDN_SWEEP_MAX_AXES];
    for (size_t d = sw->naxes; d-- > 0;) { /* the last axis fastest */
        idx[d] = (long)(rest % (size_t)sw->axes[d].count);
        rest /= (size_t)sw->axes[d].count;
    }
    if (sw->points) {
        if (rest >= sw->npoints)
            return gdn_error_set(err, GDN_EINVAL, "point %zu out of range", k);
        if (rest < sw->points_first ||
            (sw->points_held && rest - sw->points_first >= sw->points_held))
            return gdn_error_set(err, GDN_EINVAL,
                                 "point %zu: its start (%zu) is not among the "
                                 "starts held (%zu..%zu)", k, rest,
                                 sw->points_first,
                                 sw->points_first + sw->points_held);
        memcpy(x0, sw->points + (rest - sw->points_first) * m,
               m * sizeof *x0);
    } else {
        memcpy(x0, sw->x0, m * sizeof *x0);
    }
    for (size_t d = 0; d < sw->naxes; d++) {
        const gdn_sweep_axis *ax = &sw->axes[d];
        double v = gdn_sweep_axis_value(ax, idx[d]);
        switch (ax->target) {
        case GDN_AXIS_OPT: opts->par[ax->index] = v; break;
        case GDN_AXIS_MODEL: sys->model.par[ax->index] = v; break;
        case GDN_AXIS_REG: sys->reg[ax->reg].par[ax->index] = v; break;
        default: x0[ax->index] = v;
        }
    }
    for (size_t i = 0; i < m; i++) /* gdn_run_new's rule, on both paths */
        if (isfinite(x0[i]) && !(fabs(x0[i]) <= opts->blowup))
            return gdn_error_set(err, GDN_EINVAL,
                                 "point %zu: start value %zu = %g is beyond "
                                 "the divergence range (accepted: |x_i| <= "
                                 "%g)", k, i + 1, x0[i], opts->blowup);
    return GDN_OK;
}

/* ------------------------------------------------------- one trajectory */

void gdn__sweep_record(const gdn_diagnosis *d, gdn_sweep_rec *rec)
{
    rec->label = d->label;
    rec->theta_norm = d->end.theta_norm;
    rec->phi_norm = d->end.phi_norm;
    rec->gram = d->end.gram;
    rec->distance = d->r_end;
    rec->t_eps = d->t_eps;
    rec->t_stop = d->stop_t;
    rec->rate = d->rate;
    rec->rate_kind = d->rate_kind;
    rec->t_eps_measured = d->t_eps_measured;
}

int gdn_sweep_one(const gdn_system *sys, const gdn_run_opts *opts,
                  const double *x0, const gdn_diag_opts *dopts,
                  gdn_sweep_rec *rec, gdn_error *err)
{
    gdn_diagnosis d;
    gdn_diag_acc acc;
    gdn_diag_opts dopt = *dopts; /* with what the method is */
    gdn_diag_opts_method(&dopt, sys, opts);
    dopts = &dopt;
    int flow = gdn_run_opts_is_flow(opts);
    gdn_run *run = gdn_run_new(sys, opts, x0, err);
    if (!run) {
        if (err && err->code == GDN_ENOMEM)
            return GDN_ENOMEM;
        /* a start where the field is undefined is a result of the grid */
        gdn_diag_acc_init(&acc, sys->n, 0, 0, dopts);
        gdn_diag_acc_add(&acc, 0, x0);
        gdn_run_info info = {.status = GDN_EUNDEFINED, .t = 0};
        gdn_diag_acc_finish(&acc, &info, !flow, NAN, &d);
        gdn__sweep_record(&d, rec);
        return GDN_OK;
    }
    double t_end = flow ? opts->t_end : (double)opts->steps;
    gdn_diag_acc_init(&acc, sys->n, 0, t_end, dopts);
    int rc;
    for (;;) {
        rc = gdn_run_next(run);
        if (rc == GDN_DONE)
            break;
        double t = gdn_run_time(run);
        /* an outcome right after a sample repeats it (gdn_run_collect) */
        if (!(rc != GDN_OK && acc.count && t == acc.t_last))
            gdn_diag_acc_add(&acc, t, gdn_run_state(run));
        if (rc != GDN_OK)
            break;
    }
    gdn_run_info info;
    gdn_run_get_info(run, &info);
    gdn_run_free(run);
    gdn_diag_acc_finish(&acc, &info, !flow, NAN, &d);
    gdn__sweep_record(&d, rec);
    return GDN_OK;
}

/* -------------------------------------------------------------- the driver */

static int check_sweep(const gdn_sweep *sw, gdn_error *err)
{
    if (gdn_system_check(&sw->sys, err) || gdn_run_opts_check(&sw->opts, err))
        return GDN_EINVAL;
    if (sw->opts.nema || sw->opts.uniform)
        return gdn_error_set(err, GDN_EINVAL, "a sweep keeps no averages");
    if (sw->naxes > GDN_SWEEP_MAX_AXES)
        return gdn_error_set(err, GDN_EINVAL, "at most %d grid axes",
                             GDN_SWEEP_MAX_AXES);
    if (gdn_sweep_count(sw) == 0)
        return gdn_error_set(err, GDN_EINVAL, "the sweep has no points (or "
                             "too many to count)");
    if (!sw->points && !sw->x0)
        return gdn_error_set(err, GDN_EINVAL, "the sweep has no start");
    return GDN_OK;
}

int gdn_sweep_run(const gdn_sweep *sw, size_t first, size_t count,
                  int nthreads, size_t batch, gdn_sweep_rec *recs,
                  gdn_error *err)
{
    if (check_sweep(sw, err))
        return GDN_EINVAL;
    if (first + count > gdn_sweep_count(sw) || first + count < first)
        return gdn_error_set(err, GDN_EINVAL, "points %zu..%zu out of range",
                             first, first + count);
    if (gdn_sweep_batched(sw))
        return gdn__sweep_run_batched(sw, first, count, nthreads, batch, recs,
                                      err);
    size_t m = 2 * sw->sys.n;
    int failed = 0;
    gdn_error first_err = {0};
#ifdef _OPENMP
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
#else
    (void)nthreads;
#endif
    {
        double *x0 = malloc(m * sizeof *x0);
        gdn_error e;
        if (!x0)
            gdn__store_flag(&failed, GDN_ENOMEM);
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 8)
#endif
        for (size_t i = 0; i < count; i++) {
            if (gdn__load_flag(&failed) || !x0)
                continue;
            gdn_system sys;
            gdn_run_opts opts;
            int rc = gdn_sweep_setup(sw, first + i, &sys, &opts, x0, &e);
            if (!rc)
                rc = gdn_sweep_one(&sys, &opts, x0, &sw->dopts, &recs[i], &e);
            if (rc) {
#ifdef _OPENMP
#pragma omp critical(gdn_sweep_error)
#endif
                if (!gdn__load_flag(&failed)) {
                    first_err = e;
                    gdn__store_flag(&failed, rc);
                }
            }
        }
        free(x0);
    }
    if (failed) {
        if (err)
            *err = first_err.code ? first_err
                                  : (gdn_error){GDN_ENOMEM, "out of memory"};
        return failed;
    }
    return GDN_OK;
}
