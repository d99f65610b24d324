## ukb: the field registry and codings, UKB column names in every spelling,
## and the main-CSV reader (libcsv + a fast path, optional worker threads).
## Depends on core.
noinst_LIBRARIES += src/lib/ukb/libef_ukb.a
src_lib_ukb_libef_ukb_a_CPPFLAGS = $(AM_CPPFLAGS) $(PTHREAD_CFLAGS)
src_lib_ukb_libef_ukb_a_SOURCES = \
	src/lib/ukb/ef_ukbcol.c src/lib/ukb/ef_ukbcol.h \
	src/lib/ukb/ef_registry.c src/lib/ukb/ef_registry.h \
	src/lib/ukb/ef_names.c src/lib/ukb/ef_names.h \
	src/lib/ukb/ef_csv.c src/lib/ukb/ef_csv.h src/lib/ukb/ef_csv_int.h \
	src/lib/ukb/ef_csv_parse.c src/lib/ukb/ef_csv_split.c \
	src/lib/ukb/ef_csv_scan.c src/lib/ukb/ef_csv_scan_body.h

check_PROGRAMS += tests/unit/test_csv tests/unit/test_registry
tests_unit_test_csv_LDADD = $(TEST_LDADD)
tests_unit_test_registry_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_csv tests/unit/test_registry

## libFuzzer harness (tests/fuzz/csv_fuzz.c says how to build it); never part of check
EXTRA_PROGRAMS += tests/fuzz/csv_fuzz
tests_fuzz_csv_fuzz_SOURCES = tests/fuzz/csv_fuzz.c tests/fuzz/fuzz_replay.c tests/fuzz/fuzz_replay.h
tests_fuzz_csv_fuzz_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += tests/fuzz/csv_fuzz$(EXEEXT)
