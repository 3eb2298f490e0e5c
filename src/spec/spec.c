/* spec.c - parsing SPECs (see gandyn/spec.h). */
#include "gandyn/spec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits "name:rest" into name (copied to buf) and rest ("" if none). */
static int split_spec(const char *spec, char *name, size_t size,
                      const char **rest, const char *kind, gdn_error *err)
{
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (len == 0 || len >= size)
        return gdn_error_set(err, GDN_EINVAL, "bad %s spec '%s' (expected "
                             "NAME or NAME:key=value,...)", kind, spec);
    memcpy(name, spec, len);
    name[len] = '\0';
    *rest = colon ? colon + 1 : "";
    return GDN_OK;
}

int gdn_spec_term(const char *spec, const gdn_term_type *const *list,
                  const char *kind, gdn_term *term, unsigned char *given,
                  gdn_error *err)
{
    char name[64], names[256];
    const char *rest = "";
    if (split_spec(spec, name, sizeof name, &rest, kind, err) != GDN_OK)
        return GDN_EINVAL;
    const gdn_term_type *type = gdn_term_find(list, name);
    if (!type) {
        size_t used = 0;
        char hint[96];
        gdn_suggest sg;
        gdn_suggest_init(&sg, name);
        names[0] = '\0';
        for (size_t k = 0; list[k]; k++) {
            used += (size_t)snprintf(names + used, sizeof names - used,
                                     "%s%s", k ? ", " : "", list[k]->name);
            gdn_suggest_add(&sg, list[k]->name, strlen(list[k]->name));
        }
        return gdn_error_set(err, GDN_EINVAL,
                             "unknown %s '%s' (%saccepted: %s)", kind, name,
                             gdn_suggest_text(&sg, hint, sizeof hint), names);
    }
    memset(term, 0, sizeof *term);
    term->type = type;
    for (size_t k = 0; k < gdn_param_count(type->params); k++)
        term->par[k] = type->params[k].def;
    return gdn_params_apply(type->params, type->name, rest, term->par, given,
                            err);
}

int gdn_spec_opt(const char *spec, gdn_run_opts *opts, unsigned char *given,
                 gdn_error *err)
{
    char name[64], names[256];
    const char *rest = "";
    if (split_spec(spec, name, sizeof name, &rest, "optimizer", err) != GDN_OK)
        return GDN_EINVAL;
    const gdn_opt_type *opt = gdn_opt_find(name);
    if (!opt) {
        size_t used = 0;
        char hint[96];
        gdn_suggest sg;
        gdn_suggest_init(&sg, name);
        names[0] = '\0';
        for (size_t k = 0; gdn_optimizers[k]; k++) {
            used += (size_t)snprintf(names + used, sizeof names - used,
                                     "%s%s", k ? ", " : "",
                                     gdn_optimizers[k]->name);
            gdn_suggest_add(&sg, gdn_optimizers[k]->name,
                            strlen(gdn_optimizers[k]->name));
        }
        return gdn_error_set(err, GDN_EINVAL,
                             "unknown optimizer '%s' (%saccepted: %s)", name,
                             gdn_suggest_text(&sg, hint, sizeof hint), names);
    }
    opts->opt = opt;
    for (size_t k = 0; k < GDN_MAX_PARAMS; k++)
        opts->par[k] = k < gdn_param_count(opt->params) ? opt->params[k].def : 0;
    return gdn_params_apply(opt->params, opt->name, rest, opts->par, given,
                            err);
}

int gdn_system_from_specs(gdn_system *sys, size_t n, const char *model_spec,
                          const char *const *reg_specs, size_t nreg,
                          unsigned char *model_given,
                          unsigned char (*reg_given)[GDN_MAX_PARAMS],
                          gdn_error *err)
{
    gdn_term model;
    if (gdn_spec_term(model_spec, gdn_models, "model", &model, model_given,
                      err) ||
        gdn_system_init(sys, n, model.type, err))
        return GDN_EINVAL;
    sys->model = model;
    for (size_t k = 0; k < nreg; k++) {
        gdn_term reg;
        if (gdn_spec_term(reg_specs[k], gdn_regularizers, "regularizer", &reg,
                          reg_given ? reg_given[k] : NULL, err) ||
            gdn_system_add_reg(sys, reg.type, err) < 0)
            return GDN_EINVAL;
        sys->reg[k] = reg;
    }
    return gdn_system_check(sys, err);
}

int gdn_parse_state(const char *text, const char *what, size_t n, double *x,
                    gdn_error *err)
{
    size_t m = 2 * n, k = 0;
    char *copy = malloc(strlen(text) + 1);
    if (!copy)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    strcpy(copy, text);
    for (char *p = copy;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (k < m && gdn_parse_double(p, what, &x[k], err)) {
            free(copy);
            return GDN_EINVAL;
        }
        k++;
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    if (k != m)
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: %zu values given, %zu expected "
                             "(phi1..phi%zu, theta1..theta%zu for --dim %zu)",
                             what, k, m, n, n, n);
    return GDN_OK;
}
