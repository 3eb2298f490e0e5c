/*
 * fuzz_sim.c - the simulation object (gandyn/sim.h) on arbitrary settings.
 *
 * The input is cut at '\n' into settings "key=value" ("key" alone: a NULL
 * value); each goes to gdn_sim_set, then the simulation is built.  Whatever
 * the text, every call returns GDN_OK, GDN_EINVAL or GDN_ENOMEM with a
 * one-line message; a built simulation holds what it says (a start of 2n
 * finite numbers within the divergence range, one name per average); a
 * small one is run, and its texts keep the snprintf contract.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const gdn_error *err, const char *what)
{
    if (rc == GDN_OK)
        return;
    if ((rc != GDN_EINVAL && rc != GDN_ENOMEM) || !err->msg[0] ||
        strchr(err->msg, '\n')) {
        fprintf(stderr, "fuzz_sim: %s: rc %d, message '%s'\n", what, rc,
                err->msg);
        abort();
    }
}

static void check_text(const gdn_sim *s,
                       size_t (*fn)(const gdn_sim *, char *, size_t))
{
    size_t len = fn(s, NULL, 0);
    char small[64];
    if (fn(s, small, sizeof small) != len ||
        strlen(small) != (len < sizeof small ? len : sizeof small - 1))
        abort();
    char *full = malloc(len + 1);
    if (!full)
        return;
    if (fn(s, full, len + 1) != len || strlen(full) != len ||
        strncmp(full, small, strlen(small)) != 0)
        abort();
    free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    gdn_error err;
    gdn_sim *s = gdn_sim_new(&err);
    if (!s) {
        free(text);
        return 0;
    }
    for (char *line = text, *next; line; line = next) {
        if ((next = strchr(line, '\n')))
            *next++ = '\0';
        char *eq = strchr(line, '=');
        if (eq)
            *eq = '\0';
        check(gdn_sim_set(s, line, eq ? eq + 1 : NULL, &err), &err, "set");
    }
    int rc = gdn_sim_build(s, &err);
    check(rc, &err, "build");
    if (rc == GDN_OK) {
        size_t n = gdn_sim_dim(s);
        const gdn_run_opts *o = gdn_sim_run_opts(s);
        const double *x0 = gdn_sim_init(s);
        if (n < 1 || !o || !x0 || gdn_sim_system(s)->n != n)
            abort();
        for (size_t i = 0; i < 2 * n; i++)
            if (!isfinite(x0[i]) || !(fabs(x0[i]) <= o->blowup))
                abort();
        for (size_t g = 0; g < gdn_sim_navg(s); g++)
            if (!gdn_sim_avg_names(s)[g] || !gdn_sim_avg_names(s)[g][0])
                abort();
        /* small discrete runs only: the fuzzer's time is for the checks */
        if (!gdn_sim_is_flow(s) && n <= 4 && o->steps <= 2000) {
            rc = gdn_sim_run(s, &err);
            check(rc, &err, "run");
            if (rc == GDN_OK) {
                if (gdn_sim_count(s) < 1)
                    abort();
                check_text(s, gdn_sim_summary);
                check_text(s, gdn_sim_report);
            }
        }
    }
    gdn_sim_free(s);
    free(text);
    return 0;
}
