## preprocess: the ECG stage as a job, its part files and merge (with the
## part-file helpers the embeddings share), the store's virtual-dataset
## helpers, the CLI commands (preprocess, merge, export ecg)
src_lib_libecgfit_a_SOURCES += \
	src/lib/pipeline/ef_preprocess_stage.c src/lib/pipeline/ef_preprocess_stage.h \
	src/lib/pipeline/ef_ecg_parts.c src/lib/pipeline/ef_ecg_parts.h \
	src/lib/pipeline/ef_parts.c src/lib/pipeline/ef_parts.h \
	src/lib/pipeline/ef_part_job.c src/lib/pipeline/ef_part_job.h
src_lib_libecgfit_h5_a_SOURCES += \
	src/lib/store/ef_store_vds.c src/lib/store/ef_store_vds.h

check_PROGRAMS += tests/unit/test_preprocess_stage
tests_unit_test_preprocess_stage_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_preprocess_stage tests/cli/preprocess.sh tests/cli/ecg_bad_input.sh \
	tests/cli/parity_preprocess.sh
EXTRA_DIST += tests/parity/seed_preprocess.py bench/bench_preprocess.sh bench/seed_preprocess.py
