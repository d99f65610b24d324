## bench: not built or run by `make check`.  `make bench-csv` builds the
## programs and runs bench/bench_csv.sh (use an optimised build without
## sanitizers; see bench/README.md).
EXTRA_PROGRAMS = bench/gen_csv bench/bench_csv
bench_gen_csv_SOURCES = bench/gen_csv.c
bench_bench_csv_SOURCES = bench/bench_csv.c
bench_bench_csv_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += bench/gen_csv$(EXEEXT) bench/bench_csv$(EXEEXT)
EXTRA_DIST += bench/bench_csv.sh bench/README.md bench/bench_preprocess.sh bench/seed_preprocess.py

bench-csv: bench/gen_csv$(EXEEXT) bench/bench_csv$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_csv.sh
.PHONY: bench-csv

## bench-preprocess: ecgfit preprocess against the seed's Python on full-size files
bench-preprocess: ecgfit$(EXEEXT)
	ECGFIT=$(abs_top_builddir)/ecgfit ECGFIT_DATADIR=$(abs_top_srcdir)/share/ecgfit \
	  PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/bench/bench_preprocess.sh
.PHONY: bench-preprocess

## bench-labels: the whole `ecgfit labels` against pandas read_csv(usecols)
EXTRA_DIST += bench/bench_labels.sh
bench-labels: ecgfit$(EXEEXT) bench/gen_csv$(EXEEXT)
	ECGFIT=$(abs_top_builddir)/ecgfit BENCH_BIN=$(abs_top_builddir)/bench \
	  ECGFIT_DATADIR=$(abs_top_srcdir)/share/ecgfit PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_labels.sh
.PHONY: bench-labels

## bench-tui: key-to-redraw latency of the terminal application on 80,000 participants
EXTRA_DIST += bench/bench_tui.sh
bench-tui: ecgfit$(EXEEXT)
	ECGFIT=$(abs_top_builddir)/ecgfit ECGFIT_DATADIR=$(abs_top_srcdir)/share/ecgfit PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_tui.sh
.PHONY: bench-tui
