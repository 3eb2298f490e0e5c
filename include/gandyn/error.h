/*
 * gandyn/error.h - error codes and the error record.
 *
 * Every library call that can fail returns an int: 0 on success, a negative
 * GDN_E* code on failure, and fills a caller-owned gdn_error with a one-line
 * message naming the offending token.  Bad input (GDN_EINVAL) is kept apart
 * from outcomes of a run (GDN_EDIVERGED, GDN_EUNDEFINED, GDN_ESTEP,
 * GDN_EBUDGET, GDN_EOVERFLOW), which are results, not failures of the
 * program.
 */
#ifndef GANDYN_ERROR_H
#define GANDYN_ERROR_H

#include "gandyn/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, description): the one list that builds the enum,
 * gdn_strerror and gdn_err_name. */
#define GDN_ERRNO_MAP(X)                                                      \
    X(OK, 0, "success")                                                       \
    X(EINVAL, -1, "invalid argument")                                         \
    X(ENOMEM, -2, "out of memory")                                            \
    X(EIO, -3, "input/output error")                                          \
    X(EUNDEFINED, -10, "vector field undefined at this point")                \
    X(EDIVERGED, -11, "run diverged (left the finite range)")                 \
    X(ESTEP, -12, "step size underflow")                                      \
    X(EBUDGET, -13, "step budget exhausted")                                  \
    X(EOVERFLOW, -14, "the first step left the finite range")

typedef enum gdn_errno {
#define GDN_ERRNO_ENUM_(name, value, text) GDN_##name = (value),
    GDN_ERRNO_MAP(GDN_ERRNO_ENUM_)
#undef GDN_ERRNO_ENUM_
} gdn_errno;

/* Positive return of gdn_run_next: the run has produced its last sample. */
#define GDN_DONE 1

/* Longest message kept, terminator included. */
#define GDN_ERRMSG_MAX 256

/* A caller-owned error record. */
typedef struct gdn_error {
    int code;                  /* a gdn_errno value; GDN_OK when none */
    char msg[GDN_ERRMSG_MAX];  /* one line, no trailing newline, may be "" */
} gdn_error;

/* Static description of a code ("invalid argument"); never NULL. */
GDN_API const char *gdn_strerror(int code);
/* Symbolic name of a code ("GDN_EINVAL"); never NULL. */
GDN_API const char *gdn_err_name(int code);

/* Sets err (if not NULL) to code and a printf-style message; returns code. */
GDN_API int gdn_error_set(gdn_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Resets err (if not NULL) to GDN_OK with an empty message. */
GDN_API void gdn_error_clear(gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
