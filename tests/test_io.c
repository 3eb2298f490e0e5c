/*
 * test_io.c - atomic output files, trajectory writers (CSV, NPY, JSON) and
 * the streaming JSON writer (gandyn/io.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "gandyn/error.h"
#include "gandyn/io.h"
#include "gandyn/traj.h"

#define TMPDIR_TAG "io"
#include "tmpdir.h"

/* ------------------------------------------------------------- helpers */

/* Whole content of a file into a malloc'ed buffer; *len its size. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1024, n = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Everything written to a stream (a tmpfile), NUL-terminated. */
static char *stream_text(FILE *fp, size_t *len)
{
    assert_int_equal(fflush(fp), 0);
    long end = ftell(fp);
    assert_true(end >= 0);
    rewind(fp);
    char *buf = malloc((size_t)end + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)end, fp), (size_t)end);
    buf[end] = '\0';
    *len = (size_t)end;
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* --------------------------------------------------------- gdn_ofile */

static void test_ofile_commit(void **state)
{
    fixture *fx = *state;
    char path[512], listing[2048], prefix[64];
    snprintf(path, sizeof path, "%s/out.csv", fx->dir);
    gdn_ofile f;
    gdn_error err;
    gdn_error_clear(&err);
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    assert_non_null(f.fp);
    assert_string_equal(f.path, path);
    /* only the temporary file exists, in the same directory */
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    snprintf(prefix, sizeof prefix, ".gandyn-tmp-");
    if (strncmp(listing, prefix, strlen(prefix)) != 0) {
        print_error("directory holds '%s', expected '%s*'\n", listing, prefix);
        fail();
    }
    assert_int_equal(access(path, F_OK), -1);
    fputs("hello\n", f.fp);
    /* still not there before the commit */
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_OK);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_string_equal(listing, "out.csv");
    size_t len;
    char *text = slurp(path, &len);
    assert_non_null(text);
    assert_string_equal(text, "hello\n");
    free(text);
    /* abort after a commit does nothing */
    gdn_ofile_abort(&f);
    assert_int_equal(access(path, F_OK), 0);
}

static void test_ofile_mode(void **state)
{
    fixture *fx = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/m.json", fx->dir);
    mode_t old = umask(022);
    gdn_ofile f;
    gdn_error err;
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    fputs("{}\n", f.fp);
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_OK);
    umask(old);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

static void test_ofile_replaces(void **state)
{
    fixture *fx = *state;
    char path[512], listing[2048];
    snprintf(path, sizeof path, "%s/r.csv", fx->dir);
    write_text(path, "old content\n");
    gdn_ofile f;
    gdn_error err;
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    fputs("new\n", f.fp);
    /* the old file is intact until the commit */
    size_t len;
    char *text = slurp(path, &len);
    assert_string_equal(text, "old content\n");
    free(text);
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_OK);
    text = slurp(path, &len);
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
}

static void test_ofile_abort(void **state)
{
    fixture *fx = *state;
    char path[512], listing[2048];
    snprintf(path, sizeof path, "%s/a.npy", fx->dir);
    gdn_ofile f;
    gdn_error err;
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    fputs("partial", f.fp);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    gdn_ofile_abort(&f);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 0);
    assert_null(f.fp);
    /* twice is harmless */
    gdn_ofile_abort(&f);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 0);
    /* on a file never opened */
    gdn_ofile never;
    memset(&never, 0, sizeof never);
    gdn_ofile_abort(&never);
    /* an existing target survives an abort */
    write_text(path, "keep\n");
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    fputs("replacement", f.fp);
    gdn_ofile_abort(&f);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_string_equal(listing, "a.npy");
    size_t len;
    char *text = slurp(path, &len);
    assert_string_equal(text, "keep\n");
    free(text);
}

static void test_ofile_open_failures(void **state)
{
    fixture *fx = *state;
    char path[512], listing[2048];
    gdn_ofile f;
    gdn_error err;

    /* nonexistent directory */
    snprintf(path, sizeof path, "%s/nope/x.csv", fx->dir);
    gdn_error_clear(&err);
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_EIO);
    assert_int_equal(err.code, GDN_EIO);
    assert_null(f.fp);
    char quoted[600];
    snprintf(quoted, sizeof quoted, "'%s'", path);
    if (!strstr(err.msg, quoted)) {
        print_error("message '%s' does not name %s\n", err.msg, quoted);
        fail();
    }
    assert_non_null(strstr(err.msg, "cannot write"));
    assert_null(strchr(err.msg, '\n'));
    gdn_ofile_abort(&f); /* safe after a failed open */
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 0);

    /* a directory as the target */
    snprintf(path, sizeof path, "%s/sub.csv", fx->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_EIO);
    snprintf(quoted, sizeof quoted, "'%s'", path);
    assert_non_null(strstr(err.msg, quoted));
    gdn_ofile_abort(&f);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_string_equal(listing, "sub.csv");
    assert_int_equal(list_dir(path, listing, sizeof listing), 0);

    /* a regular file where a directory should be */
    char file[512];
    snprintf(file, sizeof file, "%s/plain", fx->dir);
    write_text(file, "x");
    snprintf(path, sizeof path, "%s/plain/x.csv", fx->dir);
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_EIO);
    assert_non_null(strstr(err.msg, path));
    gdn_ofile_abort(&f);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 2);
    assert_string_equal(listing, "plain|sub.csv");

    /* empty name */
    assert_int_equal(gdn_ofile_open(&f, "", &err), GDN_EIO);
    assert_int_equal(err.code, GDN_EIO);
    gdn_ofile_abort(&f);
}

