/* test_cmdline.c — splitting a typed command line and completing it from
 * the command table (the TUI's `:` prompt). */
#include "config.h"
#include "tap.h"
#include "cmd/ef_cmdline.h"
#include "core/ef_error.h"

#include <stdio.h>
#include <string.h>

static void split_is(const char *line, const char *want, const char *what)
{
    int argc = 0;
    char **argv = NULL, got[512] = "";
    ef_error err;

    if (ef_cmdline_split(line, &argc, &argv, &err) != EF_OK) {
        ok(0, "%s: split failed: %s", what, err.msg);
        return;
    }
    for (int i = 0; i < argc; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s[%s]", i ? " " : "", argv[i]);
    ok(argv[argc] == NULL, "%s: argv is NULL-terminated", what);
    is_str(got, want, "%s", what);
    ef_cmdline_free(argc, argv);
}

/* The candidates for line (cursor at its end), joined by blanks. */
static void complete_is(const char *line, const char *want, size_t start, const char *what)
{
    ef_completion c;
    char got[2048] = "";

    ef_cmdline_complete(line, strlen(line), &c);
    for (size_t i = 0; i < c.n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", c.cand[i]);
    is_str(got, want, "%s", what);
    if (c.n)
        is_int((long long)c.start, (long long)start, "%s: replaces from byte %zu", what, start);
    ef_completion_fini(&c);
}

int main(void)
{
    ef_error err;
    int argc;
    char **argv;
    ef_completion c;

    split_is("train --target vo2max", "[train] [--target] [vo2max]", "plain words");
    split_is("  export   metrics\t-o m.csv ", "[export] [metrics] [-o] [m.csv]", "runs of blanks and tabs");
    split_is("plot ecg -o 'my file.png'", "[plot] [ecg] [-o] [my file.png]", "single quotes keep blanks");
    split_is("x \"a \\\"b\\\" $c\" d\\ e", "[x] [a \"b\" $c] [d e]", "double quotes and escapes");
    split_is("x ''", "[x] []", "an empty quoted word is a word");
    split_is("ecgfit -C demo report", "[-C] [demo] [report]", "a leading 'ecgfit' is dropped");
    split_is("x 'a;rm -rf /'", "[x] [a;rm -rf /]", "no shell syntax: ; is text");
    split_is("", "", "an empty line: no words");
    is_int(ef_cmdline_split("plot 'open", &argc, &argv, &err), EF_EUSAGE, "unterminated quote is a usage error");
    like(err.msg, "unterminated single quote", "... saying which quote");

    complete_is("tra", "train", 0, "a command name");
    complete_is("e", "embed encoder export", 0, "several commands (sorted)");
    complete_is("exp", "export", 0, "a group's first word");
    complete_is("export m", "metrics", 7, "a group's subject");
    complete_is("export metrics --fo", "--format", 15, "an option of the subject");
    complete_is("train --tar", "--target", 6, "an option name");
    complete_is("train --model lasso,x", "lasso,xgboost", 14, "the last word of a list value");
    complete_is("train --model ", "elasticnet lasso mlp xgboost", 14, "every value of a list");
    complete_is("report --format m", "md", 16, "a choice value");
    complete_is("report --format=l", "--format=latex", 7, "a choice value after '='");
    complete_is("train --target ", "", 0, "a free value: no candidates");
    complete_is("--w", "--wait", 0, "a global option before the command");
    complete_is("-C demo tr", "train", 8, "the command after -C DIR");
    complete_is("zzz --x", "", 0, "an unknown command: nothing");
    complete_is("plot 'a", "", 0, "inside an open quote: nothing");
    ef_cmdline_complete("train --model lasso,x", 21, &c);
    is_int((long long)ef_completion_common(&c), 13, "common prefix of one candidate is all of it");
    ef_completion_fini(&c);
    ef_cmdline_complete("e", 1, &c);
    is_int((long long)ef_completion_common(&c), 1, "common prefix of embed/encoder/export is 'e'");
    ef_completion_fini(&c);
    ef_cmdline_complete("train --tar", 3, &c);
    ok(c.n >= 1 && strcmp(c.cand[0], "train") == 0, "the cursor inside the line completes the word before it");
    ef_completion_fini(&c);
    return done_testing();
}
