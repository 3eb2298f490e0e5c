/*
 * cli.h - the command-line tool: subcommands and their shared helpers.
 *
 * Only the CLI prints or exits.  Exit status: 0 success (a diverging run is
 * a result, not a failure), 2 bad input or unwritable output (one line on
 * stderr: "gandyn: <message>"), 1 anything else.
 */
#ifndef GANDYN_CLI_H
#define GANDYN_CLI_H

#include <stdio.h>

#define GDN_EXIT_OK 0
#define GDN_EXIT_FAIL 1
#define GDN_EXIT_USAGE 2

/* A subcommand. */
typedef struct cli_cmd {
    const char *name;                     /* "simulate" */
    int (*fn)(int argc, char **argv);     /* argv[0] is the name */
    const char *summary;                  /* one line for 'gandyn --help' */
} cli_cmd;

int cmd_list(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_reproduce(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

/* Long options: "--name VALUE", "--name=VALUE", or a flag "--name".  An
 * option that takes a value may be given once, unless its kind has the bit
 * CLI_REPEAT (CLI_VALUE | CLI_REPEAT: --reg, --ema, ...); a second one is
 * refused ("--steps 10 --steps 20": which?).  A flag may be repeated. */
enum { CLI_FLAG = 0, CLI_VALUE = 1, CLI_OPTIONAL = 2, CLI_REPEAT = 4 };
typedef struct cli_opt {
    const char *name; /* without the dashes */
    int kind;         /* CLI_FLAG, CLI_VALUE, CLI_OPTIONAL, | CLI_REPEAT */
    int id;           /* returned by cli_next (0..63) */
} cli_opt;

typedef struct cli_parser {
    int argc;
    char **argv;
    int i;           /* next argument */
    const char *cmd; /* for messages */
    int positional;  /* accept arguments that are not options */
    unsigned long long seen; /* bit id: an option with a value was given */
} cli_parser;

void cli_init(cli_parser *p, int argc, char **argv, const char *cmd);
/* Next option (a misspelled one is refused with the nearest name: "did
 * you mean '--steps'?"): its id and value (NULL for flags or an absent optional
 * value).  Returns 1 for an option, 2 for a positional argument (in *val;
 * only when p->positional), 0 at the end, -1 on an error (already
 * printed). */
int cli_next(cli_parser *p, const cli_opt *opts, int *id, const char **val);

/* Prints "gandyn: <message>" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
