/* ef_keras_write.h — a Keras-format .h5 described in memory and its writer
 * (ef_keras_write.c, the only writer file that sees hdf5.h), plus the PCLR
 * description builder (ef_pclr_arch.c).  Not public: ef_nn_write_pclr() in
 * ef_nn.h is the entry point for everyone else. */
#ifndef EF_KERAS_WRITE_H
#define EF_KERAS_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

/* One weight dataset: /model_weights/<layer>/<name>, float32, C order. */
typedef struct ef_kw_var {
    char *name;              /* e.g. "conv1d/kernel:0" (the '/' makes a subgroup) */
    int rank;
    size_t dims[3];
    float *data;             /* owned */
} ef_kw_var;

typedef struct ef_kw_layer {
    char *name;
    ef_kw_var *vars;         /* h5 order: trainable, then non-trainable */
    int nvars;
} ef_kw_layer;

typedef struct ef_kw_model {
    char *model_config;      /* JSON text of {"class_name": ..., "config": ...} */
    char *keras_version;     /* "2.4.0" */
    char *backend;           /* "tensorflow" */
    ef_kw_layer *layers;     /* model.layers order = layer_names order */
    size_t nlayers;
    /* Not NULL: root attribute "ecgfit_synthetic" with this text, marking
     * weights that are not a trained network's (front ends say so). */
    const char *synthetic;
} ef_kw_model;

void ef_kw_model_free(ef_kw_model *m);

/* String storage.  The default follows what tf.keras 2.4 + h5py 3 writes
 * (keras-h5.md §2): root keras_version/backend variable-length UTF-8,
 * everything else variable-length ASCII. */
enum {
    EF_KW_ALL_UTF8 = 1,      /* every string attribute variable-length UTF-8 */
    EF_KW_FIXED_NAMES = 2    /* layer_names/weight_names fixed-length NULLPAD (h5py 2) */
};

/* Write m to path atomically ("<path>.tmp-<pid>", then rename).  No
 * timestamps are stored, so equal models give byte-identical files. */
int ef_keras_write(const char *path, const ef_kw_model *m, unsigned flags, ef_error *err);

/* PCLR filter counts for a width scale: {stem, unit1..unit4}. */
void ef_pclr_filters(double width_scale, int filters[5]);

/* Describe the PCLR network (reference/pclr-model-config.json, filter counts
 * scaled, input [input_steps, 12]) with seeded weights and calibrated BN
 * statistics.  input_steps 0 means 4096. */
int ef_pclr_build(double width_scale, size_t input_steps, uint64_t seed, ef_kw_model *out,
                  ef_error *err);
/* The same build a bounded piece at a time (a job's steps): new makes the
 * weights and the calibration input, each step calibrates one layer
 * (EF_CONTINUE while more remain, then EF_OK); out is complete then.  Free
 * the builder either way; out is the caller's (ef_kw_model_free). */
typedef struct ef_pclr_builder ef_pclr_builder;
int ef_pclr_builder_new(ef_pclr_builder **b, double width_scale, size_t input_steps, uint64_t seed,
                        ef_kw_model *out, ef_error *err);
int ef_pclr_builder_step(ef_pclr_builder *b);
void ef_pclr_builder_free(ef_pclr_builder *b);

#endif