static void test_ofile_commit_failure(void **state)
{
    fixture *fx = *state;
    char path[512], listing[2048], inner[600];
    snprintf(path, sizeof path, "%s/late.csv", fx->dir);
    gdn_ofile f;
    gdn_error err;
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    fputs("data\n", f.fp);
    /* the target becomes a non-empty directory before the commit */
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(inner, sizeof inner, "%s/inside", path);
    write_text(inner, "x");
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_EIO);
    assert_int_equal(err.code, GDN_EIO);
    assert_non_null(strstr(err.msg, path));
    /* the temporary file is gone */
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_string_equal(listing, "late.csv");
    gdn_ofile_abort(&f);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
}

static void test_ofile_relative(void **state)
{
    fixture *fx = *state;
    char cwd[1024], listing[2048];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(fx->dir), 0);
    gdn_ofile f;
    gdn_error err;
    int rc = gdn_ofile_open(&f, "rel.json", &err);
    int n = (int)list_dir(".", listing, sizeof listing);
    int prefix_ok = strncmp(listing, ".gandyn-tmp-", 12) == 0;
    int rc2 = rc == GDN_OK ? gdn_ofile_commit(&f, &err) : rc;
    int n2 = (int)list_dir(".", listing, sizeof listing);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, GDN_OK);
    assert_int_equal(n, 1);
    assert_true(prefix_ok);
    assert_int_equal(rc2, GDN_OK);
    assert_int_equal(n2, 1);
    assert_string_equal(listing, "rel.json");
}


/* --------------------------------------------------------- gdn_outset */

typedef struct hook_log {
    int adds, removes, holds, depth, maxdepth;
    char last[4096];
} hook_log;

static void log_add(void *ctx, const char *path, int is_dir)
{
    hook_log *l = ctx;
    assert_int_equal(is_dir, 1);
    assert_true(l->depth > 0); /* made inside a hold */
    l->adds++;
    snprintf(l->last, sizeof l->last, "%s", path);
}

static void log_remove(void *ctx, const char *path)
{
    hook_log *l = ctx;
    (void)path;
    l->removes++;
}

static void log_hold(void *ctx, int on)
{
    hook_log *l = ctx;
    l->depth += on ? 1 : -1;
    assert_true(l->depth >= 0);
    if (l->depth > l->maxdepth)
        l->maxdepth = l->depth;
    l->holds += on;
}

static void expect_text(const char *path, const char *text)
{
    size_t len;
    char *got = slurp(path, &len);
    if (!got || strcmp(got, text) != 0) {
        print_error("'%s' holds '%s', expected '%s'\n", path,
                    got ? got : "(nothing)", text);
        free(got);
        fail();
    }
    free(got);
}

static void test_outset_commit(void **state)
{
    fixture *fx = *state;
    char a[512], b[512], sub[512], c[512], listing[2048];
    snprintf(a, sizeof a, "%s/a.csv", fx->dir);
    snprintf(b, sizeof b, "%s/b.json", fx->dir);
    snprintf(sub, sizeof sub, "%s/sub", fx->dir);
    snprintf(c, sizeof c, "%s/sub/c.png", fx->dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    hook_log log = {0};
    gdn_io_hooks h = {&log, log_add, log_remove, log_hold};
    gdn_outset *s = gdn_outset_new(&h);
    assert_non_null(s);
    gdn_error err;
    int ka = gdn_outset_add(s, a, "--out", &err);
    int kb = gdn_outset_add(s, b, "--summary", &err);
    int kc = gdn_outset_add(s, c, "--plot", &err);
    assert_int_equal(ka, 0);
    assert_int_equal(kb, 1);
    assert_int_equal(kc, 2);
    /* one staging directory per target directory, registered */
    assert_int_equal(log.adds, 2);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 2);
    assert_int_equal(strncmp(listing, ".gandyn-tmp-", 12), 0);
    assert_non_null(strstr(listing, "|sub"));
    /* the staged name keeps the extension (figure writers go by it) */
    const char *pc = gdn_outset_path(s, kc);
    assert_int_equal(strcmp(pc + strlen(pc) - 4, ".png"), 0);
    assert_non_null(strstr(pc, "/sub/.gandyn-tmp-"));
    assert_string_equal(gdn_outset_name(s, kb), b);
    FILE *fa = gdn_outset_fp(s, ka, &err), *fb = gdn_outset_fp(s, kb, &err);
    assert_non_null(fa);
    assert_ptr_equal(gdn_outset_fp(s, ka, &err), fa); /* opened once */
    fputs("A\n", fa);
    fputs("B\n", fb);
    write_text(pc, "C\n"); /* a writer that takes a path */
    assert_int_equal(access(a, F_OK), -1);
    assert_int_equal(access(c, F_OK), -1);
    assert_int_equal(gdn_outset_commit(s, &err), GDN_OK);
    expect_text(a, "A\n");
    expect_text(b, "B\n");
    expect_text(c, "C\n");
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 3);
    assert_string_equal(listing, "a.csv|b.json|sub");
    assert_int_equal(list_dir(sub, listing, sizeof listing), 1);
    assert_string_equal(listing, "c.png");
    assert_int_equal(log.removes, 2);
    assert_int_equal(log.depth, 0);
    assert_true(log.holds >= 3); /* two creations and the commit */
    gdn_outset_free(s);
    expect_text(a, "A\n");
}

