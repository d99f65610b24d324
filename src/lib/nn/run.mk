## nn: run — the inference engine (planner, GEMM convolutions on OpenBLAS
## or the own AVX-512F SGEMM, ops).  Its own library so that cblas.h's
## CPPFLAGS stay here; link it before $(LIBECGFIT) (it uses core).
noinst_LIBRARIES += src/lib/libecgfit_blas.a
src_lib_libecgfit_blas_a_SOURCES = \
	src/lib/nn/ef_nn_run.c src/lib/nn/ef_nn_conv.c src/lib/nn/ef_nn_ops.c \
	src/lib/nn/ef_nn_kern.h src/lib/nn/ef_sgemm.c src/lib/nn/ef_sgemm.h
src_lib_libecgfit_blas_a_CPPFLAGS = $(AM_CPPFLAGS) $(OPENBLAS_CFLAGS) $(PTHREAD_CFLAGS)

NN_TEST_LDADD = tests/libtap.a $(LIBECGFIT) src/lib/libecgfit_blas.a $(LIBECGFIT) $(LIBECGFIT_DEPS)

check_PROGRAMS += tests/unit/test_nn_run
tests_unit_test_nn_run_LDADD = $(NN_TEST_LDADD)
TESTS += tests/unit/test_nn_run

check_PROGRAMS += tests/unit/test_sgemm
tests_unit_test_sgemm_CPPFLAGS = $(AM_CPPFLAGS) $(OPENBLAS_CFLAGS)
tests_unit_test_sgemm_LDADD = $(NN_TEST_LDADD)
TESTS += tests/unit/test_sgemm


check_PROGRAMS += tests/unit/test_nn_fixtures
tests_unit_test_nn_fixtures_CPPFLAGS = $(AM_CPPFLAGS) $(HDF5_CFLAGS)
tests_unit_test_nn_fixtures_LDADD = tests/libtap.a $(LIBECGFIT) src/lib/libecgfit_blas.a $(LIBECGFIT) \
	$(LIBECGFIT_DEPS)
TESTS += tests/unit/test_nn_fixtures
