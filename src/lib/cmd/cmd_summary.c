/* cmd_summary.c — `ecgfit [-C DIR] summary`: the fitness-metrics table of
 * the seed's generate_fitness_summary.py, table1 with every registry target
 * in the store as its variables (cmd_table1.c does the work). */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "cmd/cmd_cohort.h"
#include "pipeline/ef_cohort.h"

static const ef_opt_spec summary_opts[] = { COHORT_OPTS };

static int summary_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    return ef_cohort_make(ctx, a, job, EF_COHORT_SUMMARY, err);
}

const ef_cmd ef_cmd_summary = {
    .name = "summary",
    .summary = "fitness summary table (every target in the store)",
    .synopsis = "[-C DIR] summary [--vars V,...] [--groupby V] [--pval] [--smd] [--decimals N]\n"
                "              [--format text|md|latex|csv|html] [-o FILE] [...]",
    .intro = "Prints the fitness-metrics table of the seed's generate_fitness_summary.py:\n"
             "every target of the field registry present in the store (VO2max, grip,\n"
             "spirometry, body composition, ...; categorical ones as n (%)), for the\n"
             "participants with an ECG.  Options as for table1.\n",
    .outro = COHORT_OUTRO,
    .opts = summary_opts,
    .nopts = sizeof summary_opts / sizeof summary_opts[0],
    .flags = EF_CMD_PROJECT,
    .make = summary_make,
    .finish = ef_cohort_finish,
};
