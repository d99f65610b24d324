## model: the seed's split, the scaler, KFold, Lasso/ElasticNet with
## GridSearchCV semantics, XGBoost (libxgboost's C API, loaded on first use;
## own trees for the CV fits), the MLP, Khurshid's fixed models and the
## reference equations, behind one fit/predict facade.
## Depends on stats, ukb and core.  The MLP's GEMM includes OpenBLAS's
## cblas.h, which cannot share a translation unit with GSL's gsl_cblas.h
## (ef_mlp_blas.c is the only file that includes it).
noinst_LIBRARIES += src/lib/model/libef_model.a
src_lib_model_libef_model_a_CPPFLAGS = $(AM_CPPFLAGS) $(GSL_CFLAGS) $(OPENBLAS_CFLAGS) $(PTHREAD_CFLAGS)
src_lib_model_libef_model_a_SOURCES = \
	src/lib/model/ef_split.c src/lib/model/ef_split.h \
	src/lib/model/ef_scaler.c src/lib/model/ef_cv.c \
	src/lib/model/ef_linear.c src/lib/model/ef_linear.h \
	src/lib/model/ef_model.c src/lib/model/ef_model.h src/lib/model/ef_model_int.h \
	src/lib/model/ef_xgb.c src/lib/model/ef_xgb.h \
	src/lib/model/ef_xgb_lib.c src/lib/model/ef_xgb_lib.h \
	src/lib/model/ef_gbt.c src/lib/model/ef_gbt.h src/lib/model/ef_gbt_int.h \
	src/lib/model/ef_gbt_data.c \
	src/lib/model/ef_mlp.c src/lib/model/ef_mlp.h \
	src/lib/model/ef_mlp_blas.c src/lib/model/ef_mlp_blas.h \
	src/lib/model/ef_fixed.c src/lib/model/ef_fixed.h

check_PROGRAMS += tests/unit/test_split tests/unit/test_linear tests/unit/test_xgb tests/unit/test_gbt \
	tests/unit/test_mlp tests/unit/test_fixed
tests_unit_test_split_LDADD = $(TEST_LDADD)
tests_unit_test_linear_LDADD = $(TEST_LDADD)
tests_unit_test_xgb_LDADD = $(TEST_LDADD)
tests_unit_test_gbt_LDADD = $(TEST_LDADD) $(XGBOOST_LIBS)
tests_unit_test_mlp_LDADD = $(TEST_LDADD)
tests_unit_test_fixed_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_split tests/unit/test_linear tests/unit/test_xgb tests/unit/test_gbt tests/unit/test_mlp \
	tests/unit/test_fixed
EXTRA_DIST += tests/parity/sklearn_linear.py tests/parity/xgb_ref.py tests/parity/mlp_ref.py
