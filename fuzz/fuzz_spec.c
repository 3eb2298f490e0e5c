/*
 * fuzz_spec.c - the SPEC parser (gandyn/spec.h) on arbitrary text.
 *
 * The first byte picks the entry point, the second a dimension; the rest is
 * the text, cut at '\n' into at most 1 + GDN_MAX_REGS pieces (a model SPEC
 * and regularizer SPECs).  Whatever the text, every call returns GDN_OK or
 * GDN_EINVAL with a one-line message, and what it accepts obeys its
 * contract: numbers finite and printed back exactly, parameters in range,
 * systems passing gdn_system_check.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(int rc, const gdn_error *err)
{
    if (rc == GDN_OK)
        return;
    if (rc != GDN_EINVAL || !err->msg[0] || strchr(err->msg, '\n')) {
        fprintf(stderr, "fuzz_spec: rc %d, message '%s'\n", rc, err->msg);
        abort();
    }
}

/* Every value of an accepted term is in its parameter's range. */
static void check_term(const gdn_term *term)
{
    gdn_error err;
    const gdn_param *p = term->type->params;
    for (size_t k = 0; p && p[k].key; k++)
        if (gdn_param_check(&p[k], term->type->name, term->par[k], &err))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned mode = data[0] % 7u;
    size_t n = 1 + data[1] % 6u;
    char *text = malloc(size - 1);
    if (!text)
        return 0;
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';

    const char *piece[1 + GDN_MAX_REGS];
    size_t np = 0;
    char *s = text;
    piece[np++] = s;
    while (np < 1 + GDN_MAX_REGS && (s = strchr(s, '\n')) != NULL) {
        *s++ = '\0';
        piece[np++] = s;
    }

    gdn_error err;
    err.msg[0] = '\0';
    int rc;
    switch (mode) {
    case 0: { /* a number */
        double v;
        rc = gdn_parse_double(text, "--fuzz", &v, &err);
        check_failure(rc, &err);
        if (rc == GDN_OK) {
            char buf[64];
            if (!isfinite(v))
                abort();
            gdn_format_double(v, buf, sizeof buf);
            if (strtod(buf, NULL) != v)
                abort();
        }
        break;
    }
    case 1: { /* a whole number */
        long v;
        rc = gdn_parse_long(text, "--fuzz", -1000, 1000000, &v, &err);
        check_failure(rc, &err);
        if (rc == GDN_OK && (v < -1000 || v > 1000000))
            abort();
        break;
    }
    case 2: { /* a state of 2n numbers */
        double x[12];
        rc = gdn_parse_state(text, "--init", n, x, &err);
        check_failure(rc, &err);
        if (rc == GDN_OK)
            for (size_t k = 0; k < 2 * n; k++)
                if (!isfinite(x[k]))
                    abort();
        break;
    }
    case 3:   /* a model */
    case 4: { /* a regularizer */
        gdn_term term;
        unsigned char given[GDN_MAX_PARAMS] = {0};
        rc = gdn_spec_term(text, mode == 3 ? gdn_models : gdn_regularizers,
                           mode == 3 ? "model" : "regularizer", &term, given,
                           &err);
        check_failure(rc, &err);
        if (rc == GDN_OK)
            check_term(&term);
        break;
    }
    case 5: { /* a system: model and regularizers */
        gdn_system sys;
        unsigned char mgiven[GDN_MAX_PARAMS] = {0};
        unsigned char rgiven[GDN_MAX_REGS][GDN_MAX_PARAMS];
        memset(rgiven, 0, sizeof rgiven);
        rc = gdn_system_from_specs(&sys, n, piece[0], piece + 1, np - 1,
                                   mgiven, rgiven, &err);
        check_failure(rc, &err);
        if (rc == GDN_OK) {
            gdn_error e2;
            if (gdn_system_check(&sys, &e2) != GDN_OK)
                abort();
            check_term(&sys.model);
            for (size_t k = 0; k < sys.nreg; k++)
                check_term(&sys.reg[k]);
        }
        break;
    }
    default: { /* an optimizer, then the options checked */
        gdn_run_opts opts;
        unsigned char given[GDN_MAX_PARAMS] = {0};
        gdn_run_opts_init(&opts, gdn_opt_find("flow"));
        rc = gdn_spec_opt(text, &opts, given, &err);
        check_failure(rc, &err);
        if (rc == GDN_OK) {
            gdn_error e2;
            e2.msg[0] = '\0';
            check_failure(gdn_run_opts_check(&opts, &e2), &e2);
        }
        break;
    }
    }
    free(text);
    return 0;
}