static void test_outset_abort(void **state)
{
    fixture *fx = *state;
    char a[512], b[512], listing[2048];
    snprintf(a, sizeof a, "%s/a.csv", fx->dir);
    snprintf(b, sizeof b, "%s/b.csv", fx->dir);
    write_text(a, "old\n");
    gdn_outset *s = gdn_outset_new(NULL);
    gdn_error err;
    int ka = gdn_outset_add(s, a, "--out", &err);
    int kb = gdn_outset_add(s, b, "--summary", &err);
    assert_true(ka >= 0 && kb >= 0);
    fputs("new\n", gdn_outset_fp(s, ka, &err));
    fputs("partial", gdn_outset_fp(s, kb, &err));
    gdn_outset_free(s); /* never committed: aborts */
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_string_equal(listing, "a.csv");
    expect_text(a, "old\n");
}

static void test_outset_duplicates(void **state)
{
    fixture *fx = *state;
    char a[512], dot[512], viadir[512], lnk[512], hard[512], listing[2048];
    snprintf(a, sizeof a, "%s/x.csv", fx->dir);
    snprintf(dot, sizeof dot, "%s/./x.csv", fx->dir);
    snprintf(viadir, sizeof viadir, "%s/d/../x.csv", fx->dir);
    snprintf(lnk, sizeof lnk, "%s/l.csv", fx->dir);
    snprintf(hard, sizeof hard, "%s/h.csv", fx->dir);
    char d[512];
    snprintf(d, sizeof d, "%s/d", fx->dir);
    assert_int_equal(mkdir(d, 0755), 0);
    assert_int_equal(symlink("x.csv", lnk), 0);
    gdn_outset *s = gdn_outset_new(NULL);
    gdn_error err;
    assert_int_equal(gdn_outset_add(s, a, "--out", &err), 0);
    const char *same[] = {a, dot, viadir, lnk};
    for (size_t k = 0; k < 4; k++) {
        gdn_error_clear(&err);
        assert_int_equal(gdn_outset_add(s, same[k], "--summary", &err),
                         GDN_EINVAL);
        /* one line naming both options and both spellings */
        assert_non_null(strstr(err.msg, "--summary"));
        assert_non_null(strstr(err.msg, "--out"));
        assert_non_null(strstr(err.msg, same[k]));
        assert_non_null(strstr(err.msg, "the same file"));
        assert_null(strchr(err.msg, '\n'));
    }
    gdn_outset_free(s);
    /* a hard link to an existing file is the same file too */
    write_text(a, "x");
    assert_int_equal(link(a, hard), 0);
    s = gdn_outset_new(NULL);
    assert_int_equal(gdn_outset_add(s, hard, "--plot", &err), 0);
    assert_int_equal(gdn_outset_add(s, a, "--json", &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "--plot"));
    gdn_outset_free(s);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 4);
    assert_string_equal(listing, "d|h.csv|l.csv|x.csv");
}

static void test_outset_commit_failure(void **state)
{
    fixture *fx = *state;
    char a[512], b[512], c[512], inner[600], listing[2048];
    snprintf(a, sizeof a, "%s/a.csv", fx->dir);
    snprintf(b, sizeof b, "%s/b.csv", fx->dir);
    snprintf(c, sizeof c, "%s/c.csv", fx->dir);
    write_text(a, "old a\n");
    gdn_outset *s = gdn_outset_new(NULL);
    gdn_error err;
    int ka = gdn_outset_add(s, a, "--out", &err);
    int kb = gdn_outset_add(s, b, "--summary", &err);
    int kc = gdn_outset_add(s, c, "--plot", &err);
    fputs("new a\n", gdn_outset_fp(s, ka, &err));
    fputs("new b\n", gdn_outset_fp(s, kb, &err));
    fputs("new c\n", gdn_outset_fp(s, kc, &err));
    /* the last target becomes a non-empty directory before the commit */
    assert_int_equal(mkdir(c, 0700), 0);
    snprintf(inner, sizeof inner, "%s/inside", c);
    write_text(inner, "x");
    assert_int_equal(gdn_outset_commit(s, &err), GDN_EIO);
    assert_non_null(strstr(err.msg, c));
    /* a.csv is back to its old content, b.csv (new) is gone */
    expect_text(a, "old a\n");
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 2);
    assert_string_equal(listing, "a.csv|c.csv");
    gdn_outset_free(s);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 2);
}

