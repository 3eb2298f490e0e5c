/*
 * atomic.c - files that appear whole or not at all, one at a time
 * (gdn_ofile) or as the set of outputs of a command (gdn_outset).
 *
 * A gdn_ofile's temporary is "<dir>/.gandyn-tmp-XXXXXX" (mkstemp), in the
 * target's own directory so that rename(2) is atomic on POSIX file systems.
 * An output set stages its files in private directories of the same name
 * pattern, one per target directory, so that one directory holds
 * everything a killed command has to remove, whoever wrote into it (a
 * figure writer renames its own temporary onto the staged name).
 *
 * Streams are stdio streams over a cookie (fopencookie) that records the
 * first write error, so a full disk is reported with its errno text at the
 * commit whoever wrote, and, in fault-injection builds, asks the fault hook
 * first.
 */
#define _GNU_SOURCE
#include "gandyn/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------ fault injection */

#ifdef GANDYN_FAULT_INJECTION
static gdn_io_fault_fn fault_fn;
static void *fault_ctx;

void gdn_io_fault_set(gdn_io_fault_fn fn, void *ctx)
{
    fault_fn = fn;
    fault_ctx = ctx;
}

static int fault(int op, const char *path)
{
    return fault_fn ? fault_fn(fault_ctx, op, path) : 0;
}
#define FAULT(op, path) fault(op, path)
#else
#define FAULT(op, path) 0
#endif

static void *xmalloc(size_t size)
{
    if (FAULT(GDN_IO_ALLOC, "")) {
        errno = ENOMEM;
        return NULL;
    }
    return malloc(size);
}

static char *xstrdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = xmalloc(len);
    if (p)
        memcpy(p, s, len);
    return p;
}

/* --------------------------------------------------------------- streams */

typedef struct cookie {
    int fd;
    int err;      /* first write error (errno), 0 if none */
    int dropping; /* closed by an abort: its outcome does not matter */
} cookie;

/* A failed write is recorded and the data discarded, but reported to stdio
 * as written: every writer (ours, cairo's, giflib's) then runs to its end
 * the same way, and the commit fails naming the file and the first errno. */
static ssize_t cookie_write(void *c_, const char *buf, size_t size)
{
    cookie *c = c_;
    size_t done = 0;
    if (c->err)
        return (ssize_t)size;
    int e = FAULT(GDN_IO_WRITE, "");
    if (e) {
        c->err = e;
        return (ssize_t)size;
    }
    while (done < size) {
        ssize_t w = write(c->fd, buf + done, size - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            c->err = w < 0 ? errno : EIO;
            break;
        }
        done += (size_t)w;
    }
    return (ssize_t)size;
}

static int cookie_close(void *c_)
{
    cookie *c = c_;
    int e = c->dropping ? 0 : FAULT(GDN_IO_CLOSE, "");
    int r = close(c->fd);
    c->fd = -1;
    if (e) {
        errno = e;
        return -1;
    }
    return r;
}

/* A write stream on fd (closed on failure); *ck receives the cookie. */
static FILE *stream_open(int fd, cookie **ck)
{
    cookie *c = xmalloc(sizeof *c);
    if (!c) {
        close(fd);
        return NULL;
    }
    c->fd = fd, c->err = 0, c->dropping = 0;
    cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
    FILE *fp = fopencookie(c, "w", io);
    if (!fp) {
        int e = errno;
        close(fd);
        free(c);
        errno = e;
        return NULL;
    }
    *ck = c;
    return fp;
}

/* Flushes and closes; 0, or an errno (the first write error first). */
static int stream_finish(FILE *fp, cookie *c)
{
    int e = 0;
    int fe = FAULT(GDN_IO_FLUSH, "");
    if (fe)
        e = fe;
    else if (fflush(fp) != 0)
        e = c->err ? c->err : errno;
    if (!e && ferror(fp))
        e = c->err ? c->err : EIO;
    if (fclose(fp) != 0 && !e)
        e = errno ? errno : EIO;
    if (c->err && !e)
        e = c->err;
    free(c);
    return e;
}

static void stream_drop(FILE *fp, cookie *c)
{
    if (c)
        c->dropping = 1;
    if (fp)
        fclose(fp);
    free(c);
}

