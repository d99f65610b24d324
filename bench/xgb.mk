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
