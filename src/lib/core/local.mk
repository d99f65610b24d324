## core: errors, allocation, steppable jobs, the thread pool, BLAS thread
## regions, locale-proof numbers, the RNG, eid joins.
## Depends on nothing of ecgfit; every other module sits on it.
noinst_LIBRARIES += src/lib/core/libef_core.a
src_lib_core_libef_core_a_CPPFLAGS = $(AM_CPPFLAGS) $(PTHREAD_CFLAGS)
src_lib_core_libef_core_a_SOURCES = \
	src/lib/core/ef_error.c src/lib/core/ef_error.h \
	src/lib/core/ef_alloc.c src/lib/core/ef_alloc.h \
	src/lib/core/ef_job.c src/lib/core/ef_job.h \
	src/lib/core/ef_pool.c src/lib/core/ef_pool.h \
	src/lib/core/ef_blas.c src/lib/core/ef_blas.h src/lib/core/ef_clones.h \
	src/lib/core/ef_numfmt.c src/lib/core/ef_numfmt.h \
	src/lib/core/ef_str.c src/lib/core/ef_str.h \
	src/lib/core/ef_rng.c src/lib/core/ef_rng.h \
	src/lib/core/ef_eid.c src/lib/core/ef_eid.h

check_PROGRAMS += tests/unit/test_core tests/unit/test_job_threads
tests_unit_test_core_LDADD = $(TEST_LDADD)
tests_unit_test_job_threads_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_core tests/unit/test_job_threads
