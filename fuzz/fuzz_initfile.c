/*
 * fuzz_initfile.c - libFuzzer target: the --init-file reader
 * (gdn_sweep_starts_parse) on arbitrary bytes.
 *
 * The first byte picks the numbers per start (1..8); the rest is the file.
 * Checks, besides the absence of crashes and undefined behaviour: a refusal
 * is one line; an accepted file gives finite starts, and writing them back
 * (%.17g, one start per line) reads back to the same doubles.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/sweepfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t m = (size_t)(data[0] % 8) + 1;
    gdn_error err;
    double *pts = NULL;
    size_t np = 0;
    int rc = gdn_sweep_starts_parse((const char *)data + 1, size - 1, "fuzz",
                                    m, &pts, &np, &err);
    if (rc) {
        if (strchr(err.msg, '\n') || (rc != GDN_EINVAL && rc != GDN_ENOMEM))
            abort();
        return 0;
    }
    if (np == 0)
        abort();
    size_t cap = np * m * 26 + 1, len = 0;
    char *text = malloc(cap);
    if (!text)
        abort();
    for (size_t i = 0; i < np * m; i++) {
        if (!isfinite(pts[i]))
            abort();
        len += (size_t)snprintf(text + len, cap - len, "%.17g%c", pts[i],
                                (i + 1) % m ? ',' : '\n');
    }
    double *back = NULL;
    size_t nb = 0;
    if (gdn_sweep_starts_parse(text, len, "back", m, &back, &nb, &err) ||
        nb != np || memcmp(back, pts, np * m * sizeof *pts))
        abort();
    free(back);
    free(text);
    free(pts);
    return 0;
}
