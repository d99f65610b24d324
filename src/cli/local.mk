## cli: the batch front end
ecgfit_SOURCES += \
	src/cli/cli.h src/cli/cli_main.c src/cli/cli_progress.c src/cli/cli_table.c \
	src/cli/cli_run.c
