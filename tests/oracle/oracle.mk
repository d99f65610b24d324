## tests/oracle: the independent Keras-semantics oracle (tfjs + h5wasm from npm,
## pinned by package-lock.json).  `make check-oracle` runs it; `make check`
## does not (it needs node, npm and the npm registry or a warm cache).
EXTRA_PROGRAMS += tests/oracle/nn_apply
tests_oracle_nn_apply_SOURCES = tests/oracle/nn_apply.c
tests_oracle_nn_apply_LDADD = src/lib/libecgfit_blas.a $(LIBECGFIT) $(LIBECGFIT_DEPS)
CLEANFILES += tests/oracle/nn_apply$(EXEEXT) tests/oracle/run.log tests/oracle/run.rc
EXTRA_DIST += tests/oracle/run.sh tests/oracle/keras_oracle.mjs tests/oracle/package.json \
	tests/oracle/package-lock.json

## TAP on the terminal and in tests/oracle/run.log; fails on any "not ok".
## ECGFIT_ORACLE_REQUIRED=1 turns a missing node/npm or a failed install into
## a failure instead of a skip (CI sets it).
check-oracle: ecgfit$(EXEEXT) tests/oracle/nn_apply$(EXEEXT)
	@$(MKDIR_P) tests/oracle
	@$(AM_TESTS_ENVIRONMENT) \
	{ $(SHELL) $(srcdir)/tests/oracle/run.sh 2>&1; echo $$? > tests/oracle/run.rc; } \
	  | tee tests/oracle/run.log; \
	rc=`cat tests/oracle/run.rc`; \
	if grep -q '^not ok' tests/oracle/run.log; then rc=1; fi; \
	if [ "$$rc" = 0 ]; then echo "check-oracle: PASS"; else echo "check-oracle: FAIL"; fi; \
	exit $$rc
.PHONY: check-oracle
