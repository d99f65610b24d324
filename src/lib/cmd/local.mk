## cmd: the one command table (entries, parser, help, output sink)
src_lib_libecgfit_a_SOURCES += \
	src/lib/cmd/ef_cmd.c src/lib/cmd/ef_cmd.h src/lib/cmd/ef_cmds.h src/lib/cmd/ef_cmd_table.c \
	src/lib/cmd/ef_cmds.c src/lib/cmd/cmd_stage.c src/lib/cmd/cmd_init.c src/lib/cmd/cmd_labels.c src/lib/cmd/cmd_preprocess.c \
	src/lib/cmd/cmd_embed.c src/lib/cmd/cmd_merge.c src/lib/cmd/cmd_train.c src/lib/cmd/cmd_predict.c src/lib/cmd/cmd_replicate.c \
	src/lib/cmd/cmd_report.c src/lib/cmd/cmd_synth.c \
	src/lib/cmd/cmd_export.c src/lib/cmd/cmd_export_ecg.c src/lib/cmd/cmd_import.c src/lib/cmd/cmd_encoder.c
