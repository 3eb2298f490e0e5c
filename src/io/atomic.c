/*
 * atomic.c - files that appear whole or not at all.
 *
 * The temporary name is "<dir>/.gandyn-tmp-XXXXXX" (mkstemp), in the target's
 * own directory so that rename(2) is atomic on POSIX file systems.
 */
#define _POSIX_C_SOURCE 200809L
#include "gandyn/io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gdn_ofile_open(gdn_ofile *f, const char *path, gdn_error *err)
{
    memset(f, 0, sizeof *f);
    size_t len = strlen(path);
    if (len == 0 || len + 32 >= sizeof f->tmp)
        return gdn_error_set(err, GDN_EIO, "cannot write '%s': bad file name",
                             path);
    strcpy(f->path, path);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(f->tmp, sizeof f->tmp, "%.*s.gandyn-tmp-XXXXXX", (int)dirlen,
             path);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return gdn_error_set(err, GDN_EIO,
                             "cannot write '%s': it is a directory", path);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        f->tmp[0] = '\0';
        return gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", path,
                             strerror(e));
    }
    /* mkstemp makes 0600 files; give outputs the usual permissions */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        int e = errno;
        close(fd);
        unlink(f->tmp);
        f->tmp[0] = '\0';
        return gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", path,
                             strerror(e));
    }
    return GDN_OK;
}

int gdn_ofile_commit(gdn_ofile *f, gdn_error *err)
{
    int bad = ferror(f->fp) != 0;
    if (fflush(f->fp) != 0)
        bad = 1;
    int e = errno;
    if (fclose(f->fp) != 0)
        bad = 1, e = errno;
    f->fp = NULL;
    if (!bad && rename(f->tmp, f->path) == 0) {
        f->tmp[0] = '\0';
        return GDN_OK;
    }
    if (!bad)
        e = errno;
    unlink(f->tmp);
    f->tmp[0] = '\0';
    return gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", f->path,
                         strerror(e));
}

void gdn_ofile_abort(gdn_ofile *f)
{
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
    }
    if (f->tmp[0]) {
        unlink(f->tmp);
        f->tmp[0] = '\0';
    }
}
