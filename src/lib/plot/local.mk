## plot: the figures as gnuplot scripts (text, no I/O: one builder per kind)
## and the one module that runs gnuplot.  Their store side is
## pipeline/ef_figures.  Depends on stats and core.
noinst_LIBRARIES += src/lib/plot/libef_plot.a
src_lib_plot_libef_plot_a_CPPFLAGS = $(AM_CPPFLAGS)
src_lib_plot_libef_plot_a_SOURCES = \
	src/lib/plot/ef_plot.h src/lib/plot/ef_plot_int.h src/lib/plot/ef_plot_script.c \
	src/lib/plot/ef_plot_perf.c src/lib/plot/ef_plot_bars.c src/lib/plot/ef_plot_ecg.c \
	src/lib/plot/ef_plot_embedding.c src/lib/plot/ef_plot_run.c

check_PROGRAMS += tests/unit/test_plot
tests_unit_test_plot_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_plot tests/cli/plot.sh
