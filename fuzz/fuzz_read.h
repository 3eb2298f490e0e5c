/*
 * fuzz_read.h - the body shared by the reader targets (fuzz_read_csv.c,
 * fuzz_read_json.c, fuzz_read_npy.c): whatever the bytes, gdn_traj_read
 * returns GDN_OK or a negative code with a one-line message, and on
 * success the trajectory is consistent (every cell finite, as the reader
 * promises).
 */
#ifndef GANDYN_FUZZ_READ_H
#define GANDYN_FUZZ_READ_H

#include <math.h>

#include "fuzz_file.h"
#include "gandyn/read.h"
#include "gandyn/traj.h"

static int fuzz_read(const uint8_t *data, size_t size, const char *suffix)
{
    const char *path = fuzz_file_write(data, size, suffix);
    gdn_traj tr;
    gdn_error err;
    char **names = NULL;
    size_t nnames = 0;
    err.msg[0] = '\0';
    int rc = gdn_traj_read(path, &tr, &names, &nnames, &err);
    if (rc != GDN_OK) {
        /* a failure has a message, one line, and leaves nothing behind */
        if (!err.msg[0] || strchr(err.msg, '\n') || names || nnames ||
            tr.count != 0)
            abort();
        return 0;
    }
    if (nnames != tr.ngroups)
        abort();
    if (tr.n < 1 || tr.count > tr.cap)
        abort();
    for (size_t k = 0; k < tr.count; k++)
        if (!isfinite(tr.t[k]))
            abort();
    for (size_t k = 0; k < tr.count * 2 * tr.n; k++)
        if (!isfinite(tr.x[k]))
            abort();
    for (size_t k = 0; k < tr.count * tr.ngroups * 2 * tr.n; k++)
        if (!isfinite(tr.avg[k]))
            abort();
    gdn_names_free(names, nnames);
    gdn_traj_release(&tr);
    return 0;
}

#endif
