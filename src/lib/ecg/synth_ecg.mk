## ecg: synthetic CardioSoft XML writer (dipole ECG model, device-like measurements)
src_lib_libecgfit_a_SOURCES += \
	src/lib/ecg/ef_synth_ecg.h src/lib/ecg/ef_synth_ecg_int.h \
	src/lib/ecg/ef_synth_ecg.c src/lib/ecg/ef_ecg_model.c \
	src/lib/ecg/ef_cardiosoft_write.c

check_PROGRAMS += tests/unit/test_synth_ecg
tests_unit_test_synth_ecg_CPPFLAGS = $(AM_CPPFLAGS) $(XML_CFLAGS)
tests_unit_test_synth_ecg_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_synth_ecg
