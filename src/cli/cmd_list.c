/* cmd_list.c - 'gandyn list': the catalogue with parameters and formulas. */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "gandyn.h"

static const char usage_text[] =
    "usage: gandyn list [models|regularizers|optimizers]\n"
    "\n"
    "Lists each component with its formula and its parameters (key, default,\n"
    "accepted values, meaning).  Use the keys in SPECs: NAME:key=value,...\n"
    "\n"
    "Conventions: x = (phi, theta), t = theta.phi, a = |phi|^2, b = |theta|^2;\n"
    "each player descends its own loss, xi = (grad_phi L_D, grad_theta L_G),\n"
    "and the flow is x' = -xi.\n";

static void print_params(const gdn_param *p)
{
    char acc[96], def[48];
    for (size_t k = 0; p && p[k].key; k++) {
        gdn_param_describe(&p[k], acc, sizeof acc);
        if (isnan(p[k].def))
            snprintf(def, sizeof def, "(lr)");
        else if (p[k].flags & GDN_PARAM_ENUM) {
            const char *c = p[k].choices;
            int idx = (int)p[k].def;
            while (idx-- > 0 && strchr(c, '|'))
                c = strchr(c, '|') + 1;
            size_t len = strchr(c, '|') ? (size_t)(strchr(c, '|') - c)
                                        : strlen(c);
            snprintf(def, sizeof def, "%.*s", (int)len, c);
        } else
            snprintf(def, sizeof def, "%g", p[k].def);
        printf("      %-10s = %-8s %-18s %s\n", p[k].key, def, acc,
               p[k].meaning);
    }
}

static void list_terms(const char *title, const gdn_term_type *const *list)
{
    printf("%s:\n", title);
    for (size_t k = 0; list[k]; k++) {
        const gdn_term_type *t = list[k];
        printf("  %-10s %s\n", t->name, t->about);
        printf("      loss: %s\n", t->loss);
        printf("      flow: %s\n", t->flow);
        print_params(t->params);
    }
}

static void list_opts(void)
{
    printf("optimizers (--opt):\n");
    for (size_t k = 0; gdn_optimizers[k]; k++) {
        const gdn_opt_type *o = gdn_optimizers[k];
        printf("  %-10s %s\n", o->name, o->about);
        printf("      update: %s\n", o->update);
        print_params(o->params);
    }
}

int cmd_list(int argc, char **argv)
{
    const char *what = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return GDN_EXIT_OK;
        }
        if (what) {
            cli_error("list: unexpected argument '%s' (accepted: one of models, "
                      "regularizers, optimizers)", argv[i]);
            return GDN_EXIT_USAGE;
        }
        what = argv[i];
    }
    if (what && strcmp(what, "models") && strcmp(what, "regularizers") &&
        strcmp(what, "optimizers")) {
        char hint[96];
        gdn_suggest sg;
        gdn_suggest_init(&sg, what);
        gdn_suggest_words(&sg, "models|regularizers|optimizers", '|');
        cli_error("list: unknown category '%s' (%saccepted: models, "
                  "regularizers, optimizers)", what,
                  gdn_suggest_text(&sg, hint, sizeof hint));
        return GDN_EXIT_USAGE;
    }
    if (!what || !strcmp(what, "models"))
        list_terms("models (--model)", gdn_models);
    if (!what)
        putchar('\n');
    if (!what || !strcmp(what, "regularizers"))
        list_terms("regularizers (--reg, repeatable)", gdn_regularizers);
    if (!what)
        putchar('\n');
    if (!what || !strcmp(what, "optimizers"))
        list_opts();
    return GDN_EXIT_OK;
}
