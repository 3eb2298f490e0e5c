/*
 * gandyn/param.h - the description of a numeric parameter (of a model
 * term, an optimizer, the flow) and its text: range checks, the accepted
 * range in words, "key=value,..." lists read and written.
 */
#ifndef GANDYN_PARAM_H
#define GANDYN_PARAM_H

#include <math.h>
#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most parameters a term or optimizer has. */
#define GDN_MAX_PARAMS 12

/* Parameter flags. */
enum {
    GDN_PARAM_LO_OPEN = 1u << 0, /* value must be > lo (else >= lo) */
    GDN_PARAM_HI_OPEN = 1u << 1, /* value must be < hi (else <= hi) */
    GDN_PARAM_INT = 1u << 2,     /* value must be a whole number */
    GDN_PARAM_ENUM = 1u << 3     /* value is an index into choices */
};

/* Description of one numeric (or enumerated) parameter.  Its owner (a
 * term, an optimizer, the flow) reads it from a struct of doubles that
 * gdn_params_fill fills: value k goes to offset params[k].offset. */
typedef struct gdn_param {
    const char *key;      /* ASCII name used in SPECs ("lambda") */
    double def;           /* default; NaN means "inherits", see meaning */
    double lo, hi;        /* accepted range (see flags) */
    unsigned flags;       /* GDN_PARAM_* */
    const char *choices;  /* ENUM: "dg|gd"; the value is the index */
    const char *meaning;  /* one line for 'gandyn list' */
    size_t offset;        /* offsetof the double in the owner's struct */
    const char *inherits; /* NULL, or the key of an earlier parameter whose
                             value a NaN takes ("lr" for lr_d, lr_g) */
} gdn_param;

/* A table entry: key, default, range, flags, choices, meaning, the owner's
 * struct type S and its field. */
#define GDN_PARAM_ENTRY(key_, def_, lo_, hi_, flags_, choices_, meaning_, S,   \
                        field)                                                 \
    {.key = (key_), .def = (def_), .lo = (lo_), .hi = (hi_),                   \
     .flags = (flags_), .choices = (choices_), .meaning = (meaning_),          \
     .offset = offsetof(S, field)}
/* The same for a parameter that inherits (default NaN) the value of the
 * earlier key from. */
#define GDN_PARAM_INHERITS(key_, from, lo_, hi_, flags_, meaning_, S, field)   \
    {.key = (key_), .def = NAN, .lo = (lo_), .hi = (hi_), .flags = (flags_),   \
     .meaning = (meaning_), .offset = offsetof(S, field), .inherits = (from)}

/* Applies "key=value,..." to values (already holding the defaults) of the
 * table params owned by owner (a name used in messages).  given[k] (if not
 * NULL) is set to 1 for each key given.  An empty list is fine. */
GDN_API int gdn_params_apply(const gdn_param *params, const char *owner,
                             const char *kvlist, double *values, unsigned char *given,
                             gdn_error *err);

/* The SPEC that gdn_params_apply reads back into exactly values:
 * "name:key=value,..." with every parameter of the table (none: "name"),
 * numbers in their shortest round-trip form, choices by name; a NaN value
 * whose default is NaN (lr_d, lr_g: inherit lr) is left out.  GDN_EINVAL
 * if it does not fit in size bytes. */
GDN_API int gdn_params_format(const char *name, const gdn_param *params,
                              const double *values, char *buf, size_t size);

/* Checks values[k] against params[k]'s range, type and choices. */
GDN_API int gdn_param_check(const gdn_param *p, const char *owner, double v,
                            gdn_error *err);

/* Writes the accepted range of p ("> 0", "in [0, 1)", "dg|gd", "whole
 * number >= 1") into buf. */
GDN_API void gdn_param_describe(const gdn_param *p, char *buf, size_t size);

/* Fills the owner's struct out from values (one per table entry, in table
 * order): value k to out + params[k].offset; a NaN value of a parameter
 * that inherits takes the filled value of the key it inherits from. */
GDN_API void gdn_params_fill(const gdn_param *params, const double *values,
                             void *out);

/* Index of key in the table, or (size_t)-1 when it has none. */
GDN_API size_t gdn_param_index(const gdn_param *params, const char *key);

#ifdef __cplusplus
}
#endif
#endif
