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
