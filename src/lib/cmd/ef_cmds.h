/* ef_cmds.h — the entries of the command table, and what their files
 * share.  Each cmd_*.c defines one or more entries; ef_cmd_table.c lists
 * them (EF_CMD_LIST, in `ecgfit --help` order). */
#ifndef EF_CMDS_H
#define EF_CMDS_H

#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"

extern const ef_cmd ef_cmd_init;

#define EF_CMD_LIST &ef_cmd_init

#endif
