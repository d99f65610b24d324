/* ef_nn.h — Keras .h5 encoders (PCLR and friends) read and run in C.
 *
 * ef_nn_load_keras() reads a Keras 2.x / Keras 3 legacy .h5 file: the
 * model_config JSON (Functional or Sequential) and the float32 weights, and
 * checks every shape against the config before allocating.  A runner plans
 * the activation memory once for a batch size and thread count and then
 * embeds ECGs with no allocation per ECG. */
#ifndef EF_NN_H
#define EF_NN_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

typedef struct ef_nn_model ef_nn_model;
typedef struct ef_nn_runner ef_nn_runner;

/* Load a model.  Errors name the file, and for config/weight problems the
 * layer, its class and what was expected. */
int ef_nn_load_keras(const char *path, ef_nn_model **out, ef_error *err);
void ef_nn_model_free(ef_nn_model *m);

/* Input [steps, channels] (steps 0 when the model leaves it open), output size. */
size_t ef_nn_input_steps(const ef_nn_model *m);
size_t ef_nn_input_channels(const ef_nn_model *m);
size_t ef_nn_output_size(const ef_nn_model *m);
size_t ef_nn_param_count(const ef_nn_model *m);
/* FLOPs (2 per multiply-add) for one input of the model's input length. */
double ef_nn_flops(const ef_nn_model *m);
/* sha256 of the file, hex. */
const char *ef_nn_sha256(const ef_nn_model *m);
const char *ef_nn_keras_version(const ef_nn_model *m);
const char *ef_nn_name(const ef_nn_model *m);

/* One row of `ecgfit encoder info`. */
typedef struct ef_nn_layer_info {
    const char *name, *class_name;
    char inputs[256];      /* comma-separated input layer names */
    char shape[48];        /* "4096x64" or "320" */
    char detail[128];      /* "k=16 s=1 same, relu", "eps=0.001", ... */
    size_t params;
    double flops;
} ef_nn_layer_info;
size_t ef_nn_layer_count(const ef_nn_model *m);
void ef_nn_layer_get(const ef_nn_model *m, size_t i, ef_nn_layer_info *info);
/* Index of a layer by name, -1 if absent. */
long ef_nn_layer_find(const ef_nn_model *m, const char *name);

/* Plan memory for batches of up to `batch` inputs on `threads` threads
 * (0 = all cores).  The runner borrows the model. */
int ef_nn_runner_new(const ef_nn_model *m, size_t batch, int threads, ef_nn_runner **out, ef_error *err);
/* The same on a job's pool (core/ef_pool.h): its workers and the caller. */
struct ef_pool;
int ef_nn_runner_new_pool(const ef_nn_model *m, size_t batch, struct ef_pool *pool, ef_nn_runner **out,
                          ef_error *err);
void ef_nn_runner_free(ef_nn_runner *r);
/* in: n x steps x channels float32 (row-major, channels last, as Keras);
 * out: n x output_size.  n <= batch. */
int ef_nn_run(ef_nn_runner *r, const float *in, size_t n, float *out, ef_error *err);
/* The same, returning the output of layer `layer` (any layer; its size is
 * ef_nn_layer_output_size) instead of the model's output. */
size_t ef_nn_layer_output_size(const ef_nn_model *m, size_t layer);
int ef_nn_run_to(ef_nn_runner *r, const float *in, size_t n, size_t layer, float *out, ef_error *err);

/* Write a Keras-format .h5 with the PCLR architecture (reference/
 * pclr-model-config.json), filter counts scaled by width_scale (1.0 = PCLR),
 * seeded He-normal weights and plausible BN statistics. */
int ef_nn_write_pclr(const char *path, double width_scale, size_t input_steps, uint64_t seed, ef_error *err);

#endif
