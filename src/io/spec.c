/* spec.c - parsing SPECs and checking parameters (see gandyn/spec.h). */
#include "gandyn/spec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gdn_parse_double(const char *s, const char *what, double *out,
                     gdn_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || isspace((unsigned char)s[0]))
        return gdn_error_set(err, GDN_EINVAL, "%s: '%s' is not a number", what,
                             s);
    /* strtod also reads C99 hexadecimal ("0x10", "0x1p3"): decimal only */
    if (strpbrk(s, "xX") && isfinite(v))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is not a number (hexadecimal is not "
                             "accepted; write it in decimal)", what, s);
    if (!isfinite(v))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is not a finite number", what, s);
    /* ERANGE with a finite result is an underflow: a subnormal is a
     * number (accepted); a nonzero text that rounds to 0 is refused */
    if (errno == ERANGE && v == 0)
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is too small (nonzero, but below the "
                             "smallest double 4.9e-324: it would read as 0)",
                             what, s);
    *out = v;
    return GDN_OK;
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions) between a[0..la) and b[0..lb), both at most 63 bytes. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

void gdn_suggest_init(gdn_suggest *s, const char *word)
{
    s->word = word;
    s->best[0] = '\0';
    s->dist = (size_t)-1;
}

void gdn_suggest_add(gdn_suggest *s, const char *cand, size_t len)
{
    size_t lw = strlen(s->word);
    if (lw == 0 || lw > 63 || len == 0 || len > 63 ||
        (len == lw && strncmp(cand, s->word, len) == 0))
        return;
    size_t d = osa_distance(s->word, lw, cand, len);
    /* at most 2 edits, and at most one per three letters of the word, so
     * that a short word is not "corrected" into an unrelated one */
    if (d > 2 || 3 * d > lw + 1 || d >= s->dist)
        return;
    s->dist = d;
    memcpy(s->best, cand, len);
    s->best[len] = '\0';
}

void gdn_suggest_words(gdn_suggest *s, const char *list, char sep)
{
    for (const char *c = list; *c;) {
        const char *e = strchr(c, sep);
        size_t len = e ? (size_t)(e - c) : strlen(c);
        gdn_suggest_add(s, c, len);
        if (!e)
            break;
        c = e + 1;
    }
}

const char *gdn_suggest_text(const gdn_suggest *s, char *buf, size_t size)
{
    if (s->best[0])
        snprintf(buf, size, "did you mean '%s'? ", s->best);
    else if (size)
        buf[0] = '\0';
    return buf;
}

int gdn_parse_long(const char *s, const char *what, long lo, long hi,
                   long *out, gdn_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE ||
        isspace((unsigned char)s[0]))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is not a whole number", what, s);
    if (v < lo || v > hi)
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: %ld is out of range (accepted: %ld to %ld)",
                             what, v, lo, hi);
    *out = v;
    return GDN_OK;
}

