## bench-table1: Table 1 of 500,000 participants x 30 variables, grouped, with
## p-values and SMDs (store read + engine, target < 1 s), beside pandas'
## groupby().describe() of the same data.  Not part of `make check`.
EXTRA_PROGRAMS += bench/bench_table1
bench_bench_table1_SOURCES = bench/bench_table1.c
bench_bench_table1_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += bench/bench_table1$(EXEEXT)
EXTRA_DIST += bench/bench_table1.sh bench/pandas_table1.py

bench-table1: bench/bench_table1$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_table1.sh
.PHONY: bench-table1
