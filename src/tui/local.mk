## tui: the curses front end, in its own library so NCURSES_CFLAGS stay here
noinst_LIBRARIES += src/tui/libecgfit_tui.a
src_tui_libecgfit_tui_a_SOURCES = src/tui/tui.h src/tui/tui_main.c src/tui/tui_app.c src/tui/tui_app.h \
	src/tui/tui_screen.h src/tui/tui_curses.h src/tui/tui_crt.c src/tui/tui_crt.h \
	src/tui/tui_keymap.c src/tui/tui_keymap.h src/tui/tui_draw.c src/tui/tui_draw.h src/tui/tui_screens.c \
	src/tui/tui_bg.c src/tui/tui_bg.h src/tui/tui_job.c src/tui/tui_job.h src/tui/tui_log.c src/tui/tui_log.h src/tui/tui_stage.h \
	src/tui/tui_prompt.c src/tui/tui_prompt.h src/tui/tui_gfx.c src/tui/tui_gfx.h \
	src/tui/screen_project.c src/tui/screen_pipeline.c src/tui/screen_ecg.c \
	src/tui/screen_models.c src/tui/screen_result.c src/tui/screen_tables.c \
	src/tui/tui_cmdq.c src/tui/tui_cmdq.h src/tui/tui_result.h src/tui/screen_help.c src/tui/screen_log.c
src_tui_libecgfit_tui_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src $(NCURSES_CFLAGS)
## curses-free drawing (unit-tested without a terminal)
src_tui_libecgfit_tui_a_SOURCES += src/tui/tui_canvas.c src/tui/tui_canvas.h src/tui/tui_ecg_plot.c src/tui/tui_ecg_plot.h

## TUI drawing without curses: the Braille canvas and the ECG layout
check_PROGRAMS += tests/unit/test_canvas
tests_unit_test_canvas_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src
tests_unit_test_canvas_LDADD = src/tui/libecgfit_tui.a $(TEST_LDADD)
TESTS += tests/unit/test_canvas

## the bottom line's editor and the sixel helpers
check_PROGRAMS += tests/unit/test_tui_prompt
tests_unit_test_tui_prompt_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src $(NCURSES_CFLAGS)
tests_unit_test_tui_prompt_LDADD = src/tui/libecgfit_tui.a $(TEST_LDADD) $(NCURSES_LIBS)
TESTS += tests/unit/test_tui_prompt
