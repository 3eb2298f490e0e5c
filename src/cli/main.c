/* main.c - 'gandyn COMMAND ...': dispatch from one table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gandyn/spec.h"

#ifndef GANDYN_VERSION
#define GANDYN_VERSION "0.1.0"
#endif

static const cli_cmd cmds[] = {
    {"list", cmd_list, "list models, regularizers and optimizers"},
    {"simulate", cmd_simulate, "simulate one Dirac GAN run, write its path"},
    {"analyze", cmd_analyze,
     "local stability: Jacobians, eigenvalues, verdicts, parameter scans"},
    {"sweep", cmd_sweep,
     "many trajectories over grids of parameters and starts, all cores"},
    {"plot", cmd_plot, "draw runs written by simulate (PNG, SVG, PDF, GIF)"},
    {"reproduce", cmd_reproduce,
     "run, measure and judge every claim of the seed article"},
    {NULL, NULL, NULL}};

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: gandyn COMMAND [OPTIONS]\n"
            "\n"
            "gandyn simulates and analyses the dynamics of GAN training on the\n"
            "Dirac GAN (real data a single point, generator theta, linear\n"
            "discriminator phi).\n"
            "\n"
            "commands:\n");
    for (const cli_cmd *c = cmds; c->name; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\n'gandyn COMMAND --help' describes a command.\n");
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    cli_cleanup_init();
#ifdef GANDYN_FAULT_INJECTION
    cli_fault_init();
#endif
    int code = dispatch(argc, argv);
#ifdef GANDYN_FAULT_INJECTION
    if (getenv("GANDYN_FAIL_COUNT"))
        fprintf(stderr, "gandyn-fi: %ld I/O calls\n", cli_fault_calls());
#endif
    return cli_finish_stdout(code);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GDN_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        (strcmp(name, "help") == 0 && argc == 2)) {
        usage(stdout);
        return GDN_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) { /* 'gandyn help CMD' */
        for (const cli_cmd *c = cmds; c->name; c++)
            if (strcmp(c->name, argv[2]) == 0) {
                char *args[] = {argv[2], "--help", NULL};
                return c->fn(2, args);
            }
        name = argv[2]; /* reported below as an unknown command */
    }
    if (strcmp(name, "--version") == 0) {
        printf("gandyn %s\n", GANDYN_VERSION);
        return GDN_EXIT_OK;
    }
    for (const cli_cmd *c = cmds; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->fn(argc - 1, argv + 1);
    char names[128] = "", hint[96];
    gdn_suggest sg;
    gdn_suggest_init(&sg, name);
    for (const cli_cmd *c = cmds; c->name; c++) {
        if (c != cmds)
            strcat(names, ", ");
        strcat(names, c->name);
        gdn_suggest_add(&sg, c->name, strlen(c->name));
    }
    cli_error("unknown command '%s' (%saccepted: %s)", name,
              gdn_suggest_text(&sg, hint, sizeof hint), names);
    return GDN_EXIT_USAGE;
}
