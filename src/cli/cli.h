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

/* ---------------------------------------- outputs and signals (cleanup.c)
 *
 * TERM, INT and HUP remove every registered temporary, then end the
 * process with that signal.  Outputs of a command go through one
 * gdn_outset made by cli_outset_new (its staging directories are
 * registered); a gdn_ofile made outside a set goes through cli_ofile_*. */
#include "gandyn/io.h"

void cli_cleanup_init(void);             /* first thing in main */
void cli_tmp_add(const char *path, int is_dir);
void cli_tmp_remove(const char *path);
void cli_hold(int on);                   /* defers the signals (nests) */
const gdn_io_hooks *cli_io_hooks(void);
gdn_outset *cli_outset_new(void);        /* NULL (reported) on no memory */
int cli_ofile_open(gdn_ofile *f, const char *path, gdn_error *err);
int cli_ofile_commit(gdn_ofile *f, gdn_error *err);
void cli_ofile_abort(gdn_ofile *f);
/* Flushes stdout: 0, or -1 with "write error on standard output: ..."
 * printed (before a commit: the files then stay uncommitted). */
int cli_flush_stdout(void);
/* At exit: flushes and closes stdout; a failure turns exit 0 into 2 with
 * "write error on standard output: <reason>". */
int cli_finish_stdout(int code);
/* cli_error of a library message about a staged file, naming the output
 * instead (the staged path replaced by name). */
void cli_error_as(const char *msg, const char *staged, const char *name);
#ifdef GANDYN_FAULT_INJECTION
void cli_fault_init(void); /* GANDYN_FAIL_AT=N: the Nth I/O call fails */
long cli_fault_calls(void);
#endif

/* Prints "gandyn: <message>" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
