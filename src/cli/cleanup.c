/*
 * cleanup.c - temporaries removed when the command is killed, and the
 * final check of standard output.
 *
 * TERM, INT and HUP are blocked in every thread from the start (threads
 * made later, OpenMP's included, inherit the mask) and taken by one thread
 * with sigwait: it runs in an ordinary thread context, so it may take the
 * registry's lock, list a staging directory and remove it; it then kills
 * the process with the same signal (default action), so the exit status
 * reports the signal.  The lock is held while a temporary is made and
 * registered, and during a commit, so a signal never finds one half-made
 * and never splits a commit: it waits (a commit is a few renames).
 *
 * The library keeps no state of its own: it reports its staging
 * directories through the gdn_io_hooks that cli_io_hooks returns, and the
 * commands report the gdn_ofile temporaries they make with cli_ofile_*.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct entry {
    char *path;
    int is_dir;
} entry;

static pthread_mutex_t lock;
static entry *entries;
static size_t nentries, capentries;
static int started;

static void lock_on(void)
{
    if (started)
        pthread_mutex_lock(&lock);
}

static void lock_off(void)
{
    if (started)
        pthread_mutex_unlock(&lock);
}

void cli_hold(int on)
{
    if (on)
        lock_on();
    else
        lock_off();
}

void cli_tmp_add(const char *path, int is_dir)
{
    lock_on();
    if (nentries == capentries) {
        size_t c = capentries ? 2 * capentries : 16;
        entry *p = realloc(entries, c * sizeof *p);
        if (p)
            entries = p, capentries = c;
    }
    char *copy = strdup(path);
    if (nentries < capentries && copy) {
        entries[nentries].path = copy;
        entries[nentries].is_dir = is_dir;
        nentries++;
    } else {
        free(copy); /* out of memory: this one is not removed on a signal */
    }
    lock_off();
}

void cli_tmp_remove(const char *path)
{
    lock_on();
    for (size_t k = nentries; k-- > 0;)
        if (!strcmp(entries[k].path, path)) {
            free(entries[k].path);
            entries[k] = entries[--nentries];
            break;
        }
    lock_off();
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[8192];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static sigset_t fatal_set(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

static void *watcher(void *arg)
{
    (void)arg;
    sigset_t set = fatal_set();
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    pthread_mutex_lock(&lock); /* never released: the process ends here */
    for (size_t k = 0; k < nentries; k++) {
        if (entries[k].is_dir)
            remove_dir(entries[k].path);
        else
            unlink(entries[k].path);
    }
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);
}

void cli_cleanup_init(void)
{
    sigset_t set = fatal_set();
    /* a signal the parent ignores stays ignored (nohup, '&' in a script) */
    struct sigaction old;
    for (int s = 0; s < 3; s++) {
        int sig = s == 0 ? SIGTERM : s == 1 ? SIGINT : SIGHUP;
        if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            sigdelset(&set, sig);
    }
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&lock, &a);
    pthread_mutexattr_destroy(&a);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
        return;
    pthread_t t;
    pthread_attr_t ta;
    pthread_attr_init(&ta);
    pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&ta, 64 * 1024);
    if (pthread_create(&t, &ta, watcher, NULL) != 0)
        pthread_sigmask(SIG_UNBLOCK, &set, NULL); /* plain default action */
    else
        started = 1;
    pthread_attr_destroy(&ta);
}

/* The library's hooks into the registry. */
static void hook_add(void *ctx, const char *path, int is_dir)
{
    (void)ctx;
    cli_tmp_add(path, is_dir);
}

static void hook_remove(void *ctx, const char *path)
{
    (void)ctx;
    cli_tmp_remove(path);
}

static void hook_hold(void *ctx, int on)
{
    (void)ctx;
    cli_hold(on);
}

const gdn_io_hooks *cli_io_hooks(void)
{
    static const gdn_io_hooks h = {NULL, hook_add, hook_remove, hook_hold};
    return &h;
}

gdn_outset *cli_outset_new(void)
{
    gdn_outset *s = gdn_outset_new(cli_io_hooks());
    if (!s) /* exit 2, as for any output that cannot be written */
        cli_error("cannot write the outputs: %s", strerror(ENOMEM));
    return s;
}

int cli_ofile_open(gdn_ofile *f, const char *path, gdn_error *err)
{
    cli_hold(1);
    int rc = gdn_ofile_open(f, path, err);
    if (rc == GDN_OK && f->tmp[0])
        cli_tmp_add(f->tmp, 0);
    cli_hold(0);
    return rc;
}

int cli_ofile_commit(gdn_ofile *f, gdn_error *err)
{
    char tmp[sizeof f->tmp];
    strcpy(tmp, f->tmp);
    cli_hold(1);
    int rc = gdn_ofile_commit(f, err);
    if (tmp[0])
        cli_tmp_remove(tmp);
    cli_hold(0);
    return rc;
}

void cli_ofile_abort(gdn_ofile *f)
{
    char tmp[sizeof f->tmp];
    strcpy(tmp, f->tmp);
    cli_hold(1);
    gdn_ofile_abort(f);
    if (tmp[0])
        cli_tmp_remove(tmp);
    cli_hold(0);
}

void cli_error_as(const char *msg, const char *staged, const char *name)
{
    char buf[2048];
    const char *at = staged && *staged ? strstr(msg, staged) : NULL;
    if (!at) {
        cli_error("%s", msg);
        return;
    }
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - msg), msg, name,
             at + strlen(staged));
    cli_error("%s", buf);
}

int cli_finish_stdout(int code)
{
    int e = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        e = errno ? errno : EIO;
    errno = 0;
    /* a closed stdout that was never written to is no error */
    if (fclose(stdout) != 0 && !e && errno != EBADF)
        e = errno ? errno : EIO;
    if (e && code == GDN_EXIT_OK) {
        cli_error("write error on standard output: %s", strerror(e));
        code = GDN_EXIT_USAGE;
    }
    return code;
}

int cli_flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    cli_error("write error on standard output: %s",
              strerror(errno ? errno : EIO));
    return -1;
}

/* ------------------------------------------------------ fault injection */

#ifdef GANDYN_FAULT_INJECTION
static long fail_at, calls;

static int fault_cb(void *ctx, int op, const char *path)
{
    (void)ctx, (void)path;
    if (++calls != fail_at)
        return 0;
    switch (op) {
    case GDN_IO_WRITE:
    case GDN_IO_FLUSH:
    case GDN_IO_CLOSE: return ENOSPC;
    case GDN_IO_ALLOC: return ENOMEM;
    case GDN_IO_MKDIR: return EACCES;
    default: return EIO;
    }
}

void cli_fault_init(void)
{
    const char *v = getenv("GANDYN_FAIL_AT");
    if (v && *v)
        fail_at = strtol(v, NULL, 10);
    if ((v && *v) || getenv("GANDYN_FAIL_COUNT"))
        gdn_io_fault_set(fault_cb, NULL);
}

long cli_fault_calls(void)
{
    return calls;
}
#endif
