## pipeline: the stages as steppable jobs — labels, preprocess (part files,
## shards, merge), embed, feature sets and train, predict, the results layer
## (/models, /predictions, /metrics) and the report, the figures' data,
## replicate, import and export — and the name resolver.  Depends on every module below it.
noinst_LIBRARIES += src/lib/pipeline/libef_pipeline.a
src_lib_pipeline_libef_pipeline_a_CPPFLAGS = $(AM_CPPFLAGS) $(PTHREAD_CFLAGS)
src_lib_pipeline_libef_pipeline_a_SOURCES = \
	src/lib/pipeline/ef_labels.c src/lib/pipeline/ef_labels.h \
	src/lib/pipeline/ef_preprocess_stage.c src/lib/pipeline/ef_preprocess_stage.h \
	src/lib/pipeline/ef_ecg_parts.c src/lib/pipeline/ef_ecg_parts.h \
	src/lib/pipeline/ef_parts.c src/lib/pipeline/ef_parts.h \
	src/lib/pipeline/ef_slurm.c src/lib/pipeline/ef_slurm.h \
	src/lib/pipeline/ef_part_job.c src/lib/pipeline/ef_part_job.h \
	src/lib/pipeline/ef_embed_stage.c src/lib/pipeline/ef_embed_stage.h \
	src/lib/pipeline/ef_emb_parts.c src/lib/pipeline/ef_emb_parts.h \
	src/lib/pipeline/ef_features.c src/lib/pipeline/ef_features.h \
	src/lib/pipeline/ef_train_stage.c src/lib/pipeline/ef_train_stage.h \
	src/lib/pipeline/ef_results.c src/lib/pipeline/ef_results.h \
	src/lib/pipeline/ef_report.c src/lib/pipeline/ef_report.h \
	src/lib/pipeline/ef_resolve.c src/lib/pipeline/ef_resolve.h \
	src/lib/pipeline/ef_figures.c src/lib/pipeline/ef_figures.h \
	src/lib/pipeline/ef_participants.c src/lib/pipeline/ef_participants.h \
	src/lib/pipeline/ef_replicate.c src/lib/pipeline/ef_replicate.h \
	src/lib/pipeline/ef_import.c src/lib/pipeline/ef_import.h \
	src/lib/pipeline/ef_cohort.c src/lib/pipeline/ef_cohort.h \
	src/lib/pipeline/ef_export.c src/lib/pipeline/ef_export_ecg.c src/lib/pipeline/ef_export_emb.c \
	src/lib/pipeline/ef_export.h src/lib/pipeline/ef_status.c src/lib/pipeline/ef_status.h \
	src/lib/pipeline/ef_ecg_view.c src/lib/pipeline/ef_ecg_view.h

check_PROGRAMS += tests/unit/test_labels tests/unit/test_status tests/unit/test_preprocess_stage \
	tests/unit/test_embed_stage tests/unit/test_train_stage tests/unit/test_ecg_view tests/unit/test_parts
tests_unit_test_labels_LDADD = $(TEST_LDADD)
tests_unit_test_parts_LDADD = $(TEST_LDADD)
tests_unit_test_preprocess_stage_LDADD = $(TEST_LDADD)
tests_unit_test_embed_stage_LDADD = $(TEST_LDADD)
tests_unit_test_train_stage_LDADD = $(TEST_LDADD)
tests_unit_test_status_LDADD = $(TEST_LDADD)
tests_unit_test_ecg_view_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_labels tests/unit/test_status \
	tests/unit/test_preprocess_stage tests/cli/preprocess.sh tests/cli/ecg_bad_input.sh tests/cli/slurm.sh \
	tests/cli/parity_preprocess.sh \
	tests/unit/test_embed_stage tests/cli/embed.sh \
	tests/unit/test_train_stage tests/cli/train.sh tests/cli/parity_models.sh tests/cli/train_const.sh \
	tests/cli/replicate.sh tests/cli/import.sh tests/unit/test_ecg_view tests/unit/test_parts
EXTRA_DIST += tests/parity/seed_preprocess.py tests/parity/seed_models.py tests/parity/seed_const.py \
	tests/parity/seed_replicate.py