/* -------------------------------------------------------- path analysis */

enum { T_NEW, T_REG, T_PLACE, T_FD };

/* A path that names an open descriptor: its number, or -1. */
static int fd_of_path(const char *p)
{
    static const char *const std[] = {"/dev/stdin", "/dev/stdout",
                                      "/dev/stderr"};
    for (int k = 0; k < 3; k++)
        if (!strcmp(p, std[k]))
            return k;
    const char *num = NULL;
    if (!strncmp(p, "/dev/fd/", 8))
        num = p + 8;
    else if (!strncmp(p, "/proc/self/fd/", 14))
        num = p + 14;
    if (!num || !*num)
        return -1;
    long v = 0;
    for (const char *q = num; *q; q++) {
        if (*q < '0' || *q > '9' || v > 100000)
            return -1;
        v = v * 10 + (*q - '0');
    }
    return (int)v;
}

/* Follows path's symbolic links to the file written: T_NEW (nothing
 * there: target to create), T_REG (a regular file), T_PLACE (a FIFO or
 * device: written in place), T_FD (a descriptor, in *fd).  -1 with errno
 * (EISDIR for a directory). */
static int resolve(const char *path, char *target, size_t size, int *fd)
{
    char cur[4096], link[4096];
    if (strlen(path) >= sizeof cur)
        return errno = ENAMETOOLONG, -1;
    strcpy(cur, path);
    for (int hop = 0; hop < 40; hop++) {
        if ((*fd = fd_of_path(cur)) >= 0)
            return snprintf(target, size, "%s", cur), T_FD;
        struct stat st;
        if (lstat(cur, &st) != 0) {
            if (errno != ENOENT)
                return -1;
            if (strlen(cur) >= size)
                return errno = ENAMETOOLONG, -1;
            strcpy(target, cur);
            return T_NEW;
        }
        if (S_ISLNK(st.st_mode)) {
            ssize_t n = readlink(cur, link, sizeof link - 1);
            if (n < 0)
                return -1;
            link[n] = '\0';
            if (link[0] == '/') {
                strcpy(cur, link);
            } else {
                char *slash = strrchr(cur, '/');
                size_t dl = slash ? (size_t)(slash - cur) + 1 : 0;
                if (dl + (size_t)n >= sizeof cur)
                    return errno = ENAMETOOLONG, -1;
                memmove(cur + dl, link, (size_t)n + 1);
            }
            continue;
        }
        if (strlen(cur) >= size)
            return errno = ENAMETOOLONG, -1;
        strcpy(target, cur);
        if (S_ISDIR(st.st_mode))
            return errno = EISDIR, -1;
        return S_ISREG(st.st_mode) ? T_REG : T_PLACE;
    }
    return errno = ELOOP, -1;
}

static int cannot(gdn_error *err, const char *path, int e)
{
    if (e == EISDIR)
        return gdn_error_set(err, GDN_EIO,
                             "cannot write '%s': it is a directory", path);
    return gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", path,
                         strerror(e));
}

static mode_t the_umask(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return mask;
}

static mode_t file_mode(void)
{
    return 0666 & ~the_umask();
}

/* ------------------------------------------------------------ gdn_ofile */

