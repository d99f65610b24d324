## ecg: ECG file discovery (the XML reader and preprocessing come with the ECG stage)
src_lib_libecgfit_a_SOURCES += src/lib/ecg/ef_ecg_files.c src/lib/ecg/ef_ecg_files.h