void gdn_format_double(double v, char *buf, size_t size)
{
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int gdn_params_format(const char *name, const gdn_param *params,
                      const double *values, char *buf, size_t size)
{
    size_t used = 0;
    int first = 1, w = snprintf(buf, size, "%s", name);
    if (w < 0 || (size_t)w >= size)
        return GDN_EINVAL;
    used = (size_t)w;
    for (size_t k = 0; params && params[k].key; k++) {
        const gdn_param *p = &params[k];
        double v = values[k];
        char val[64];
        if (isnan(v) && isnan(p->def))
            continue; /* inherits (lr_d, lr_g: = lr) */
        if (p->flags & GDN_PARAM_ENUM) {
            const char *c = p->choices;
            for (long i = 0; i < (long)v && c; i++)
                c = strchr(c, '|'), c = c ? c + 1 : NULL;
            size_t len = c ? strcspn(c, "|") : 0;
            if (!c || len == 0 || len >= sizeof val)
                return GDN_EINVAL;
            memcpy(val, c, len);
            val[len] = '\0';
        } else {
            gdn_format_double(v, val, sizeof val);
        }
        w = snprintf(buf + used, size - used, "%c%s=%s", first ? ':' : ',',
                     p->key, val);
        first = 0;
        if (w < 0 || (size_t)w >= size - used)
            return GDN_EINVAL;
        used += (size_t)w;
    }
    return GDN_OK;
}

void gdn_param_describe(const gdn_param *p, char *buf, size_t size)
{
    if (p->flags & GDN_PARAM_ENUM) {
        snprintf(buf, size, "%s", p->choices);
        return;
    }
    const char *kind = (p->flags & GDN_PARAM_INT) ? "whole number " : "";
    char lo = (p->flags & GDN_PARAM_LO_OPEN) ? '(' : '[';
    char hi = (p->flags & GDN_PARAM_HI_OPEN) ? ')' : ']';
    if (isinf(p->hi))
        snprintf(buf, size, "%s%s %g", kind,
                 (p->flags & GDN_PARAM_LO_OPEN) ? ">" : ">=", p->lo);
    else
        snprintf(buf, size, "%sin %c%g, %g%c", kind, lo, p->lo, p->hi, hi);
}

/* "owner: key=token is out of range (accepted: ...)". */
static int range_error(const gdn_param *p, const char *owner,
                       const char *token, gdn_error *err)
{
    char acc[96];
    gdn_param_describe(p, acc, sizeof acc);
    return gdn_error_set(err, GDN_EINVAL,
                         "%s: %s=%s is out of range (accepted: %s)", owner,
                         p->key, token, acc);
}

int gdn_param_check(const gdn_param *p, const char *owner, double v,
                    gdn_error *err)
{
    int lo_ok = (p->flags & GDN_PARAM_LO_OPEN) ? v > p->lo : v >= p->lo;
    int hi_ok = (p->flags & GDN_PARAM_HI_OPEN) ? v < p->hi : v <= p->hi;
    int int_ok = !(p->flags & (GDN_PARAM_INT | GDN_PARAM_ENUM)) || v == floor(v);
    if (isnan(v) && isnan(p->def))
        return GDN_OK; /* inherits */
    if (!lo_ok || !hi_ok || !int_ok || !isfinite(v)) {
        char val[32];
        gdn_format_double(v, val, sizeof val);
        return range_error(p, owner, val, err);
    }
    return GDN_OK;
}

/* Index of choice word [w, w+len) in "a|b|c", or -1. */
static int choice_index(const char *choices, const char *w)
{
    int k = 0;
    size_t len = strlen(w);
    for (const char *c = choices; *c; k++) {
        const char *bar = strchr(c, '|');
        size_t clen = bar ? (size_t)(bar - c) : strlen(c);
        if (clen == len && strncmp(c, w, len) == 0)
            return k;
        if (!bar)
            break;
        c = bar + 1;
    }
    return -1;
}

/* "a, b, c" list of the keys of a table. */
static void key_list(const gdn_param *params, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    if (!params || !params[0].key) {
        snprintf(buf, size, "none: it takes no parameters");
        return;
    }
    for (size_t k = 0; params[k].key && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 k ? ", " : "", params[k].key);
}

int gdn_params_apply(const gdn_param *params, const char *owner,
                     const char *kvlist, double *values, unsigned char *given,
                     gdn_error *err)
{
    char buf[512], keys[256], hint[96];
    unsigned char seen[GDN_MAX_PARAMS] = {0};
    if (strlen(kvlist) >= sizeof buf)
        return gdn_error_set(err, GDN_EINVAL, "%s: parameter list too long",
                             owner);
    strcpy(buf, kvlist);
    for (char *item = buf; *item;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        char *eq = strchr(item, '=');
        if (!eq || eq == item)
            return gdn_error_set(err, GDN_EINVAL,
                                 "%s: '%s' is not key=value", owner, item);
        *eq = '\0';
        const char *key = item, *val = eq + 1;
        size_t k;
        for (k = 0; params && params[k].key; k++)
            if (strcmp(params[k].key, key) == 0)
                break;
        if (!params || !params[k].key) {
            gdn_suggest sg;
            gdn_suggest_init(&sg, key);
            for (size_t q = 0; params && params[q].key; q++)
                gdn_suggest_add(&sg, params[q].key, strlen(params[q].key));
            key_list(params, keys, sizeof keys);
            return gdn_error_set(err, GDN_EINVAL,
                                 "%s: unknown key '%s' (%saccepted: %s)", owner,
                                 key, gdn_suggest_text(&sg, hint, sizeof hint),
                                 keys);
        }
        if (k < GDN_MAX_PARAMS && seen[k]++)
            return gdn_error_set(err, GDN_EINVAL,
                                 "%s: key '%s' given twice (each key at most "
                                 "once)", owner, key);
        const gdn_param *p = &params[k];
        double v;
        if (p->flags & GDN_PARAM_ENUM) {
            int c = choice_index(p->choices, val);
            if (c < 0) {
                gdn_suggest sg;
                gdn_suggest_init(&sg, val);
                gdn_suggest_words(&sg, p->choices, '|');
                return gdn_error_set(err, GDN_EINVAL,
                                     "%s: %s='%s' (%saccepted: %s)", owner, key,
                                     val, gdn_suggest_text(&sg, hint, sizeof hint),
                                     p->choices);
            }
            v = c;
        } else {
            char what[640];
            snprintf(what, sizeof what, "%s: %s", owner, key);
            if (gdn_parse_double(val, what, &v, err) != GDN_OK)
                return err ? err->code : GDN_EINVAL;
            if (gdn_param_check(p, owner, v, NULL) != GDN_OK)
                return range_error(p, owner, val, err); /* as typed */
        }
        values[k] = v;
        if (given)
            given[k] = 1;
        if (!comma)
            break;
        item = comma + 1;
        if (!*item)
            return gdn_error_set(err, GDN_EINVAL, "%s: empty item after ','",
                                 owner);
    }
    return GDN_OK;
}

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
