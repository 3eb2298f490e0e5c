/*
 * fuzz_manifest.c - libFuzzer target: the sweep manifest and chunk header
 * readers (gandyn/sweepfile.h) on arbitrary bytes.
 *
 * Checks, besides the absence of crashes and undefined behaviour: a text
 * that parses is a manifest whose own text (gdn_manifest_text) parses back
 * to the same entries and compares equal to it; any other manifest (one
 * entry changed) is refused with a one-line message; a chunk header check
 * never accepts a header against a different sweep hash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/sweepfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    gdn_error err;
    gdn_manifest m;
    if (gdn_manifest_parse(buf, size, &m, &err) == GDN_OK) {
        size_t len;
        char *text = gdn_manifest_text(&m, &len);
        if (!text)
            abort();
        if (len != size || memcmp(text, buf, size)) /* one text per manifest */
            abort();
        gdn_manifest back;
        if (gdn_manifest_parse(text, len, &back, &err) ||
            back.count != m.count ||
            gdn_manifest_compare(&back, &m, &err))
            abort();
        /* a manifest with one more entry is another configuration */
        if (gdn_manifest_add(&back, &err, "--fuzz-extra", "%zu", size) ||
            gdn_manifest_check(text, len, &back, &err) != GDN_EINVAL ||
            strchr(err.msg, '\n'))
            abort();
        gdn_manifest_free(&back);
        free(text);
        gdn_manifest_free(&m);
    } else if (strchr(err.msg, '\n') || err.code != GDN_EINVAL) {
        abort();
    }
    /* the bytes as a chunk: a header, then records */
    if (size >= GDN_CHUNK_HEADER) {
        size_t nrec = (size - GDN_CHUNK_HEADER) / sizeof(gdn_sweep_rec);
        gdn_sweep_rec *recs = malloc((nrec ? nrec : 1) * sizeof *recs);
        if (!recs)
            return 0;
        memcpy(recs, data + GDN_CHUNK_HEADER, nrec * sizeof *recs);
        uint64_t hash = 0;
        memcpy(&hash, data + 8, 8);
        int ok = gdn_sweep_chunk_check(data, GDN_CHUNK_HEADER, hash, 0, recs,
                                       nrec, "fuzz", &err) == GDN_OK;
        if (ok && gdn_sweep_chunk_check(data, GDN_CHUNK_HEADER, hash ^ 1, 0,
                                        recs, nrec, "fuzz", &err) == GDN_OK)
            abort();
        /* a header made for the records is accepted */
        unsigned char hdr[GDN_CHUNK_HEADER];
        gdn_sweep_chunk_header(hdr, hash, 3, recs, nrec);
        if (gdn_sweep_chunk_check(hdr, sizeof hdr, hash, 3, recs, nrec,
                                  "fuzz", &err))
            abort();
        free(recs);
    }
    return 0;
}
