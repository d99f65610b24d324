## store: the HDF5 project store (only ef_store.c sees hdf5.h) and the
## project config (ecgfit.ini)
src_lib_libecgfit_h5_a_SOURCES += \
	src/lib/store/ef_store.c src/lib/store/ef_store.h src/lib/store/ef_h5.h
src_lib_libecgfit_a_SOURCES += \
	src/lib/store/ef_project.c src/lib/store/ef_project.h \
	src/lib/store/ef_store_lock.c src/lib/store/ef_store_lock.h \
	src/lib/store/ef_npy.c src/lib/store/ef_npy.h

check_PROGRAMS += tests/unit/test_store tests/unit/test_project
tests_unit_test_store_LDADD = $(TEST_LDADD)
tests_unit_test_project_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_store tests/unit/test_project tests/cli/store_h5py.sh tests/cli/store_lock.sh
