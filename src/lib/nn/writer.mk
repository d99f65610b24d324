## nn: writer — Keras .h5 writing (only ef_keras_write.c sees hdf5.h) and the
## PCLR architecture with seeded weights and calibrated BN statistics
src_lib_libecgfit_h5_a_SOURCES += \
	src/lib/nn/ef_keras_write.c src/lib/nn/ef_keras_write.h
src_lib_libecgfit_a_SOURCES += \
	src/lib/nn/ef_pclr_arch.c

check_PROGRAMS += tests/unit/test_keras_write
tests_unit_test_keras_write_CPPFLAGS = $(AM_CPPFLAGS) $(HDF5_CFLAGS)
## the loader and the runner read the files back
tests_unit_test_keras_write_LDADD = $(NN_TEST_LDADD)
TESTS += tests/unit/test_keras_write
