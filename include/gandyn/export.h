/*
 * gandyn/export.h - GDN_API marks what the shared libraries export.
 *
 * gandyn is compiled with -fvisibility=hidden: a function or object is
 * exported only when its declaration in a public header carries GDN_API
 * (scripts/gdn-api adds it to every declaration of include/gandyn/).
 * Internal functions (gdn__*) and the vtables of models and methods stay
 * inside the library; programs that test them link libgandyn.a.
 */
#ifndef GANDYN_EXPORT_H
#define GANDYN_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define GDN_API __attribute__((visibility("default")))
#else
#define GDN_API
#endif

#endif
