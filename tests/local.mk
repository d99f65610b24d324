## tests: TAP unit programs (tests/unit/test_*.c) and CLI scripts (tests/cli/*.sh)

TAP_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
LOG_DRIVER = $(TAP_DRIVER)
SH_LOG_DRIVER = $(TAP_DRIVER)
TEST_EXTENSIONS = .sh
## Tests run in a clean environment: fixed locale, no user config, data files
## from the source tree, the built binary first on PATH.  `make check
## ECGFIT_TEST_LOCALE=de_DE.UTF-8` runs ecgfit in the command-line tests
## under that LC_ALL instead of C (see tests/cli/lib.sh): outputs must not
## change.
ECGFIT_TEST_LOCALE = C
AM_TESTS_ENVIRONMENT = \
	export LC_ALL=C ECGFIT_TEST_LOCALE='$(ECGFIT_TEST_LOCALE)' TERM=dumb ECGFIT_PROGRESS=off \
	  ECGFIT_DATADIR='$(abs_top_srcdir)/share/ecgfit' \
	  ECGFIT_BIN='$(abs_top_builddir)/ecgfit' PYTHON3='$(PYTHON3)' \
	  top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)'; \
	unset ECGFIT_CONFIG ECGFIT_PROJECT COLUMNS;

check_LIBRARIES += tests/libtap.a
tests_libtap_a_SOURCES = tests/tap.c tests/tap.h
tests_libtap_a_CPPFLAGS = $(AM_CPPFLAGS)

TEST_LDADD = tests/libtap.a $(LIBECGFIT) $(LIBECGFIT_DEPS)


EXTRA_DIST += tests/cli tests/data tests/parity tests/tsan.supp tests/slurm

# The directories above are shipped whole; an in-tree `make check` leaves its
# logs and results in tests/cli, and a shipped .log makes a VPATH build think
# the test already ran.
dist-hook:
	rm -f $(distdir)/tests/cli/*.log $(distdir)/tests/cli/*.trs
	find $(distdir)/tests -name __pycache__ -prune -exec rm -rf {} +




## command-line tests (black box, golden files)
TESTS += tests/cli/basics.sh tests/cli/bad_input.sh tests/cli/funnel.sh tests/cli/parity_pandas.sh tests/cli/table1.sh \
	tests/cli/real_extract.sh tests/cli/store_size.sh tests/cli/golden.sh tests/cli/tui.sh tests/cli/tui_ecg.sh \
	tests/cli/tui_models.sh tests/cli/tui_tables.sh

## tests/oracle: the independent Keras-semantics oracle (tfjs + h5wasm from npm,
## pinned by package-lock.json).  `make check-oracle` runs it; `make check`
## does not (it needs node, npm and the npm registry or a warm cache).
EXTRA_PROGRAMS += tests/oracle/nn_apply
tests_oracle_nn_apply_SOURCES = tests/oracle/nn_apply.c
tests_oracle_nn_apply_LDADD = $(LIBECGFIT) $(LIBECGFIT_DEPS)
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
