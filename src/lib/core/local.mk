## core: errors, allocation, steppable jobs, the thread pool, BLAS thread regions
src_lib_libecgfit_a_SOURCES += \
	src/lib/core/ef_error.c src/lib/core/ef_error.h \
	src/lib/core/ef_alloc.c src/lib/core/ef_alloc.h \
	src/lib/core/ef_job.c src/lib/core/ef_job.h \
	src/lib/core/ef_pool.c src/lib/core/ef_pool.h \
	src/lib/core/ef_blas.c src/lib/core/ef_blas.h \
	src/lib/core/ef_numfmt.c src/lib/core/ef_numfmt.h \
	src/lib/core/ef_str.c src/lib/core/ef_str.h \
	src/lib/core/ef_rng.c src/lib/core/ef_rng.h
