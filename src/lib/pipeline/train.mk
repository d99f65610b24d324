## pipeline: train — feature sets and designs, the train job, predict, the
## results layer (/models, /predictions, /metrics) and their CLI commands.
src_lib_libecgfit_a_SOURCES += \
	src/lib/pipeline/ef_features.c src/lib/pipeline/ef_features.h \
	src/lib/pipeline/ef_train_stage.c src/lib/pipeline/ef_train_stage.h \
	src/lib/pipeline/ef_results.c src/lib/pipeline/ef_results.h \
	src/lib/pipeline/ef_report.c src/lib/pipeline/ef_report.h \
	src/lib/pipeline/ef_resolve.c src/lib/pipeline/ef_resolve.h \
	src/lib/pipeline/ef_figures.c src/lib/pipeline/ef_figures.h

check_PROGRAMS += tests/unit/test_train_stage
tests_unit_test_train_stage_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_train_stage tests/cli/train.sh tests/cli/parity_models.sh tests/cli/train_const.sh
EXTRA_DIST += tests/parity/seed_models.py tests/parity/seed_const.py
