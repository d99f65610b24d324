## ukb: synthetic cohort (the main CSV of `ecgfit synth`)
src_lib_libecgfit_a_SOURCES += \
	src/lib/ukb/ef_synth.c src/lib/ukb/ef_synth.h src/lib/ukb/ef_synth_priv.h \
	src/lib/ukb/ef_synth_cohort.c src/lib/ukb/ef_synth_csv.c

check_PROGRAMS += tests/unit/test_synth
tests_unit_test_synth_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_synth
