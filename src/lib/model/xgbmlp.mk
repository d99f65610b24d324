## model: xgbmlp — the XGBoost kind (libxgboost C API) and the MLP kind.
src_lib_libecgfit_a_SOURCES += \
	src/lib/model/ef_xgb.c src/lib/model/ef_xgb.h \
	src/lib/model/ef_mlp.c src/lib/model/ef_mlp.h
## The MLP's GEMM calls include OpenBLAS's cblas.h, which cannot share a
## translation unit with GSL's gsl_cblas.h: its own library, its own flags.
noinst_LIBRARIES += src/lib/libecgfit_mlp.a
src_lib_libecgfit_mlp_a_SOURCES = src/lib/model/ef_mlp_blas.c src/lib/model/ef_mlp_blas.h
src_lib_libecgfit_mlp_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENBLAS_CFLAGS)

check_PROGRAMS += tests/unit/test_xgb tests/unit/test_mlp
tests_unit_test_xgb_LDADD = $(TEST_LDADD)
tests_unit_test_mlp_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_xgb tests/unit/test_mlp
EXTRA_DIST += tests/parity/xgb_ref.py tests/parity/mlp_ref.py
