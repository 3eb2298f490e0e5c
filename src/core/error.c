/* error.c - error codes, names and messages (see gandyn/error.h). */
#include "gandyn/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *gdn_strerror(int code)
{
    switch (code) {
#define GDN_STRERROR_(name, value, text) case value: return text;
        GDN_ERRNO_MAP(GDN_STRERROR_)
#undef GDN_STRERROR_
    default: return "unknown error";
    }
}

const char *gdn_err_name(int code)
{
    switch (code) {
#define GDN_ERRNAME_(name, value, text) case value: return "GDN_" #name;
        GDN_ERRNO_MAP(GDN_ERRNAME_)
#undef GDN_ERRNAME_
    default: return "GDN_UNKNOWN";
    }
}

int gdn_error_set(gdn_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* one line, whatever the quoted token holds: control characters
         * (a newline in a SPEC, a NUL-free binary field) print as '?' */
        for (char *p = err->msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    }
    return code;
}

void gdn_error_clear(gdn_error *err)
{
    if (err) {
        err->code = GDN_OK;
        err->msg[0] = '\0';
    }
}