int gdn_ofile_open(gdn_ofile *f, const char *path, gdn_error *err)
{
    memset(f, 0, sizeof *f);
    size_t len = strlen(path);
    if (len == 0 || len + 32 >= sizeof f->tmp)
        return gdn_error_set(err, GDN_EIO, "cannot write '%s': bad file name",
                             path);
    strcpy(f->path, path);
    int fdno = -1, fd, e;
    int kind = resolve(path, f->target, sizeof f->target - 32, &fdno);
    if (kind < 0)
        return cannot(err, path, errno);
    if (kind == T_FD || kind == T_PLACE) {
        if ((e = FAULT(GDN_IO_OPEN, path)) != 0)
            return cannot(err, path, e);
        fd = kind == T_FD ? fcntl(fdno, F_DUPFD_CLOEXEC, 3)
                          : open(f->target, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return cannot(err, path, errno);
        f->inplace = 1;
    } else {
        const char *slash = strrchr(f->target, '/');
        size_t dirlen = slash ? (size_t)(slash - f->target) + 1 : 0;
        snprintf(f->tmp, sizeof f->tmp, "%.*s.gandyn-tmp-XXXXXX", (int)dirlen,
                 f->target);
        if ((e = FAULT(GDN_IO_OPEN, path)) != 0) {
            f->tmp[0] = '\0';
            return cannot(err, path, e);
        }
        fd = mkstemp(f->tmp);
        if (fd < 0) {
            e = errno;
            f->tmp[0] = '\0';
            return cannot(err, path, e);
        }
        /* mkstemp makes 0600 files; give outputs the usual permissions */
        fchmod(fd, file_mode());
    }
    cookie *ck = NULL;
    f->fp = stream_open(fd, &ck);
    if (!f->fp) {
        e = errno;
        if (f->tmp[0])
            unlink(f->tmp);
        f->tmp[0] = '\0';
        return cannot(err, path, e);
    }
    f->priv = ck;
    return GDN_OK;
}

int gdn_ofile_commit(gdn_ofile *f, gdn_error *err)
{
    int e = stream_finish(f->fp, f->priv);
    f->fp = NULL, f->priv = NULL;
    if (!e && !f->inplace) {
        if ((e = FAULT(GDN_IO_RENAME, f->path)) == 0 &&
            rename(f->tmp, f->target) != 0)
            e = errno;
    }
    if (!e) {
        f->tmp[0] = '\0';
        return GDN_OK;
    }
    if (f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = '\0';
    return cannot(err, f->path, e);
}

void gdn_ofile_abort(gdn_ofile *f)
{
    if (f->fp) {
        stream_drop(f->fp, f->priv);
        f->fp = NULL, f->priv = NULL;
    }
    if (f->tmp[0]) {
        unlink(f->tmp);
        f->tmp[0] = '\0';
    }
}

/* ----------------------------------------------------------- gdn_outset */

typedef struct stage {
    char *path;   /* the staging directory */
    char *parent; /* canonical directory it stands in */
    char *final;  /* a directory output: renamed to this; else NULL */
    int moved;    /* renamed to final */
} stage;

typedef struct outent {
    char *given, *opt;
    char *target; /* renamed over at the commit (links resolved) */
    char *stage;  /* written now */
    char *canon;  /* canonical name, for duplicates */
    char *backup; /* hard link to the replaced target during the commit */
    int kind;     /* T_* */
    int fdno;
    int sdir;     /* staging directory, -1 in place */
    int carried;  /* inside a staged directory output: no rename of its own */
    int have_id, done;
    dev_t dev;
    ino_t ino;
    FILE *fp;
    cookie *ck;
} outent;

typedef struct dirout {
    char *given;
    int sdir; /* a new directory: its staging directory; -1: existing */
} dirout;

struct gdn_outset {
    gdn_io_hooks h;
    int has_h;
    outent *e;
    size_t n, cap;
    stage *d;
    size_t nd, capd;
    dirout *dirs;
    size_t ndirs, capdirs;
    int committed;
};

static void hold(gdn_outset *s, int on)
{
    if (s->has_h && s->h.hold)
        s->h.hold(s->h.ctx, on);
}

gdn_outset *gdn_outset_new(const gdn_io_hooks *hooks)
{
    gdn_outset *s = xmalloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    if (hooks)
        s->h = *hooks, s->has_h = 1;
    return s;
}

static int grow(void **p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 8;
    if (FAULT(GDN_IO_ALLOC, ""))
        return errno = ENOMEM, -1;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    memset((char *)q + *cap * elem, 0, (c - *cap) * elem);
    *p = q, *cap = c;
    return 0;
}

/* Splits path into its directory ("." if none) and base name. */
static int split_path(const char *path, char *dir, size_t size,
                      const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, size, ".");
        *base = path;
    } else {
        size_t dl = slash == path ? 1 : (size_t)(slash - path);
        if (dl >= size)
            return errno = ENAMETOOLONG, -1;
        memcpy(dir, path, dl);
        dir[dl] = '\0';
        *base = slash + 1;
    }
    if (!**base)
        return errno = EISDIR, -1;
    return 0;
}