static void test_outset_links_and_devices(void **state)
{
    fixture *fx = *state;
    char real[512], lnk[512], dnull[512], dfull[512], listing[2048];
    snprintf(real, sizeof real, "%s/real.csv", fx->dir);
    snprintf(lnk, sizeof lnk, "%s/link.csv", fx->dir);
    snprintf(dnull, sizeof dnull, "%s/null.csv", fx->dir);
    snprintf(dfull, sizeof dfull, "%s/full.csv", fx->dir);
    write_text(real, "old\n");
    assert_int_equal(symlink("real.csv", lnk), 0);
    assert_int_equal(symlink("/dev/null", dnull), 0);
    gdn_outset *s = gdn_outset_new(NULL);
    gdn_error err;
    int kl = gdn_outset_add(s, lnk, "--out", &err);
    int kn = gdn_outset_add(s, dnull, "--summary", &err);
    assert_true(kl >= 0 && kn >= 0);
    /* a device is written in place, through the name as given */
    assert_string_equal(gdn_outset_path(s, kn), dnull);
    fputs("new\n", gdn_outset_fp(s, kl, &err));
    fputs("discarded\n", gdn_outset_fp(s, kn, &err));
    assert_int_equal(gdn_outset_commit(s, &err), GDN_OK);
    gdn_outset_free(s);
    /* the links are links still; the regular target has the new text */
    struct stat st;
    assert_int_equal(lstat(lnk, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(dnull, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    expect_text(real, "new\n");
    /* a full device: the commit names the file and the errno text */
    if (access("/dev/full", W_OK) == 0) {
        assert_int_equal(symlink("/dev/full", dfull), 0);
        s = gdn_outset_new(NULL);
        int kf = gdn_outset_add(s, dfull, "--out", &err);
        int kr = gdn_outset_add(s, real, "--summary", &err);
        fputs("lost\n", gdn_outset_fp(s, kf, &err));
        fputs("not committed\n", gdn_outset_fp(s, kr, &err));
        assert_int_equal(gdn_outset_commit(s, &err), GDN_EIO);
        assert_non_null(strstr(err.msg, dfull));
        assert_non_null(strstr(err.msg, strerror(ENOSPC)));
        gdn_outset_free(s);
        expect_text(real, "new\n");
    }
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing),
                     access("/dev/full", W_OK) == 0 ? 4 : 3);
}

static void test_outset_directory(void **state)
{
    fixture *fx = *state;
    char dir[512], f[600], listing[2048];
    snprintf(dir, sizeof dir, "%s/report", fx->dir);
    mode_t old = umask(022);
    gdn_error err;
    /* a new directory appears whole at the commit */
    gdn_outset *s = gdn_outset_new(NULL);
    int d = gdn_outset_add_dir(s, dir, "--out", &err);
    assert_true(d >= 0);
    int k1 = gdn_outset_add_in(s, d, "one.txt", &err);
    int k2 = gdn_outset_add_in(s, d, "two.png", &err);
    assert_true(k1 >= 0 && k2 >= 0);
    fputs("1\n", gdn_outset_fp(s, k1, &err));
    write_text(gdn_outset_path(s, k2), "2\n");
    assert_int_equal(access(dir, F_OK), -1);
    assert_int_equal(gdn_outset_commit(s, &err), GDN_OK);
    gdn_outset_free(s);
    assert_int_equal(list_dir(dir, listing, sizeof listing), 2);
    assert_string_equal(listing, "one.txt|two.png");
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    /* an existing one: files replaced one by one, others kept */
    snprintf(f, sizeof f, "%s/mine.txt", dir);
    write_text(f, "mine\n");
    s = gdn_outset_new(NULL);
    d = gdn_outset_add_dir(s, dir, "--out", &err);
    k1 = gdn_outset_add_in(s, d, "one.txt", &err);
    fputs("1 again\n", gdn_outset_fp(s, k1, &err));
    assert_int_equal(gdn_outset_commit(s, &err), GDN_OK);
    gdn_outset_free(s);
    assert_int_equal(list_dir(dir, listing, sizeof listing), 3);
    snprintf(f, sizeof f, "%s/one.txt", dir);
    expect_text(f, "1 again\n");
    /* a failure leaves no directory at all */
    char dir2[512];
    snprintf(dir2, sizeof dir2, "%s/report2", fx->dir);
    s = gdn_outset_new(NULL);
    d = gdn_outset_add_dir(s, dir2, "--out", &err);
    k1 = gdn_outset_add_in(s, d, "one.txt", &err);
    fputs("1\n", gdn_outset_fp(s, k1, &err));
    gdn_outset_abort(s);
    gdn_outset_free(s);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_string_equal(listing, "report");
    /* the directory appears (not empty) before the commit: refused,
     * named, nothing of ours left */
    s = gdn_outset_new(NULL);
    d = gdn_outset_add_dir(s, dir2, "--out", &err);
    k1 = gdn_outset_add_in(s, d, "one.txt", &err);
    fputs("1\n", gdn_outset_fp(s, k1, &err));
    assert_int_equal(mkdir(dir2, 0755), 0);
    snprintf(f, sizeof f, "%s/theirs", dir2);
    write_text(f, "theirs\n");
    assert_int_equal(gdn_outset_commit(s, &err), GDN_EIO);
    assert_non_null(strstr(err.msg, dir2));
    gdn_outset_free(s);
    assert_int_equal(list_dir(dir2, listing, sizeof listing), 1);
    assert_string_equal(listing, "theirs");
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 2);
    assert_string_equal(listing, "report|report2");
    /* a file where the directory should be */
    snprintf(f, sizeof f, "%s/afile", fx->dir);
    write_text(f, "x");
    s = gdn_outset_new(NULL);
    assert_true(gdn_outset_add_dir(s, f, "--out", &err) < 0);
    assert_non_null(strstr(err.msg, "not a directory"));
    gdn_outset_free(s);
    umask(old);
}

