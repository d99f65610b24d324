/* ef_keras_int.h — pieces of the Keras .h5 loader shared between the HDF5
 * part (ef_keras_h5.c, the only one that sees hdf5.h) and the JSON part. */
#ifndef EF_KERAS_INT_H
#define EF_KERAS_INT_H

#include "nn/ef_nn_int.h"

/* Untrusted-input limits. */
#define EF_KERAS_MAX_CONFIG ((size_t)16 << 20)   /* model_config bytes */
#define EF_KERAS_MAX_LAYERS 4096

/* Parse the model_config JSON (Functional/Model or Sequential, Keras 2 or 3)
 * into m->layers, m->nlayers, m->output, m->in_steps, m->in_ch and m->name.
 * Weights are left empty.  Errors name `path` and the layer. */
int ef_keras_parse_config(const char *json, size_t len, const char *path, ef_nn_model *m,
                          ef_error *err);

/* The HDF5 part (libecgfit_h5.a).  open: checks the file, reads the root
 * model_config and keras_version (NULL when absent) as new strings. */
typedef struct ef_keras_h5 ef_keras_h5;
int ef_keras_h5_open(const char *path, ef_keras_h5 **out, char **config, char **keras_version,
                     ef_error *err);
/* Pair the layers that need weights (ef_nn_layer_weights, shapes resolved)
 * with /model_weights by position and read them into layer->w[]. */
int ef_keras_h5_read_weights(ef_keras_h5 *h, ef_nn_model *m, ef_error *err);
void ef_keras_h5_close(ef_keras_h5 *h);

#endif
