/*
 * params.c - filling an owner's struct of doubles from its parameter table
 * (gandyn/model.h), so that no method or term reads its parameters by
 * index.
 */
#include <math.h>
#include <string.h>

#include "gandyn/param.h"

size_t gdn_param_index(const gdn_param *params, const char *key)
{
    for (size_t k = 0; params[k].key; k++)
        if (strcmp(params[k].key, key) == 0)
            return k;
    return (size_t)-1;
}

void gdn_params_fill(const gdn_param *params, const double *values, void *out)
{
    char *base = out;
    for (size_t k = 0; params[k].key; k++) {
        double v = values[k];
        if (isnan(v) && params[k].inherits) {
            /* the earlier key's value is already filled */
            size_t j = gdn_param_index(params, params[k].inherits);
            if (j < k)
                memcpy(&v, base + params[j].offset, sizeof v);
        }
        memcpy(base + params[k].offset, &v, sizeof v);
    }
}