static void test_ofile_in_place(void **state)
{
    fixture *fx = *state;
    char dnull[512], real[512], lnk[512], listing[2048];
    snprintf(dnull, sizeof dnull, "%s/null.png", fx->dir);
    snprintf(real, sizeof real, "%s/real.png", fx->dir);
    snprintf(lnk, sizeof lnk, "%s/link.png", fx->dir);
    assert_int_equal(symlink("/dev/null", dnull), 0);
    gdn_ofile f;
    gdn_error err;
    assert_int_equal(gdn_ofile_open(&f, dnull, &err), GDN_OK);
    assert_int_equal(f.inplace, 1);
    fputs("gone", f.fp);
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 1);
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_OK);
    struct stat st;
    assert_int_equal(lstat(dnull, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    /* a link to a regular file: the target is replaced, the link kept */
    write_text(real, "old");
    assert_int_equal(symlink("real.png", lnk), 0);
    assert_int_equal(gdn_ofile_open(&f, lnk, &err), GDN_OK);
    assert_int_equal(f.inplace, 0);
    fputs("new", f.fp);
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_OK);
    assert_int_equal(lstat(lnk, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    expect_text(real, "new");
    assert_int_equal(list_dir(fx->dir, listing, sizeof listing), 3);
}

/* ---------------------------------------------------- gdn_format_of_path */

static void test_format_of_path(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int fmt;
    } good[] = {{"a.csv", GDN_FMT_CSV},       {"dir/a.json", GDN_FMT_JSON},
                {"a.npy", GDN_FMT_NPY},       {"a.b.npy", GDN_FMT_NPY},
                {"x.y/z.csv", GDN_FMT_CSV},   {"/abs/p/run.json", GDN_FMT_JSON},
                {"./rel.npy", GDN_FMT_NPY}};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        int fmt = -1;
        gdn_error err;
        gdn_error_clear(&err);
        assert_int_equal(gdn_format_of_path(good[k].path, &fmt, &err), GDN_OK);
        assert_int_equal(fmt, good[k].fmt);
    }
    static const char *const bad[] = {"a.txt", "a",        "a.CSV", "dir.csv/a",
                                      "",      "a.csv.gz", "a.csv/", "a.",
                                      "a.js",  "a.npyx",   "csv"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int fmt = -1;
        gdn_error err;
        gdn_error_clear(&err);
        int rc = gdn_format_of_path(bad[k], &fmt, &err);
        if (rc != GDN_EINVAL) {
            print_error("'%s' accepted as format %d\n", bad[k], fmt);
            fail();
        }
        assert_int_equal(err.code, GDN_EINVAL);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[k]);
        assert_non_null(strstr(err.msg, quoted));
        assert_non_null(strstr(err.msg, ".csv"));
        assert_non_null(strstr(err.msg, ".json"));
        assert_non_null(strstr(err.msg, ".npy"));
        assert_null(strchr(err.msg, '\n'));
    }
}

/* ------------------------------------------------------ trajectories */

/* n = 1, one EMA group "ema", three samples:
 *     t      phi1     theta1   ema_phi1  ema_theta1
 *     0      0.5      0.25     0.75      -0.5
 *     0.5    -0.125   1        0.25      2
 *     1      0.1      -0       1e-310    -1.5e300 (subnormal, -0, 17 digits)
 */
static double tr_t[3] = {0.0, 0.5, 1.0};
static double tr_x[6] = {0.5, 0.25, -0.125, 1.0, 0.1, -0.0};
static double tr_avg[6] = {0.75, -0.5, 0.25, 2.0, 1e-310, -1.5e300};
static const char *const tr_groups[1] = {"ema"};

static gdn_traj make_traj(int discrete)
{
    gdn_traj tr;
    memset(&tr, 0, sizeof tr);
    tr.n = 1;
    tr.ngroups = 1;
    tr.discrete = discrete;
    tr.count = 3;
    tr.cap = 3;
    tr.t = tr_t;
    tr.x = tr_x;
    tr.avg = tr_avg;
    return tr;
}

/* What gdn_traj_write(tr, fmt) writes to a stream (it must succeed),
 * NUL-terminated; *len its size. */
static char *traj_output(const gdn_traj *tr, int fmt, size_t *len)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    gdn_error err;
    assert_int_equal(gdn_traj_write(tr, tr_groups, fmt, fp, &err), GDN_OK);
    char *text = stream_text(fp, len);
    fclose(fp);
    return text;
}

