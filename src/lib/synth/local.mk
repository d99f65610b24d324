## synth: the synthetic UK Biobank cohort — the main CSV (ukbconv or RAP
## names), the ECG signal model, device-like measurements and the CardioSoft
## XML text — and `ecgfit synth DIR` as a job.  Depends on store, ecg, ukb
## and core; nothing but the command layer and the tests depends on it.
noinst_LIBRARIES += src/lib/synth/libef_synth.a
src_lib_synth_libef_synth_a_CPPFLAGS = $(AM_CPPFLAGS) $(PTHREAD_CFLAGS)
src_lib_synth_libef_synth_a_SOURCES = \
	src/lib/synth/ef_synth.c src/lib/synth/ef_synth.h src/lib/synth/ef_synth_int.h \
	src/lib/synth/ef_synth_cohort.c src/lib/synth/ef_synth_csv.c \
	src/lib/synth/ef_synth_ecg.h src/lib/synth/ef_synth_ecg_int.h \
	src/lib/synth/ef_synth_ecg.c src/lib/synth/ef_synth_signal.c src/lib/synth/ef_synth_xml.c \
	src/lib/synth/ef_synth_stage.c src/lib/synth/ef_synth_stage.h

check_PROGRAMS += tests/unit/test_synth tests/unit/test_synth_ecg
tests_unit_test_synth_LDADD = $(TEST_LDADD)
tests_unit_test_synth_ecg_CPPFLAGS = $(AM_CPPFLAGS) $(XML_CFLAGS)
tests_unit_test_synth_ecg_LDADD = $(TEST_LDADD)
## synthetic ECG files: xmllint, the project's reader, and the model's physiology
TESTS += tests/unit/test_synth tests/unit/test_synth_ecg tests/cli/synth_xml.sh
EXTRA_DIST += tests/cli/synth_xml.sh
