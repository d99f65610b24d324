## nn: embed — the embed stage (encoder over /ecg, part files per embeddings
## name, fold into /embeddings/NAME), `ecgfit embed`, `export embeddings`
src_lib_libecgfit_a_SOURCES += \
	src/lib/pipeline/ef_embed_stage.c src/lib/pipeline/ef_embed_stage.h \
	src/lib/pipeline/ef_emb_parts.c src/lib/pipeline/ef_emb_parts.h
## the stage (in libecgfit.a) calls the runner (libecgfit_blas.a), which
## calls core: blas after libecgfit, then libecgfit again
ecgfit_LDADD += src/lib/libecgfit_blas.a $(LIBECGFIT) $(LIBECGFIT_DEPS)

check_PROGRAMS += tests/unit/test_embed_stage
tests_unit_test_embed_stage_LDADD = tests/libtap.a $(LIBECGFIT) src/lib/libecgfit_blas.a $(LIBECGFIT) \
	$(LIBECGFIT_DEPS)
TESTS += tests/unit/test_embed_stage tests/cli/embed.sh
