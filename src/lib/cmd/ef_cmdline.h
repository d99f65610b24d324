/* ef_cmdline.h — a command typed as one line (the TUI's `:` prompt, a
 * script's line): split into words as a POSIX shell would quote them, and
 * completed from the one command table (command names, a group's subjects,
 * options, the values of choice and list options).  No variables, globbing
 * or command substitution: nothing typed here reaches a shell. */
#ifndef EF_CMDLINE_H
#define EF_CMDLINE_H

#include <stddef.h>
#include "core/ef_error.h"

/* Split line into *argc words (*argv NULL-terminated, owned: free with
 * ef_cmdline_free): blanks separate words; '...' is literal; "..." keeps
 * blanks and takes \" \\ \$ \` as escapes; a backslash outside quotes
 * escapes the next character.  A leading "ecgfit" word is dropped, so a
 * line copied from a script works.  EF_EUSAGE for an unterminated quote. */
int ef_cmdline_split(const char *line, int *argc, char ***argv, ef_error *err);
void ef_cmdline_free(int argc, char **argv);

/* The candidates for the word that ends at cursor (a byte offset in line):
 * each is the whole replacement of line[start..cursor), sorted, unique. */
typedef struct ef_completion {
    char **cand;
    size_t n;
    size_t start;
} ef_completion;

/* Fill *out (always; possibly no candidates).  Completes the command word
 * (and the subject after a group such as "export"), "--option" names of the
 * command (and the global -C/--quiet/--wait/--help), the value after an
 * option of choices ("--format m" -> "md"; "--model lasso,x" ->
 * "lasso,xgboost"; "--format=m" -> "--format=md").  Free values, file
 * names and positionals get none. */
void ef_cmdline_complete(const char *line, size_t cursor, ef_completion *out);
/* Length of the longest prefix all candidates share (0 without any). */
size_t ef_completion_common(const ef_completion *c);
void ef_completion_fini(ef_completion *c);

#endif
