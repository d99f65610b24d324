## plot: gnuplot scripts of the figures (text, no I/O) and the one module
## that runs gnuplot; their store side is pipeline/ef_figures (train.mk)
src_lib_libecgfit_a_SOURCES += \
	src/lib/plot/ef_plot.h src/lib/plot/ef_plot_int.h src/lib/plot/ef_plot_script.c \
	src/lib/plot/ef_plot_perf.c src/lib/plot/ef_plot_bars.c src/lib/plot/ef_plot_ecg.c \
	src/lib/plot/ef_plot_embedding.c src/lib/plot/ef_plot_run.c

check_PROGRAMS += tests/unit/test_plot
tests_unit_test_plot_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_plot tests/cli/plot.sh
