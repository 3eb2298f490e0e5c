#define _POSIX_C_SOURCE 200809L /* open_memstream */
/*
 * manifest.c - what a resumed sweep must match (see gandyn/sweepfile.h,
 * gdn_sweep_manifest): every option that changes a record, as resolved.
 * Moved from 'gandyn sweep', so that every front-end writes and checks the
 * same manifests.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/model.h"
#include "gandyn/spec.h"
#include "gandyn/sweepfile.h"

/* "name:key=value,..." with every parameter as resolved (shortest text
 * that reads back as the same double; names for choices); malloc'd. */
static char *resolved(const char *name, const gdn_param *params,
                      const double *par)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return NULL;
    fputs(name, fp);
    for (size_t k = 0; params && params[k].key; k++) {
        char v[40];
        gdn_format_double(par[k], v, sizeof v);
        if (isnan(par[k]))
            snprintf(v, sizeof v, "inherit"); /* lr_d, lr_g: = lr */
        else if (params[k].flags & GDN_PARAM_ENUM) {
            const char *c = params[k].choices;
            for (long i = 0; c && i < (long)par[k] && strchr(c, '|'); i++)
                c = strchr(c, '|') + 1;
            size_t cl = c ? strcspn(c, "|") : 0;
            snprintf(v, sizeof v, "%.*s", (int)(cl < 32 ? cl : 32), c ? c : "");
        }
        fprintf(fp, "%c%s=%s", k ? ',' : ':', params[k].key, v);
    }
    if (fclose(fp) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Adds KEY with the doubles v[0..count) joined by sep. */
static int add_doubles(gdn_manifest *m, const char *key, const double *v,
                       size_t count, gdn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        char b[40];
        gdn_format_double(v[i], b, sizeof b);
        fprintf(fp, "%s%s", i ? "," : "", b);
    }
    if (fclose(fp) != 0) {
        free(text);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    int rc = gdn_manifest_add(m, err, key, "%s", text);
    free(text);
    return rc;
}

/* The manifest: everything that determines the records, as resolved, one
 * entry per option (named as the option, for messages), in a fixed order.
 * Options that do not change a record (--threads, --batch, --out, --plot,
 * --quiet) are not in it. */
int gdn_sweep_manifest(const gdn_sweep *sw, const gdn_sweep_plan *pl,
                       const gdn_sweep_source *src, gdn_manifest *m,
                       uint64_t *hash, gdn_error *err)
{
    const uint64_t *file_hash = src->file_hash;
    size_t file_size = src->file_size;
    long random_n = src->random_n, seed = src->seed;
    double box_lo = src->box_lo, box_hi = src->box_hi;
    char a[40], b[40], c[40];
    int rc = 0;
    /* the record format: the fields' names */
    {
        char *names = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&names, &len);
        if (!fp)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        for (size_t k = 0; k < GDN_SWEEP_NFIELDS; k++)
            fprintf(fp, "%s%s", k ? "," : "", gdn_sweep_field_name(k));
        if (fclose(fp) != 0) {
            free(names);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        rc = gdn_manifest_add(m, err, "records", "%016llx %s",
                              (unsigned long long)gdn_sweep_record_format(),
                              names);
        free(names);
        if (rc)
            return rc;
    }
    char *t = resolved(sw->sys.model.type->name, sw->sys.model.type->params,
                       sw->sys.model.par);
    rc = t ? gdn_manifest_add(m, err, "--model", "%s", t)
           : gdn_error_set(err, GDN_ENOMEM, "out of memory");
    free(t);
    if (rc)
        return rc;
    {
        char *regs = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&regs, &len);
        if (!fp)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        if (sw->sys.nreg == 0)
            fputs("none", fp);
        for (size_t k = 0; k < sw->sys.nreg; k++) {
            char *r = resolved(sw->sys.reg[k].type->name,
                               sw->sys.reg[k].type->params, sw->sys.reg[k].par);
            fprintf(fp, "%s%s", k ? " --reg " : "", r ? r : "?");
            free(r);
        }
        if (fclose(fp) != 0) {
            free(regs);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        rc = gdn_manifest_add(m, err, "--reg", "%s", regs);
        free(regs);
        if (rc)
            return rc;
    }
    t = resolved(sw->opts.opt->name, sw->opts.opt->params, sw->opts.par);
    rc = t ? gdn_manifest_add(m, err, "--opt", "%s", t)
           : gdn_error_set(err, GDN_ENOMEM, "out of memory");
    free(t);
    if (rc)
        return rc;
    gdn_format_double(sw->opts.blowup, a, sizeof a);
    if ((rc = gdn_manifest_add(m, err, "blowup", "%s", a)) ||
        (rc = gdn_manifest_add(m, err, "averages", "%zu ema, uniform %d",
                               sw->opts.nema, sw->opts.uniform)) ||
        (rc = gdn_manifest_add(m, err, "--dim", "%zu", sw->sys.n)))
        return rc;
    if (gdn_run_opts_is_flow(&sw->opts)) {
        gdn_format_double(sw->opts.t_end, a, sizeof a);
        gdn_format_double(sw->opts.dt, b, sizeof b);
        if ((rc = gdn_manifest_add(m, err, "--t-end", "%s", a)) ||
            (rc = gdn_manifest_add(m, err, "--dt", "%s", b)))
            return rc;
    } else if ((rc = gdn_manifest_add(m, err, "--steps", "%" PRId64,
                                      sw->opts.steps)) ||
               (rc = gdn_manifest_add(m, err, "--every", "%" PRId64,
                                      sw->opts.every)))
        return rc;
    gdn_format_double(sw->dopts.eps, a, sizeof a);
    if ((rc = gdn_manifest_add(m, err, "--eps", "%s", a)))
        return rc;
    {
        char d1[40], d2[40], d3[40];
        gdn_format_double(sw->dopts.tail, d1, sizeof d1);
        gdn_format_double(sw->dopts.rel, d2, sizeof d2);
        gdn_format_double(sw->dopts.rel_circle, d3, sizeof d3);
        if ((rc = gdn_manifest_add(m, err, "diagnosis",
                                   "tail=%s,rel=%s,rel_circle=%s", d1, d2,
                                   d3)))
            return rc;
    }
    if (!sw->points &&
        (rc = add_doubles(m, "--init", sw->x0, 2 * sw->sys.n, err)))
        return rc;
    {
        char *grid = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&grid, &len);
        if (!fp)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        if (sw->naxes == 0)
            fputs("none", fp);
        for (size_t d = 0; d < sw->naxes; d++) {
            const gdn_sweep_axis *x = &sw->axes[d];
            gdn_format_double(x->lo, a, sizeof a);
            gdn_format_double(x->hi, b, sizeof b);
            fprintf(fp, "%s%s=%s%s:%s:%ld%s", d ? " --grid " : "", x->name,
                    x->logscale ? "log:" : "", a, b, x->count,
                    x->integer ? " (whole numbers)" : "");
        }
        if (fclose(fp) != 0) {
            free(grid);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        rc = gdn_manifest_add(m, err, "--grid", "%s", grid);
        free(grid);
        if (rc)
            return rc;
    }
    if (file_hash &&
        (rc = gdn_manifest_add(m, err, "init-file",
                               "fnv1a %016llx, %zu bytes, %zu starts",
                               (unsigned long long)*file_hash, file_size,
                               sw->npoints)))
        return rc;
    if (random_n > 0) {
        gdn_format_double(box_lo, a, sizeof a);
        gdn_format_double(box_hi, c, sizeof c);
        if ((rc = gdn_manifest_add(m, err, "--random", "%ld", random_n)) ||
            (rc = gdn_manifest_add(m, err, "--seed", "%ld", seed)) ||
            (rc = gdn_manifest_add(m, err, "--box", "%s:%s", a, c)))
            return rc;
    }
    if ((rc = gdn_manifest_add(m, err, "--chunk", "%zu", pl->chunk)) ||
        (rc = gdn_manifest_add(m, err, "points", "%zu", pl->total)))
        return rc;
    *hash = gdn_manifest_hash(m);
    return GDN_OK;
}
