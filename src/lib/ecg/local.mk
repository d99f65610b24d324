## ecg: ECG file discovery, the CardioSoft resting-ECG XML reader (libxml2
## SAX2; FullDisclosure passed over) and preprocessing (numpy-exact
## resampling, units, zero-phase filters, QC).  Depends on core.
noinst_LIBRARIES += src/lib/ecg/libef_ecg.a
src_lib_ecg_libef_ecg_a_CPPFLAGS = $(AM_CPPFLAGS) $(XML_CFLAGS) $(PTHREAD_CFLAGS)
src_lib_ecg_libef_ecg_a_SOURCES = \
	src/lib/ecg/ef_ecg_files.c src/lib/ecg/ef_ecg_files.h \
	src/lib/ecg/ef_cardiosoft.h src/lib/ecg/ef_cardiosoft_int.h \
	src/lib/ecg/ef_cardiosoft.c src/lib/ecg/ef_cardiosoft_text.c \
	src/lib/ecg/ef_preprocess.h src/lib/ecg/ef_preprocess.c \
	src/lib/ecg/ef_resample.c src/lib/ecg/ef_qc.c \
	src/lib/ecg/ef_filter.h src/lib/ecg/ef_filter.c

check_PROGRAMS += tests/unit/test_cardiosoft tests/unit/test_resample tests/unit/test_preprocess
tests_unit_test_cardiosoft_LDADD = $(TEST_LDADD)
tests_unit_test_resample_LDADD = $(TEST_LDADD)
tests_unit_test_preprocess_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_cardiosoft tests/unit/test_resample tests/unit/test_preprocess
EXTRA_DIST += tests/parity/resample_numpy.py

## libFuzzer harness (tests/fuzz/cardiosoft_fuzz.c says how to build it); never part of check
EXTRA_PROGRAMS += tests/fuzz/cardiosoft_fuzz
tests_fuzz_cardiosoft_fuzz_SOURCES = tests/fuzz/cardiosoft_fuzz.c tests/fuzz/fuzz_replay.c tests/fuzz/fuzz_replay.h
tests_fuzz_cardiosoft_fuzz_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += tests/fuzz/cardiosoft_fuzz$(EXEEXT)

## differential harness: FullDisclosure fast path vs the full parse (same build recipe)
EXTRA_PROGRAMS += tests/fuzz/cardiosoft_diff_fuzz
tests_fuzz_cardiosoft_diff_fuzz_SOURCES = tests/fuzz/cardiosoft_diff_fuzz.c tests/fuzz/fuzz_replay.c tests/fuzz/fuzz_replay.h
tests_fuzz_cardiosoft_diff_fuzz_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += tests/fuzz/cardiosoft_diff_fuzz$(EXEEXT)
