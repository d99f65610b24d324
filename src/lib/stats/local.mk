## stats: the table value and its renderers (text, Markdown, LaTeX, CSV, HTML)
src_lib_libecgfit_a_SOURCES += src/lib/stats/ef_table.c src/lib/stats/ef_table.h \
	src/lib/stats/ef_htest.c src/lib/stats/ef_htest.h src/lib/stats/ef_table1.c src/lib/stats/ef_table1.h

check_PROGRAMS += tests/unit/test_table
tests_unit_test_table_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_table

check_PROGRAMS += tests/unit/test_htest
tests_unit_test_htest_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_htest

check_PROGRAMS += tests/unit/test_table1
tests_unit_test_table1_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_table1
