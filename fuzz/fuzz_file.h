/*
 * fuzz_file.h - for fuzz targets whose entry point reads a path: the input
 * is written to one temporary file (created on first use, in $TMPDIR or
 * /tmp, with the suffix the reader dispatches on) and removed at exit.
 * Not a target itself (targets are fuzz_*.c).
 */
#ifndef GANDYN_FUZZ_FILE_H
#define GANDYN_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[4096];

static void fuzz_file_remove(void)
{
    if (fuzz_path[0])
        unlink(fuzz_path);
}

/* Writes data to the temporary file ending in suffix (".csv") and returns
 * its path; aborts if the file cannot be written (a broken harness must
 * not look like a clean run). */
static const char *fuzz_file_write(const uint8_t *data, size_t size,
                                   const char *suffix)
{
    if (!fuzz_path[0]) {
        const char *dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
        int n = snprintf(fuzz_path, sizeof fuzz_path,
                         "%s/gandyn-fuzz-XXXXXX%s", dir, suffix);
        if (n < 0 || (size_t)n >= sizeof fuzz_path)
            abort();
        int fd = mkstemps(fuzz_path, (int)strlen(suffix));
        if (fd < 0)
            abort();
        close(fd);
        atexit(fuzz_file_remove);
    }
    FILE *fp = fopen(fuzz_path, "wb");
    if (!fp)
        abort();
    if (size && fwrite(data, 1, size, fp) != size)
        abort();
    if (fclose(fp) != 0)
        abort();
    return fuzz_path;
}

#endif