static void test_traj_columns(void **state)
{
    (void)state;
    gdn_traj tr = make_traj(0);
    assert_int_equal(gdn_traj_ncols(&tr), 5);
    static const char *const want[5] = {"t", "phi1", "theta1", "ema_phi1",
                                        "ema_theta1"};
    char buf[GDN_COLNAME_MAX];
    for (size_t c = 0; c < 5; c++) {
        gdn_traj_colname(&tr, tr_groups, c, buf);
        assert_string_equal(buf, want[c]);
    }
    tr.discrete = 1;
    gdn_traj_colname(&tr, tr_groups, 0, buf);
    assert_string_equal(buf, "step");

    /* n = 2 with two groups */
    gdn_traj t2;
    memset(&t2, 0, sizeof t2);
    t2.n = 2;
    t2.ngroups = 2;
    static const char *const g2[2] = {"ema0.9", "uniform"};
    assert_int_equal(gdn_traj_ncols(&t2), 13);
    static const char *const want2[13] = {
        "t",            "phi1",         "phi2",         "theta1",
        "theta2",       "ema0.9_phi1",  "ema0.9_phi2",  "ema0.9_theta1",
        "ema0.9_theta2", "uniform_phi1", "uniform_phi2", "uniform_theta1",
        "uniform_theta2"};
    for (size_t c = 0; c < 13; c++) {
        gdn_traj_colname(&t2, g2, c, buf);
        assert_string_equal(buf, want2[c]);
    }
    /* no groups */
    t2.ngroups = 0;
    assert_int_equal(gdn_traj_ncols(&t2), 5);
}

static void test_traj_csv(void **state)
{
    (void)state;
    gdn_traj tr = make_traj(0);
    size_t len;
    char *text = traj_output(&tr, GDN_FMT_CSV, &len);
    assert_string_equal(text,
                        "t,phi1,theta1,ema_phi1,ema_theta1\n"
                        "0,0.5,0.25,0.75,-0.5\n"
                        "0.5,-0.125,1,0.25,2\n"
                        "1,0.10000000000000001,-0,"
                        "9.9999999999999694e-311,-1.5000000000000001e+300\n");
    free(text);

    /* every number reads back to the same double */
    double want[15];
    for (size_t k = 0; k < 3; k++) {
        want[5 * k] = tr_t[k];
        want[5 * k + 1] = tr_x[2 * k];
        want[5 * k + 2] = tr_x[2 * k + 1];
        want[5 * k + 3] = tr_avg[2 * k];
        want[5 * k + 4] = tr_avg[2 * k + 1];
    }
    text = traj_output(&tr, GDN_FMT_CSV, &len);
    char *p = strchr(text, '\n') + 1;
    for (size_t k = 0; k < 15; k++) {
        char *end;
        double v = strtod(p, &end);
        assert_memory_equal(&v, &want[k], sizeof v);
        assert_true(*end == (k % 5 == 4 ? '\n' : ','));
        p = end + 1;
    }
    assert_true(*p == '\0');
    free(text);
}

static void test_traj_csv_discrete(void **state)
{
    (void)state;
    static double steps[3] = {0.0, 10.0, 20.0};
    gdn_traj tr = make_traj(1);
    tr.t = steps;
    tr.count = 2;
    size_t len;
    char *text = traj_output(&tr, GDN_FMT_CSV, &len);
    assert_string_equal(text, "step,phi1,theta1,ema_phi1,ema_theta1\n"
                              "0,0.5,0.25,0.75,-0.5\n"
                              "10,-0.125,1,0.25,2\n");
    free(text);

    /* no samples: just the header */
    tr.count = 0;
    text = traj_output(&tr, GDN_FMT_CSV, &len);
    assert_string_equal(text, "step,phi1,theta1,ema_phi1,ema_theta1\n");
    free(text);
}

static uint16_t le16(const unsigned char *b)
{
    return (uint16_t)(b[0] | (b[1] << 8));
}

