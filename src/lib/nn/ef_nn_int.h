/* ef_nn_int.h — the model representation shared by the loader (ef_keras_*.c),
 * the runner (ef_nn_run.c and kernels) and the writer.  Not public. */
#ifndef EF_NN_INT_H
#define EF_NN_INT_H

#include "nn/ef_nn.h"

#define EF_NN_MAX_INPUTS 16
#define EF_NN_MAX_WEIGHTS 4

enum ef_nn_op {
    EF_NN_INPUT, EF_NN_CONV1D, EF_NN_BN, EF_NN_ACTIVATION, EF_NN_RELU, EF_NN_ADD, EF_NN_CONCAT,
    EF_NN_MAXPOOL, EF_NN_AVGPOOL, EF_NN_GAP, EF_NN_GMP, EF_NN_DENSE, EF_NN_DROPOUT, EF_NN_FLATTEN,
    EF_NN_ZEROPAD
};

enum ef_nn_act {
    EF_ACT_LINEAR, EF_ACT_RELU, EF_ACT_SIGMOID, EF_ACT_TANH, EF_ACT_SOFTMAX, EF_ACT_ELU,
    EF_ACT_SWISH, EF_ACT_GELU, EF_ACT_GELU_TANH
};

enum ef_nn_pad { EF_PAD_VALID, EF_PAD_SAME, EF_PAD_CAUSAL };

typedef struct ef_nn_layer {
    char *name, *class_name;
    int op;                          /* enum ef_nn_op */
    int inputs[EF_NN_MAX_INPUTS];    /* indices of earlier layers (topological order) */
    int ninputs;
    int rank;                        /* output rank without batch: 2 = [steps, ch], 1 = [ch] */
    size_t steps, ch;                /* output shape (steps = 1 when rank 1) */
    /* Conv1D / pooling */
    int kernel, stride, dilation, padding;   /* padding: enum ef_nn_pad */
    int pad_left, pad_right;         /* resolved for the model's input length (TF SAME split) */
    int filters, use_bias;
    int act;                         /* fused activation (Conv1D, Dense, Activation layer) */
    /* ReLU layer arguments (Keras ReLU): max_value (<0: none), negative_slope, threshold */
    double relu_max, relu_slope, relu_threshold;
    double elu_alpha;
    /* BatchNormalization */
    double epsilon;
    int center, scale;
    /* Concatenate axis (normalised to 0-based over [steps, ch]: 1 = channels) */
    int axis;
    /* weights, float32, in Keras order and layout:
     * Conv1D kernel [k][cin][cout], bias [cout]; Dense kernel [in][out], bias [out];
     * BN gamma, beta, moving_mean, moving_variance (gamma/beta absent when !scale/!center) */
    float *w[EF_NN_MAX_WEIGHTS];
    size_t wlen[EF_NN_MAX_WEIGHTS];
    int nw;
    size_t params;
    double flops;
} ef_nn_layer;

struct ef_nn_model {
    ef_nn_layer *layers;
    size_t nlayers;
    int output;                      /* index of the output layer */
    size_t in_steps, in_ch;
    size_t params;
    double flops;
    char *name, *keras_version, *path;
    char sha256[65];
};

/* Resolve output shapes, padding splits, params and FLOPs for the model's
 * input length (loader calls it after filling layers; the writer too). */
int ef_nn_model_finish(ef_nn_model *m, ef_error *err);

/* Output shapes and padding splits only (no weights needed): what the loader
 * checks weight shapes against before reading them.  ef_nn_model_finish
 * calls it too. */
int ef_nn_model_shapes(ef_nn_model *m, ef_error *err);

/* The weights layer i must carry, in h5 order, once shapes are resolved:
 * name ("kernel", "bias", "gamma", ...), rank, dims and element count.
 * Returns how many (0 for weightless layers). */
typedef struct ef_nn_wspec {
    const char *name;
    int rank;
    size_t dim[3];
    size_t len;
} ef_nn_wspec;
int ef_nn_layer_weights(const ef_nn_model *m, size_t i, ef_nn_wspec spec[EF_NN_MAX_WEIGHTS]);

/* Set the input length of a model (needed when its config leaves the steps
 * open) and re-resolve shapes, params and FLOPs. */
int ef_nn_model_set_input_steps(ef_nn_model *m, size_t steps, ef_error *err);

#endif
