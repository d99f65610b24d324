## ecg: preprocessing (numpy-exact resampling, units, zero-phase filters, QC)
src_lib_libecgfit_a_SOURCES += \
	src/lib/ecg/ef_preprocess.h src/lib/ecg/ef_preprocess.c \
	src/lib/ecg/ef_resample.c src/lib/ecg/ef_qc.c \
	src/lib/ecg/ef_filter.h src/lib/ecg/ef_filter.c

check_PROGRAMS += tests/unit/test_resample
tests_unit_test_resample_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_resample

check_PROGRAMS += tests/unit/test_preprocess
tests_unit_test_preprocess_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_preprocess

EXTRA_DIST += tests/parity/resample_numpy.py
