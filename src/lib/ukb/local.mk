## ukb: registry, column names, labels
src_lib_libecgfit_a_SOURCES += \
	src/lib/ukb/ef_ukbcol.c src/lib/ukb/ef_ukbcol.h \
	src/lib/ukb/ef_registry.c src/lib/ukb/ef_registry.h \
	src/lib/ukb/ef_names.c src/lib/ukb/ef_names.h
