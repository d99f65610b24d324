## bench-pclr: the inference engine on the full PCLR architecture against
## OpenBLAS's sgemm peak and PyTorch (Debian's python3-torch), same threads.
EXTRA_PROGRAMS += bench/bench_pclr
bench_bench_pclr_SOURCES = bench/bench_pclr.c
bench_bench_pclr_CPPFLAGS = $(AM_CPPFLAGS) $(OPENBLAS_CFLAGS)
bench_bench_pclr_LDADD = src/lib/libecgfit_blas.a $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += bench/bench_pclr$(EXEEXT)
EXTRA_DIST += bench/bench_pclr.sh bench/torch_pclr.py

bench-pclr: bench/bench_pclr$(EXEEXT)
	BENCH_BIN=$(abs_top_builddir)/bench PYTHON3='$(PYTHON3)' \
	  $(SHELL) $(top_srcdir)/bench/bench_pclr.sh
.PHONY: bench-pclr