/* The staging directory in canonical directory parent (made if new). */
static int stage_for(gdn_outset *s, const char *parent, const char *final,
                     const char *given, gdn_error *err)
{
    if (!final)
        for (size_t k = 0; k < s->nd; k++)
            if (!s->d[k].final && !strcmp(s->d[k].parent, parent))
                return (int)k;
    if (grow((void **)&s->d, &s->capd, s->nd, sizeof *s->d))
        return cannot(err, given, errno);
    stage *d = &s->d[s->nd];
    size_t len = strlen(parent) + 32;
    d->parent = xstrdup(parent);
    d->path = xmalloc(len);
    d->final = final ? xstrdup(final) : NULL;
    if (!d->parent || !d->path || (final && !d->final)) {
        free(d->parent), free(d->path), free(d->final);
        memset(d, 0, sizeof *d);
        return cannot(err, given, ENOMEM);
    }
    snprintf(d->path, len, "%s/.gandyn-tmp-XXXXXX", parent);
    int e = FAULT(GDN_IO_MKDIR, given);
    hold(s, 1);
    if (e || !mkdtemp(d->path)) {
        if (!e)
            e = errno;
        hold(s, 0);
        free(d->parent), free(d->path), free(d->final);
        memset(d, 0, sizeof *d);
        return cannot(err, given, e);
    }
    if (s->has_h && s->h.tmp_add)
        s->h.tmp_add(s->h.ctx, d->path, 1);
    hold(s, 0);
    if (final) /* becomes the output directory: the usual permissions */
        chmod(d->path, 0777 & ~the_umask());
    return (int)s->nd++;
}

static void free_ent(outent *x)
{
    free(x->given), free(x->opt), free(x->target), free(x->stage);
    free(x->canon), free(x->backup);
}

/* Appends an entry; fills the common fields. */
static int add_entry(gdn_outset *s, const char *path, const char *opt,
                     outent *x, gdn_error *err)
{
    x->given = xstrdup(path);
    x->opt = xstrdup(opt ? opt : "output");
    if (!x->given || !x->opt || !x->target || !x->canon ||
        (x->sdir >= 0 && !x->stage)) {
        free_ent(x);
        return cannot(err, path, ENOMEM);
    }
    /* the same file twice? */
    for (size_t k = 0; k < s->n; k++) {
        const outent *o = &s->e[k];
        if (!strcmp(o->canon, x->canon) ||
            (o->have_id && x->have_id && o->dev == x->dev &&
             o->ino == x->ino)) {
            int rc = gdn_error_set(err, GDN_EINVAL,
                                   "%s '%s': the same file as %s '%s'; give "
                                   "each output its own file",
                                   x->opt, path, o->opt, o->given);
            free_ent(x);
            return rc;
        }
    }
    if (grow((void **)&s->e, &s->cap, s->n, sizeof *s->e)) {
        free_ent(x);
        return cannot(err, path, ENOMEM);
    }
    s->e[s->n] = *x;
    return (int)s->n++;
}

int gdn_outset_add(gdn_outset *s, const char *path, const char *opt,
                   gdn_error *err)
{
    char target[4096], dir[4096], real[PATH_MAX];
    const char *base;
    outent x;
    memset(&x, 0, sizeof x);
    x.sdir = -1, x.fdno = -1;
    if (!path[0])
        return gdn_error_set(err, GDN_EIO, "cannot write '': bad file name");
    x.kind = resolve(path, target, sizeof target, &x.fdno);
    if (x.kind < 0)
        return cannot(err, path, errno);
    struct stat st;
    if (x.kind == T_FD) {
        if (fstat(x.fdno, &st) != 0)
            return cannot(err, path, errno);
        x.have_id = 1, x.dev = st.st_dev, x.ino = st.st_ino;
        size_t len = 32;
        x.canon = xmalloc(len);
        if (x.canon)
            snprintf(x.canon, len, "/dev/fd/%d", x.fdno);
        x.target = xstrdup(target);
        x.stage = xstrdup(path); /* a writer given this name writes in place */
        return add_entry(s, path, opt, &x, err);
    }
    if (stat(target, &st) == 0)
        x.have_id = 1, x.dev = st.st_dev, x.ino = st.st_ino;
    if (split_path(target, dir, sizeof dir, &base))
        return cannot(err, path, errno);
    if (!realpath(dir, real))
        return cannot(err, path, errno);
    x.target = xstrdup(target);
    size_t len = strlen(real) + strlen(base) + 2;
    if ((x.canon = xmalloc(len)) != NULL)
        snprintf(x.canon, len, "%s/%s", real, base);
    if (x.kind == T_NEW || x.kind == T_REG) {
        /* a duplicate is refused before anything is made */
        for (size_t k = 0; x.canon && k < s->n; k++)
            if (!strcmp(s->e[k].canon, x.canon) ||
                (x.have_id && s->e[k].have_id && s->e[k].dev == x.dev &&
                 s->e[k].ino == x.ino))
                return add_entry(s, path, opt, &x, err);
        int d = stage_for(s, real, NULL, path, err);
        if (d < 0) {
            free_ent(&x);
            return d;
        }
        x.sdir = d;
        const char *pbase = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        len = strlen(s->d[d].path) + strlen(pbase) + 32;
        if ((x.stage = xmalloc(len)) != NULL)
            snprintf(x.stage, len, "%s/%zu-%s", s->d[d].path, s->n, pbase);
    } else {
        x.stage = xstrdup(path); /* in place, through the name as given */
    }
    return add_entry(s, path, opt, &x, err);
}

