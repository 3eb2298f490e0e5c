/* param_text.c - parameters to and from text: checks, ranges, "key=value"
 * lists (see gandyn/param.h). */
#include "gandyn/param.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/text.h"

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
