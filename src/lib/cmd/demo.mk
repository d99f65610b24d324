## demo: entries run in sequence as one job, and `ecgfit demo`
src_lib_libecgfit_a_SOURCES += src/lib/cmd/ef_cmd_seq.c src/lib/cmd/ef_cmd_seq.h src/lib/cmd/cmd_demo.c

check_PROGRAMS += tests/unit/test_cmd_seq
tests_unit_test_cmd_seq_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_cmd_seq tests/cli/demo.sh
