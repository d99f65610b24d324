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

check_PROGRAMS += tests/unit/test_core
tests_unit_test_core_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_core

EXTRA_DIST += tests/cli tests/data tests/parity tests/tsan.supp

# The directories above are shipped whole; an in-tree `make check` leaves its
# logs and results in tests/cli, and a shipped .log makes a VPATH build think
# the test already ran.
dist-hook:
	rm -f $(distdir)/tests/cli/*.log $(distdir)/tests/cli/*.trs
	find $(distdir)/tests -name __pycache__ -prune -exec rm -rf {} +

check_PROGRAMS += tests/unit/test_job_threads
tests_unit_test_job_threads_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_job_threads

check_PROGRAMS += tests/unit/test_registry
tests_unit_test_registry_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_registry

check_PROGRAMS += tests/unit/test_labels
tests_unit_test_labels_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_labels

## command-line tests (black box, golden files)
TESTS += tests/cli/basics.sh tests/cli/bad_input.sh tests/cli/funnel.sh tests/cli/parity_pandas.sh \
	tests/cli/real_extract.sh tests/cli/store_size.sh tests/cli/golden.sh tests/cli/tui.sh tests/cli/tui_ecg.sh

## TUI drawing without curses: the Braille canvas and the ECG layout
check_PROGRAMS += tests/unit/test_canvas
tests_unit_test_canvas_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src
tests_unit_test_canvas_LDADD = src/tui/libecgfit_tui.a $(TEST_LDADD)
TESTS += tests/unit/test_canvas
check_PROGRAMS += tests/unit/test_ecg_view
tests_unit_test_ecg_view_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_ecg_view
