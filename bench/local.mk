## bench: not built or run by `make check`.  `make bench-csv` builds the
## programs and runs bench/bench_csv.sh (use an optimised build without
## sanitizers; see bench/README.md).
EXTRA_PROGRAMS += bench/gen_csv bench/bench_csv
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

## bench-pclr: the inference engine on the full PCLR architecture against
## OpenBLAS's sgemm peak and PyTorch (Debian's python3-torch), same threads.
EXTRA_PROGRAMS += bench/bench_pclr
bench_bench_pclr_SOURCES = bench/bench_pclr.c
bench_bench_pclr_CPPFLAGS = $(AM_CPPFLAGS) $(OPENBLAS_CFLAGS)
bench_bench_pclr_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += bench/bench_pclr$(EXEEXT)
EXTRA_DIST += bench/bench_pclr.sh bench/torch_pclr.py

bench-pclr: bench/bench_pclr$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_pclr.sh
.PHONY: bench-pclr

## bench-linear: the seed's Lasso and ElasticNet grids (10-fold CV, n 6,832,
## p 323) against sklearn's GridSearchCV(n_jobs=2).  Not part of `make check`.
EXTRA_PROGRAMS += bench/bench_linear
bench_bench_linear_SOURCES = bench/bench_linear.c
bench_bench_linear_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += bench/bench_linear$(EXEEXT)
EXTRA_DIST += bench/bench_linear.sh bench/sklearn_linear.py

bench-linear: bench/bench_linear$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_linear.sh
.PHONY: bench-linear

## bench-train: the whole `train --model lasso,elasticnet` command against
## sklearn's GridSearchCV(n_jobs=2), on quickly and slowly converging data.
EXTRA_DIST += bench/bench_train.sh bench/sklearn_train.py
bench-train: ecgfit$(EXEEXT)
	ECGFIT=$(abs_top_builddir)/ecgfit PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_train.sh
.PHONY: bench-train

## bench-xgb: the seed's XGBoost grid through ecgfit against the python
## wrapper (see bench/README.md).  Not built or run by `make check`.
EXTRA_PROGRAMS += bench/bench_xgb
bench_bench_xgb_SOURCES = bench/bench_xgb.c
bench_bench_xgb_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += bench/bench_xgb$(EXEEXT)
EXTRA_DIST += bench/bench_xgb.sh bench/bench_xgb.py

bench-xgb: bench/bench_xgb$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_xgb.sh
.PHONY: bench-xgb

## bench-grid-load: the same grid at --jobs 1 / 2 against GridSearchCV(n_jobs=2),
## quiet and with two busy-looping competitors; then the MLP and linear kinds.
EXTRA_DIST += bench/bench_grid_load.sh
bench-grid-load: bench/bench_xgb$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_grid_load.sh
.PHONY: bench-grid-load

## bench-tui: key-to-redraw latency of the terminal application on 80,000 participants
EXTRA_DIST += bench/bench_tui.sh
bench-tui: ecgfit$(EXEEXT)
	ECGFIT=$(abs_top_builddir)/ecgfit ECGFIT_DATADIR=$(abs_top_srcdir)/share/ecgfit PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_tui.sh
.PHONY: bench-tui

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
