## nn: loader — Keras .h5 models (model_config JSON + float32 weights) into
## the ef_nn_model of ef_nn_int.h; `ecgfit encoder info`
src_lib_libecgfit_a_SOURCES += \
	src/lib/nn/ef_nn.h src/lib/nn/ef_nn_int.h src/lib/nn/ef_keras_int.h \
	src/lib/nn/ef_keras_config.c src/lib/nn/ef_nn_model.c \
	src/lib/nn/ef_sha256.c src/lib/nn/ef_sha256.h
src_lib_libecgfit_h5_a_SOURCES += src/lib/nn/ef_keras_h5.c

check_PROGRAMS += tests/unit/test_keras_load
tests_unit_test_keras_load_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_keras_load tests/cli/encoder_info.sh
EXTRA_DIST += tests/unit/keras_h5_make.py
