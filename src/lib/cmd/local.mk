## cmd: the one command table (entries, parser, help, output sink): the top
## of the library, above every module; the front ends (src/cli, src/tui) sit on it.
noinst_LIBRARIES += src/lib/cmd/libef_cmd.a
src_lib_cmd_libef_cmd_a_CPPFLAGS = $(AM_CPPFLAGS)
src_lib_cmd_libef_cmd_a_SOURCES = \
	src/lib/cmd/ef_cmd.c src/lib/cmd/ef_cmd.h src/lib/cmd/ef_cmds.h src/lib/cmd/ef_cmd_table.c \
	src/lib/cmd/ef_cmds.c src/lib/cmd/ef_cmdline.c src/lib/cmd/ef_cmdline.h src/lib/cmd/cmd_stage.c src/lib/cmd/cmd_init.c src/lib/cmd/cmd_labels.c src/lib/cmd/cmd_preprocess.c \
	src/lib/cmd/cmd_embed.c src/lib/cmd/cmd_merge.c src/lib/cmd/cmd_slurm.c src/lib/cmd/cmd_train.c src/lib/cmd/cmd_predict.c src/lib/cmd/cmd_replicate.c \
	src/lib/cmd/cmd_report.c src/lib/cmd/cmd_synth.c src/lib/cmd/cmd_tui.c \
	src/lib/cmd/cmd_table1.c src/lib/cmd/cmd_summary.c src/lib/cmd/cmd_cohort.h \
	src/lib/cmd/cmd_export.c src/lib/cmd/cmd_export_ecg.c src/lib/cmd/cmd_import.c src/lib/cmd/cmd_encoder.c \
	src/lib/cmd/ef_cmd_seq.c src/lib/cmd/ef_cmd_seq.h src/lib/cmd/cmd_demo.c \
	src/lib/cmd/cmd_plot.c

check_PROGRAMS += tests/unit/test_cmdline
tests_unit_test_cmdline_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_cmdline

check_PROGRAMS += tests/unit/test_cmd_seq
tests_unit_test_cmd_seq_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_cmd_seq tests/cli/demo.sh
