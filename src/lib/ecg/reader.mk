## reader: CardioSoft resting-ECG XML (libxml2 SAX2; FullDisclosure passed over)
src_lib_libecgfit_a_SOURCES += \
	src/lib/ecg/ef_cardiosoft.h src/lib/ecg/ef_cardiosoft_int.h \
	src/lib/ecg/ef_cardiosoft.c src/lib/ecg/ef_cardiosoft_text.c

check_PROGRAMS += tests/unit/test_cardiosoft
tests_unit_test_cardiosoft_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_cardiosoft

## libFuzzer harness (tests/fuzz/cardiosoft_fuzz.c says how to build it); never part of check
EXTRA_PROGRAMS += tests/fuzz/cardiosoft_fuzz
tests_fuzz_cardiosoft_fuzz_SOURCES = tests/fuzz/cardiosoft_fuzz.c
tests_fuzz_cardiosoft_fuzz_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += tests/fuzz/cardiosoft_fuzz$(EXEEXT)