static void test_traj_npy(void **state)
{
    (void)state;
    gdn_traj tr = make_traj(0);
    size_t len;
    char *raw = traj_output(&tr, GDN_FMT_NPY, &len);
    const unsigned char *b = (const unsigned char *)raw;
    assert_true(len > 10);
    static const unsigned char magic[8] = {0x93, 'N', 'U', 'M',
                                           'P',  'Y', 1,   0};
    assert_memory_equal(b, magic, 8);
    size_t hlen = le16(b + 8);
    assert_int_equal((10 + hlen) % 64, 0);
    assert_int_equal(len, 10 + hlen + 3 * 5 * 8);
    /* the header: the dict, spaces, a newline */
    const char *h = raw + 10;
    static const char dict[] =
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 5), }";
    assert_true(hlen >= sizeof dict);
    assert_memory_equal(h, dict, sizeof dict - 1);
    for (size_t i = sizeof dict - 1; i + 1 < hlen; i++)
        if (h[i] != ' ') {
            print_error("header byte %zu is 0x%02x, expected a space\n", i,
                        (unsigned)(unsigned char)h[i]);
            fail();
        }
    assert_int_equal(h[hlen - 1], '\n');
    /* the data: row-major little-endian doubles, bit for bit */
    const unsigned char *d = b + 10 + hlen;
    for (size_t k = 0; k < 3; k++) {
        const double row[5] = {tr_t[k], tr_x[2 * k], tr_x[2 * k + 1],
                               tr_avg[2 * k], tr_avg[2 * k + 1]};
        for (size_t c = 0; c < 5; c++) {
            uint64_t u = 0, w;
            for (int i = 7; i >= 0; i--)
                u = (u << 8) | d[(k * 5 + c) * 8 + (size_t)i];
            memcpy(&w, &row[c], 8);
            if (u != w) {
                print_error("cell (%zu, %zu): 0x%016llx, expected 0x%016llx\n",
                            k, c, (unsigned long long)u,
                            (unsigned long long)w);
                fail();
            }
        }
    }
    free(raw);

    /* a larger shape still pads to 64 and says (count, ncols) */
    static double big_t[1001], big_x[2002], big_avg[2002];
    for (size_t k = 0; k < 1001; k++) {
        big_t[k] = (double)k / 10;
        big_x[2 * k] = big_x[2 * k + 1] = 1.0 / (double)(k + 1);
        big_avg[2 * k] = big_avg[2 * k + 1] = -(double)k;
    }
    gdn_traj big = make_traj(0);
    big.t = big_t, big.x = big_x, big.avg = big_avg;
    big.count = big.cap = 1001;
    raw = traj_output(&big, GDN_FMT_NPY, &len);
    hlen = le16((const unsigned char *)raw + 8);
    assert_int_equal((10 + hlen) % 64, 0);
    assert_int_equal(len, 10 + hlen + 1001 * 5 * 8);
    assert_non_null(strstr(raw + 10, "'shape': (1001, 5)"));
    free(raw);
}

/* Copies s without white space outside JSON strings. */
static void json_compact(const char *s, char *out, size_t size)
{
    size_t n = 0;
    int in_str = 0;
    for (; *s && n + 1 < size; s++) {
        if (in_str) {
            out[n++] = *s;
            if (*s == '\\' && s[1] && n + 1 < size)
                out[n++] = *++s;
            else if (*s == '"')
                in_str = 0;
        } else if (*s == '"') {
            in_str = 1;
            out[n++] = *s;
        } else if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
}

static void test_traj_json(void **state)
{
    (void)state;
    gdn_traj tr = make_traj(0);
    tr.count = 2;
    size_t len;
    char *text = traj_output(&tr, GDN_FMT_JSON, &len);
    char compact[1024];
    json_compact(text, compact, sizeof compact);
    assert_string_equal(compact,
                        "{\"columns\":[\"t\",\"phi1\",\"theta1\",\"ema_phi1\","
                        "\"ema_theta1\"],\"rows\":[[0,0.5,0.25,0.75,-0.5],"
                        "[0.5,-0.125,1,0.25,2]]}");
    assert_true(len > 0 && text[len - 1] == '\n');
    free(text);

    /* discrete: "step" */
    tr.discrete = 1;
    text = traj_output(&tr, GDN_FMT_JSON, &len);
    json_compact(text, compact, sizeof compact);
    assert_non_null(strstr(compact, "\"columns\":[\"step\",\"phi1\""));
    free(text);
}

/* ------------------------------------------------------------- gdn_json */

/* Decodes the JSON string starting at *p (at the opening quote) into out;
 * advances *p past the closing quote.  Fails the test on anything that is
 * not valid JSON (raw control characters, bad escapes). */
static void json_decode_string(const char **p, char *out, size_t size)
{
    const char *s = *p;
    size_t n = 0;
    assert_true(*s == '"');
    s++;
    for (;;) {
        unsigned char c = (unsigned char)*s++;
        assert_true(n + 1 < size);
        if (c == '\0') {
            print_error("unterminated string\n");
            fail();
        }
        if (c == '"')
            break;
        if (c < 0x20) {
            print_error("raw control character 0x%02x inside a JSON string\n",
                        c);
            fail();
        }
        if (c != '\\') {
            out[n++] = (char)c;
            continue;
        }
        c = (unsigned char)*s++;
        switch (c) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            unsigned v = 0;
            for (int i = 0; i < 4; i++) {
                char h = *s++;
                v <<= 4;
                if (h >= '0' && h <= '9')
                    v |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    v |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    v |= (unsigned)(h - 'A' + 10);
                else {
                    print_error("bad \\u escape\n");
                    fail();
                }
            }
            assert_true(v < 0x80); /* only ASCII is expected here */
            out[n++] = (char)v;
            break;
        }
        default:
            print_error("bad escape '\\%c'\n", c);
            fail();
        }
    }
    out[n] = '\0';
    *p = s;
}

