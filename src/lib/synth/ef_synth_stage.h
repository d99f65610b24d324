/* ef_synth_stage.h — `ecgfit synth DIR`: a synthetic UKB cohort in the real
 * formats, as a steppable job: DIR/ukb_main.csv, DIR/ecg/{eid}_20205_{2,3}_0.xml,
 * and DIR/ecgfit.ini so that DIR is a ready project.
 *
 * DIR/.ecgfit-synth records the options.  A rerun with the same options
 * resumes (ECG files already written are kept); a folder holding another
 * cohort (or files synth did not write) is refused unless force. */
#ifndef EF_SYNTH_STAGE_H
#define EF_SYNTH_STAGE_H

#include "core/ef_error.h"
#include "core/ef_job.h"
#include "synth/ef_synth.h"

typedef struct ef_synth_stage_opts {
    const char *dir;
    ef_synth_opts synth;
    int write_ecg;        /* write the XML files (default 1) */
    int threads;          /* ECG writer threads */
    int force;            /* replace a cohort made with other options, and ecgfit.ini */
} ef_synth_stage_opts;

typedef struct ef_synth_stage_result {
    size_t participants, ecg2_files, ecg3_files, files_skipped;
    char *csv_path, *ecg_dir;
    int resumed;          /* the folder held this cohort already: finished files kept */
    int ini_kept;         /* an existing ecgfit.ini was kept (it may name other inputs) */
} ef_synth_stage_result;

int ef_synth_stage_job_new(ef_job **out, const ef_synth_stage_opts *o, ef_error *err);
const ef_synth_stage_result *ef_synth_stage_result_of(ef_job *job);

#endif
