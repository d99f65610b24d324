## stats: numpy/sklearn-exact numerics (MT19937, pairwise sums, r2_score),
## agreement metrics with bootstrap CIs, and the table value with its
## renderers (text, Markdown, LaTeX, CSV, HTML).  Depends on core only.
noinst_LIBRARIES += src/lib/stats/libef_stats.a
src_lib_stats_libef_stats_a_CPPFLAGS = $(AM_CPPFLAGS) $(GSL_CFLAGS)
src_lib_stats_libef_stats_a_SOURCES = \
	src/lib/stats/ef_numpy.c src/lib/stats/ef_numpy.h \
	src/lib/stats/ef_metrics.c src/lib/stats/ef_metrics.h \
	src/lib/stats/ef_table.c src/lib/stats/ef_table.h \
	src/lib/stats/ef_htest.c src/lib/stats/ef_htest.h \
	src/lib/stats/ef_table1.c src/lib/stats/ef_table1.h

check_PROGRAMS += tests/unit/test_table tests/unit/test_metrics
tests_unit_test_table_LDADD = $(TEST_LDADD)
tests_unit_test_metrics_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_table tests/unit/test_metrics

check_PROGRAMS += tests/unit/test_htest tests/unit/test_table1
tests_unit_test_htest_LDADD = $(TEST_LDADD)
tests_unit_test_table1_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_htest tests/unit/test_table1
