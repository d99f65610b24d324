## tui: the curses front end, in its own library so NCURSES_CFLAGS stay here
noinst_LIBRARIES += src/tui/libecgfit_tui.a
src_tui_libecgfit_tui_a_SOURCES = src/tui/tui.h src/tui/tui_main.c
src_tui_libecgfit_tui_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src $(NCURSES_CFLAGS)
## curses-free drawing (unit-tested without a terminal)
src_tui_libecgfit_tui_a_SOURCES += src/tui/tui_canvas.c src/tui/tui_canvas.h