int gdn_outset_add_dir(gdn_outset *s, const char *dir, const char *opt,
                       gdn_error *err)
{
    if (!dir[0])
        return gdn_error_set(err, GDN_EIO, "cannot create '': bad name");
    if (grow((void **)&s->dirs, &s->capdirs, s->ndirs, sizeof *s->dirs))
        return cannot(err, dir, ENOMEM);
    dirout *o = &s->dirs[s->ndirs];
    o->sdir = -1;
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return gdn_error_set(err, GDN_EIO,
                                 "%s '%s': exists and is not a directory",
                                 opt ? opt : "output", dir);
    } else if (errno == ENOENT) {
        char parent[4096], real[PATH_MAX], final[4096 + PATH_MAX];
        const char *base;
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/')
            len--;
        snprintf(final, sizeof final, "%.*s", (int)len, dir);
        if (split_path(final, parent, sizeof parent, &base) ||
            !realpath(parent, real))
            return gdn_error_set(err, GDN_EIO, "cannot create '%s': %s", dir,
                                 strerror(errno));
        int d = stage_for(s, real, final, dir, err);
        if (d < 0)
            return d;
        o->sdir = d;
    } else {
        return gdn_error_set(err, GDN_EIO, "cannot create '%s': %s", dir,
                             strerror(errno));
    }
    if (!(o->given = xstrdup(dir)))
        return cannot(err, dir, ENOMEM);
    return (int)s->ndirs++;
}

int gdn_outset_add_in(gdn_outset *s, int d, const char *name, gdn_error *err)
{
    const dirout *o = &s->dirs[d];
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", o->given, name);
    if (o->sdir < 0)
        return gdn_outset_add(s, path, "--out", err);
    outent x;
    memset(&x, 0, sizeof x);
    x.kind = T_NEW, x.fdno = -1, x.sdir = o->sdir, x.carried = 1;
    size_t len = strlen(s->d[o->sdir].path) + strlen(name) + 2;
    if ((x.stage = xmalloc(len)) != NULL)
        snprintf(x.stage, len, "%s/%s", s->d[o->sdir].path, name);
    x.target = xstrdup(path);
    len = strlen(s->d[o->sdir].final) + strlen(name) + 8;
    if ((x.canon = xmalloc(len)) != NULL)
        snprintf(x.canon, len, "%s//%s", s->d[o->sdir].final, name);
    return add_entry(s, path, "--out", &x, err);
}

const char *gdn_outset_path(const gdn_outset *s, int k)
{
    return s->e[k].stage;
}

const char *gdn_outset_name(const gdn_outset *s, int k)
{
    return s->e[k].given;
}

FILE *gdn_outset_fp(gdn_outset *s, int k, gdn_error *err)
{
    outent *x = &s->e[k];
    if (x->fp)
        return x->fp;
    int e = FAULT(GDN_IO_OPEN, x->given), fd;
    if (e) {
        cannot(err, x->given, e);
        return NULL;
    }
    if (x->kind == T_FD)
        fd = fcntl(x->fdno, F_DUPFD_CLOEXEC, 3);
    else if (x->kind == T_PLACE)
        fd = open(x->target, O_WRONLY | O_CLOEXEC);
    else
        fd = open(x->stage, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 || !(x->fp = stream_open(fd, &x->ck))) {
        cannot(err, x->given, errno);
        return NULL;
    }
    return x->fp;
}

