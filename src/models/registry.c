/* registry.c - the lists of models and regularisers, and name look-up. */
#include "terms.h"

#include <string.h>

const gdn_term_type *const gdn_models[] = {
    &gdn_model_gan, &gdn_model_nsgan, &gdn_model_wgan, &gdn_model_wgan_gp,
    &gdn_model_gan_qp, &gdn_model_wgan_clip, &gdn_model_lsgan,
    &gdn_model_hinge, &gdn_model_fgan_kl, &gdn_model_fgan_rkl,
    &gdn_model_fgan_pearson, &gdn_model_fgan_hellinger, &gdn_model_fgan_js,
    NULL};

const gdn_term_type *const gdn_regularizers[] = {
    &gdn_reg_l2, &gdn_reg_r1, &gdn_reg_r2, &gdn_reg_gp, &gdn_reg_l2g,
    &gdn_reg_noise, NULL};

const gdn_term_type *gdn_term_find(const gdn_term_type *const *list,
                                   const char *name)
{
    for (; *list; list++)
        if (strcmp((*list)->name, name) == 0)
            return *list;
    return NULL;
}

size_t gdn_param_count(const gdn_param *params)
{
    size_t k = 0;
    while (params && params[k].key)
        k++;
    return k;
}
