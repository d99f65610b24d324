## store: the HDF5 project store (atomic commit, compaction, the writer lock
## and generation, part files and virtual datasets), NPY files and the
## project config (ecgfit.ini).  Depends on core.
noinst_LIBRARIES += src/lib/store/libef_store.a
src_lib_store_libef_store_a_CPPFLAGS = $(AM_CPPFLAGS) $(HDF5_CFLAGS) $(PTHREAD_CFLAGS)
src_lib_store_libef_store_a_SOURCES = \
	src/lib/store/ef_store.c src/lib/store/ef_store.h src/lib/store/ef_h5.h \
	src/lib/store/ef_store_vds.c src/lib/store/ef_store_vds.h \
	src/lib/store/ef_store_lock.c src/lib/store/ef_store_lock.h \
	src/lib/store/ef_project.c src/lib/store/ef_project.h \
	src/lib/store/ef_npy.c src/lib/store/ef_npy.h

check_PROGRAMS += tests/unit/test_store tests/unit/test_project
tests_unit_test_store_LDADD = $(TEST_LDADD)
tests_unit_test_project_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_store tests/unit/test_project tests/cli/store_h5py.sh tests/cli/store_lock.sh
