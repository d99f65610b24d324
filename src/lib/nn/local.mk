## nn: the network — Keras .h5 models (model_config JSON + float32 weights)
## read and written, the PCLR architecture with seeded weights, and the
## inference engine (planner, GEMM convolutions on OpenBLAS or the own
## AVX-512F SGEMM, ops).  Depends on store (its HDF5 helpers) and core.
noinst_LIBRARIES += src/lib/nn/libef_nn.a
src_lib_nn_libef_nn_a_CPPFLAGS = $(AM_CPPFLAGS) $(HDF5_CFLAGS) $(JANSSON_CFLAGS) $(OPENBLAS_CFLAGS) \
	$(PTHREAD_CFLAGS)
src_lib_nn_libef_nn_a_SOURCES = \
	src/lib/nn/ef_nn.h src/lib/nn/ef_nn_int.h src/lib/nn/ef_keras_int.h \
	src/lib/nn/ef_keras_config.c src/lib/nn/ef_nn_model.c src/lib/nn/ef_keras_h5.c \
	src/lib/nn/ef_sha256.c src/lib/nn/ef_sha256.h \
	src/lib/nn/ef_keras_write.c src/lib/nn/ef_keras_write.h src/lib/nn/ef_pclr_arch.c \
	src/lib/nn/ef_nn_run.c src/lib/nn/ef_nn_conv.c src/lib/nn/ef_nn_ops.c \
	src/lib/nn/ef_nn_kern.h src/lib/nn/ef_sgemm.c src/lib/nn/ef_sgemm.h

check_PROGRAMS += tests/unit/test_keras_load tests/unit/test_keras_write tests/unit/test_nn_run \
	tests/unit/test_sgemm tests/unit/test_nn_fixtures
tests_unit_test_keras_load_LDADD = $(TEST_LDADD)
tests_unit_test_keras_write_CPPFLAGS = $(AM_CPPFLAGS) $(HDF5_CFLAGS)
tests_unit_test_keras_write_LDADD = $(TEST_LDADD)
tests_unit_test_nn_run_LDADD = $(TEST_LDADD)
tests_unit_test_sgemm_CPPFLAGS = $(AM_CPPFLAGS) $(OPENBLAS_CFLAGS)
tests_unit_test_sgemm_LDADD = $(TEST_LDADD)
tests_unit_test_nn_fixtures_CPPFLAGS = $(AM_CPPFLAGS) $(HDF5_CFLAGS)
tests_unit_test_nn_fixtures_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_keras_load tests/cli/encoder_info.sh tests/unit/test_keras_write \
	tests/unit/test_nn_run tests/unit/test_sgemm tests/unit/test_nn_fixtures
EXTRA_DIST += tests/unit/keras_h5_make.py
