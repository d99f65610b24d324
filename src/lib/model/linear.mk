## model: linear — the split, the scaler, KFold/R2, Lasso/ElasticNet with
## GridSearchCV semantics, the fit/predict facade, and the metrics (stats/).
src_lib_libecgfit_a_SOURCES += \
	src/lib/model/ef_split.c src/lib/model/ef_split.h \
	src/lib/model/ef_scaler.c src/lib/model/ef_cv.c \
	src/lib/model/ef_linear.c src/lib/model/ef_linear.h \
	src/lib/model/ef_model.c src/lib/model/ef_model.h src/lib/model/ef_model_int.h \
	src/lib/stats/ef_metrics.c src/lib/stats/ef_metrics.h

check_PROGRAMS += tests/unit/test_split tests/unit/test_linear tests/unit/test_metrics
tests_unit_test_split_LDADD = $(TEST_LDADD)
tests_unit_test_linear_LDADD = $(TEST_LDADD)
tests_unit_test_metrics_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_split tests/unit/test_linear tests/unit/test_metrics
EXTRA_DIST += tests/parity/sklearn_linear.py
