## pipeline: stages as steppable jobs
src_lib_libecgfit_a_SOURCES += src/lib/pipeline/ef_labels.c src/lib/pipeline/ef_labels.h \
	src/lib/pipeline/ef_synth_stage.c src/lib/pipeline/ef_synth_stage.h \
	src/lib/pipeline/ef_export.c src/lib/pipeline/ef_export_ecg.c src/lib/pipeline/ef_export_emb.c \
	src/lib/pipeline/ef_export.h src/lib/pipeline/ef_status.c src/lib/pipeline/ef_status.h
## one ECG at a time and the list of participants with one, for viewers
src_lib_libecgfit_a_SOURCES += src/lib/pipeline/ef_ecg_view.c src/lib/pipeline/ef_ecg_view.h
