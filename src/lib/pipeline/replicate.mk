## pipeline: replicate — Khurshid's fixed models and the reference equations
## (model/ef_fixed), the replicate stage, and `import embeddings|labels`.
src_lib_libecgfit_a_SOURCES += \
	src/lib/model/ef_fixed.c src/lib/model/ef_fixed.h \
	src/lib/pipeline/ef_replicate.c src/lib/pipeline/ef_replicate.h \
	src/lib/pipeline/ef_import.c src/lib/pipeline/ef_import.h

check_PROGRAMS += tests/unit/test_fixed
tests_unit_test_fixed_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_fixed tests/cli/replicate.sh tests/cli/import.sh
EXTRA_DIST += tests/parity/seed_replicate.py
