## ukb: main-CSV reader (libcsv + fast path, optional worker threads)
src_lib_libecgfit_a_SOURCES += \
	src/lib/ukb/ef_csv.c src/lib/ukb/ef_csv.h src/lib/ukb/ef_csv_int.h \
	src/lib/ukb/ef_csv_parse.c src/lib/ukb/ef_csv_split.c

check_PROGRAMS += tests/unit/test_csv
tests_unit_test_csv_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_csv