/* Removes a staging directory and everything in it. */
static void remove_stage(gdn_outset *s, stage *d)
{
    if (!d->path)
        return;
    const char *dir = d->moved ? d->final : d->path;
    if (!d->moved) {
        DIR *dp = opendir(dir);
        if (dp) {
            struct dirent *de;
            char p[8192];
            while ((de = readdir(dp)) != NULL) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                    continue;
                snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
                unlink(p);
            }
            closedir(dp);
        }
        rmdir(dir);
    }
    if (s->has_h && s->h.tmp_remove)
        s->h.tmp_remove(s->h.ctx, d->path);
    free(d->path), free(d->parent), free(d->final);
    memset(d, 0, sizeof *d);
}

/* Undoes the renames of a failed commit. */
static void roll_back(gdn_outset *s)
{
    for (size_t k = 0; k < s->nd; k++)
        if (s->d[k].moved && rename(s->d[k].final, s->d[k].path) == 0)
            s->d[k].moved = 0;
    for (size_t k = 0; k < s->n; k++) {
        outent *x = &s->e[k];
        if (!x->done)
            continue;
        if (x->backup)
            rename(x->backup, x->target);
        else
            unlink(x->target);
        x->done = 0;
    }
}

int gdn_outset_commit(gdn_outset *s, gdn_error *err)
{
    int e = 0;
    const char *who = NULL;
    for (size_t k = 0; k < s->n; k++) {
        outent *x = &s->e[k];
        if (!x->fp)
            continue;
        int fe = stream_finish(x->fp, x->ck);
        x->fp = NULL, x->ck = NULL;
        if (fe && !e)
            e = fe, who = x->given;
    }
    if (e) {
        gdn_outset_abort(s);
        return cannot(err, who, e);
    }
    hold(s, 1);
    for (size_t k = 0; k < s->n && !e; k++) {
        outent *x = &s->e[k];
        if (x->sdir < 0 || x->carried)
            continue;
        if (x->kind == T_REG) { /* kept until the whole set is in place */
            size_t len = strlen(s->d[x->sdir].path) + 32;
            if ((x->backup = malloc(len)) != NULL) {
                snprintf(x->backup, len, "%s/old-%zu", s->d[x->sdir].path, k);
                if (link(x->target, x->backup) != 0)
                    free(x->backup), x->backup = NULL;
            }
        }
        if ((e = FAULT(GDN_IO_RENAME, x->given)) == 0 &&
            rename(x->stage, x->target) != 0)
            e = errno;
        if (e)
            who = x->given;
        else
            x->done = 1;
    }
    for (size_t k = 0; k < s->nd && !e; k++) {
        stage *d = &s->d[k];
        if (!d->final)
            continue;
        if ((e = FAULT(GDN_IO_RENAME, d->final)) == 0 &&
            rename(d->path, d->final) != 0)
            e = errno;
        if (e)
            who = d->final;
        else
            d->moved = 1;
    }
    int rc = GDN_OK;
    if (e) {
        roll_back(s);
        rc = cannot(err, who, e); /* before who (a stage's name) is freed */
    } else {
        s->committed = 1;
    }
    hold(s, 0);
    gdn_outset_abort(s); /* the staging directories (and backups) go */
    return rc;
}

void gdn_outset_abort(gdn_outset *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->n; k++) {
        outent *x = &s->e[k];
        if (x->fp)
            stream_drop(x->fp, x->ck);
        x->fp = NULL, x->ck = NULL;
    }
    for (size_t k = 0; k < s->nd; k++)
        remove_stage(s, &s->d[k]);
}

void gdn_outset_free(gdn_outset *s)
{
    if (!s)
        return;
    gdn_outset_abort(s);
    for (size_t k = 0; k < s->n; k++)
        free_ent(&s->e[k]);
    for (size_t k = 0; k < s->ndirs; k++)
        free(s->dirs[k].given);
    free(s->e), free(s->d), free(s->dirs);
    free(s);
}