static void test_json_escaping(void **state)
{
    (void)state;
    static const char *const strs[] = {
        "plain",
        "quote \" inside",
        "two\nlines",
        "back\\slash",
        "tab\there",
        "cr\rlf\n",
        "ctl\x01\x1f end",
        "\"\"\\\\\n\n",
        "utf-8 \xc3\xa9 and del \x7f",
        "",
    };
    size_t ns = sizeof strs / sizeof strs[0];
    FILE *fp = tmpfile();
    assert_non_null(fp);
    gdn_json j;
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '[');
    for (size_t k = 0; k < ns; k++)
        gdn_json_str(&j, strs[k]);
    gdn_json_end(&j, ']');
    size_t len;
    char *text = stream_text(fp, &len);
    fclose(fp);
    const char *p = text;
    while (*p == ' ' || *p == '\n')
        p++;
    assert_true(*p == '[');
    p++;
    for (size_t k = 0; k < ns; k++) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (k) {
            assert_true(*p == ',');
            p++;
            while (*p == ' ' || *p == '\n')
                p++;
        }
        char dec[128];
        json_decode_string(&p, dec, sizeof dec);
        assert_string_equal(dec, strs[k]);
    }
    while (*p == ' ' || *p == '\n')
        p++;
    assert_true(*p == ']');
    free(text);

    /* keys are escaped the same way */
    fp = tmpfile();
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "k\"e\ny");
    gdn_json_int(&j, 1);
    gdn_json_end(&j, '}');
    text = stream_text(fp, &len);
    fclose(fp);
    p = strchr(text, '"');
    assert_non_null(p);
    char dec[64];
    json_decode_string(&p, dec, sizeof dec);
    assert_string_equal(dec, "k\"e\ny");
    free(text);
}

static void test_json_numbers(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    gdn_json j;
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "nan"), gdn_json_num(&j, NAN);
    gdn_json_key(&j, "inf"), gdn_json_num(&j, INFINITY);
    gdn_json_key(&j, "minf"), gdn_json_num(&j, -INFINITY);
    gdn_json_key(&j, "half"), gdn_json_num(&j, 0.5);
    gdn_json_key(&j, "tenth"), gdn_json_num(&j, 0.1);
    gdn_json_key(&j, "big"), gdn_json_num(&j, -1.5e300);
    const double arr[4] = {1.0, NAN, -INFINITY, 0.25};
    gdn_json_key(&j, "arr"), gdn_json_nums(&j, arr, 4);
    gdn_json_key(&j, "none"), gdn_json_nums(&j, arr, 0);
    gdn_json_key(&j, "i"), gdn_json_int(&j, -7);
    gdn_json_key(&j, "t"), gdn_json_bool(&j, 1);
    gdn_json_key(&j, "f"), gdn_json_bool(&j, 0);
    gdn_json_key(&j, "z"), gdn_json_null(&j);
    gdn_json_end(&j, '}');
    size_t len;
    char *text = stream_text(fp, &len);
    fclose(fp);
    char compact[1024];
    json_compact(text, compact, sizeof compact);
    assert_string_equal(compact,
                        "{\"nan\":null,\"inf\":null,\"minf\":null,"
                        "\"half\":0.5,\"tenth\":0.10000000000000001,"
                        "\"big\":-1.5000000000000001e+300,\"arr\":[1,null,null,0.25],"
                        "\"none\":[],\"i\":-7,\"t\":true,\"f\":false,"
                        "\"z\":null}");
    assert_null(strstr(text, "nan\n"));
    assert_null(strstr(text, "inf,"));
    free(text);
}

static void test_json_nesting(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    gdn_json j;
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "a");
    gdn_json_begin(&j, '[');
    gdn_json_begin(&j, '{');
    gdn_json_end(&j, '}');
    gdn_json_begin(&j, '[');
    gdn_json_end(&j, ']');
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "b");
    gdn_json_str(&j, "c");
    gdn_json_key(&j, "d");
    gdn_json_begin(&j, '[');
    gdn_json_int(&j, 1);
    gdn_json_int(&j, 2);
    gdn_json_end(&j, ']');
    gdn_json_end(&j, '}');
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "e");
    gdn_json_begin(&j, '{');
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "g");
    gdn_json_str(&j, "h");
    gdn_json_end(&j, '}');
    size_t len;
    char *text = stream_text(fp, &len);
    fclose(fp);
    char compact[512];
    json_compact(text, compact, sizeof compact);
    assert_string_equal(compact, "{\"a\":[{},[],{\"b\":\"c\",\"d\":[1,2]}],"
                                 "\"e\":{},\"g\":\"h\"}");
    free(text);

    /* a top-level array of scalars */
    fp = tmpfile();
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '[');
    gdn_json_num(&j, 1.25);
    gdn_json_str(&j, "x");
    gdn_json_null(&j);
    gdn_json_end(&j, ']');
    text = stream_text(fp, &len);
    fclose(fp);
    json_compact(text, compact, sizeof compact);
    assert_string_equal(compact, "[1.25,\"x\",null]");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ofile_commit, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_mode, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_replaces, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_abort, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_open_failures, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_commit_failure, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_relative, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_outset_commit, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_outset_abort, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_outset_duplicates, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_outset_commit_failure, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_outset_links_and_devices,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outset_directory, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_ofile_in_place, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_format_of_path),
        cmocka_unit_test(test_traj_columns),
        cmocka_unit_test(test_traj_csv),
        cmocka_unit_test(test_traj_csv_discrete),
        cmocka_unit_test(test_traj_npy),
        cmocka_unit_test(test_traj_json),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_json_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
