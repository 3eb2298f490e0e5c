/* args.c - a small long-option parser shared by the subcommands. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "gandyn/spec.h"

void cli_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line, whatever the user's tokens hold */
    fputs("gandyn: ", stderr);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p == '\n')
            fputs("\\n", stderr);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else
            fputc(*p, stderr);
    }
    fputc('\n', stderr);
}

void cli_init(cli_parser *p, int argc, char **argv, const char *cmd)
{
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    p->cmd = cmd;
    p->positional = 0;
    p->seen = 0;
}

int cli_next(cli_parser *p, const cli_opt *opts, int *id, const char **val)
{
    if (p->i >= p->argc)
        return 0;
    const char *arg = p->argv[p->i++];
    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
        if (p->positional && strcmp(arg, "-h") != 0 &&
            (arg[0] != '-' || arg[1] == '\0')) {
            *val = arg;
            return 2;
        }
        if (strcmp(arg, "-h") == 0) {
            arg = "--help";
        } else {
            cli_error("%s: unexpected argument '%s' (options start with '--'; "
                      "see 'gandyn %s --help')", p->cmd, arg, p->cmd);
            return -1;
        }
    }
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (const cli_opt *o = opts; o->name; o++) {
        if (strlen(o->name) != len || strncmp(o->name, name, len) != 0)
            continue;
        int kind = o->kind & ~CLI_REPEAT;
        *id = o->id;
        *val = NULL;
        if (kind != CLI_FLAG && !(o->kind & CLI_REPEAT) && o->id >= 0 &&
            o->id < 64) {
            unsigned long long bit = 1ull << o->id;
            if (p->seen & bit) {
                cli_error("%s: option '--%s' given twice (it takes one "
                          "value)", p->cmd, o->name);
                return -1;
            }
            p->seen |= bit;
        }
        if (kind == CLI_FLAG) {
            if (eq) {
                cli_error("%s: option '--%s' takes no value", p->cmd, o->name);
                return -1;
            }
        } else if (eq) {
            *val = eq + 1;
        } else if (p->i < p->argc &&
                   (kind == CLI_VALUE ||
                    strncmp(p->argv[p->i], "--", 2) != 0)) {
            *val = p->argv[p->i++];
        } else if (kind == CLI_VALUE) {
            cli_error("%s: option '--%s' needs a value", p->cmd, o->name);
            return -1;
        }
        return 1;
    }
    char word[64], hint[96];
    gdn_suggest sg;
    snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), name);
    gdn_suggest_init(&sg, word);
    for (const cli_opt *o = opts; o->name; o++)
        gdn_suggest_add(&sg, o->name, strlen(o->name));
    if (sg.best[0])
        snprintf(hint, sizeof hint, "did you mean '--%s'? ", sg.best);
    else
        hint[0] = '\0';
    cli_error("%s: unknown option '%.*s' (%ssee 'gandyn %s --help')", p->cmd,
              (int)(len + 2), arg, hint, p->cmd);
    return -1;
}
