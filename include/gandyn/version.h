/*
 * gandyn/version.h - the version of gandyn (the one place it is written:
 * CMakeLists.txt reads it from here for the project, gandyn.pc and the
 * shared libraries).
 */
#ifndef GANDYN_VERSION_H
#define GANDYN_VERSION_H

#include "gandyn/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GDN_VERSION_MAJOR 0
#define GDN_VERSION_MINOR 1
#define GDN_VERSION_PATCH 0

/* "MAJOR.MINOR.PATCH" of the headers in use. */
#define GDN_VERSION_STR_(x) #x
#define GDN_VERSION_STR(x) GDN_VERSION_STR_(x)
#define GDN_VERSION_STRING                                                     \
    GDN_VERSION_STR(GDN_VERSION_MAJOR) "." GDN_VERSION_STR(GDN_VERSION_MINOR) \
    "." GDN_VERSION_STR(GDN_VERSION_PATCH)

/* "MAJOR.MINOR.PATCH" of the library in use (which may differ from the
 * headers' GDN_VERSION_STRING when a program runs against another build of
 * libgandyn.so). */
GDN_API const char *gdn_version(void);

#ifdef __cplusplus
}
#endif
#endif
