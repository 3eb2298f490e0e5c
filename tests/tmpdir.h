/*
 * tmpdir.h - the temporary-directory fixture of the cmocka tests that write
 * files: a fresh directory per test ("$TMPDIR/gandyn-test-TAG.XXXXXX",
 * /tmp without TMPDIR), removed with everything in it afterwards, and
 * listings of a directory's entries.
 *
 * Header-only: every tests/test_*.c is its own program.  Define
 * _POSIX_C_SOURCE before the first system header, and TMPDIR_TAG (a string
 * literal) before including this.  The functions are static and marked
 * unused, so a test that does not use one is not warned about it.
 *
 *     #define TMPDIR_TAG "io"
 *     #include "tmpdir.h"
 *     ...
 *     cmocka_unit_test_setup_teardown(test_x, setup_dir, teardown_dir)
 */
#ifndef GANDYN_TESTS_TMPDIR_H
#define GANDYN_TESTS_TMPDIR_H

#ifndef TMPDIR_TAG
#error "define TMPDIR_TAG (the directory's name tag) before tmpdir.h"
#endif

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define TMPDIR_FN __attribute__((unused)) static

/* The state of a test run with setup_dir/teardown_dir. */
typedef struct fixture {
    char dir[256];
} fixture;

/* Removes path and, for a directory, everything below it (made accessible
 * first: tests take permissions away). */
TMPDIR_FN void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char sub[1024];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                rm_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* cmocka setup: a fresh directory in *state (a fixture). */
TMPDIR_FN int setup_dir(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/gandyn-test-" TMPDIR_TAG ".XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* cmocka teardown: the directory removed, the fixture freed. */
TMPDIR_FN int teardown_dir(void **state)
{
    fixture *f = *state;
    rm_tree(f->dir);
    free(f);
    return 0;
}

/* Entries of dir other than . and ..; when tmps is not NULL, *tmps counts
 * the '.gandyn-tmp-*' among them. */
TMPDIR_FN int count_entries(const char *dir, int *tmps)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    if (tmps)
        *tmps = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (tmps && strncmp(e->d_name, ".gandyn-tmp-", 12) == 0)
            (*tmps)++;
    }
    closedir(d);
    return n;
}

TMPDIR_FN int tmpdir_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names in dir (not . and ..; the first 64), sorted, joined with '|' into
 * buf; returns the number of them. */
TMPDIR_FN size_t list_dir(const char *dir, char *buf, size_t size)
{
    char names[64][256];
    const char *ptr[64];
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(names[n], sizeof names[n], "%s", e->d_name);
        ptr[n] = names[n];
        n++;
    }
    closedir(d);
    qsort(ptr, n, sizeof ptr[0], tmpdir_cmp_str);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? "|" : "",
                                 ptr[k]);
    return n;
}

#endif
