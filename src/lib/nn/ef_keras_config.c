/* ef_keras_config.c — Keras model_config JSON → ef_nn_layer list.
 *
 * Accepts Functional ("Functional"/"Model") and Sequential configs as Keras
 * 2.x, tf.keras and Keras 3's legacy h5 writer emit them (keras-h5.md §4):
 * both inbound_nodes styles, batch_input_shape / batch_shape, DTypePolicy
 * dicts, kernel sizes as [k] or k.  Shapes are resolved later
 * (ef_nn_model_shapes); here each layer's arguments are range-checked. */
#include "config.h"
#include "nn/ef_keras_int.h"
#include "core/ef_alloc.h"
#include "nn/ef_sha256.h"

#include <jansson.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 65536          /* filters, kernel, strides, channels, units */
#define MAX_STEPS (1u << 24)   /* input length */

static const char supported[] =
    "InputLayer, Conv1D, BatchNormalization, Activation, ReLU, LeakyReLU, ELU, Softmax, Add, "
    "Concatenate, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, "
    "Dense, Dropout, SpatialDropout1D, GaussianDropout, GaussianNoise, Flatten, ZeroPadding1D";

static const struct { const char *cls; int op; } classes[] = {
    { "InputLayer", EF_NN_INPUT }, { "Conv1D", EF_NN_CONV1D },
    { "BatchNormalization", EF_NN_BN }, { "Activation", EF_NN_ACTIVATION },
    { "ReLU", EF_NN_RELU }, { "LeakyReLU", EF_NN_RELU }, { "ELU", EF_NN_ACTIVATION },
    { "Softmax", EF_NN_ACTIVATION }, { "Add", EF_NN_ADD }, { "Concatenate", EF_NN_CONCAT },
    { "MaxPooling1D", EF_NN_MAXPOOL }, { "MaxPool1D", EF_NN_MAXPOOL },
    { "AveragePooling1D", EF_NN_AVGPOOL }, { "AvgPool1D", EF_NN_AVGPOOL },
    { "GlobalAveragePooling1D", EF_NN_GAP }, { "GlobalAvgPool1D", EF_NN_GAP },
    { "GlobalMaxPooling1D", EF_NN_GMP }, { "GlobalMaxPool1D", EF_NN_GMP },
    { "Dense", EF_NN_DENSE }, { "Dropout", EF_NN_DROPOUT }, { "SpatialDropout1D", EF_NN_DROPOUT },
    { "GaussianDropout", EF_NN_DROPOUT }, { "GaussianNoise", EF_NN_DROPOUT },
    { "Flatten", EF_NN_FLATTEN }, { "ZeroPadding1D", EF_NN_ZEROPAD },
};

typedef struct pctx {
    const char *path;
    ef_error *err;
    const char *name, *cls;    /* the layer being parsed, for messages */
} pctx;

static int lfail(pctx *c, int code, const char *fmt, ...) EF_PRINTF(3, 4);

/* "layer 'NAME' (CLASS): message" (just the message outside a layer). */
static int lfail(pctx *c, int code, const char *fmt, ...)
{
    char msg[EF_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->name)
        return ef_error_set_at(c->err, code, c->path, 0, 0, "model_config: layer '%.200s' (%.100s): %s",
                               c->name, c->cls, msg);
    return ef_error_set_at(c->err, code, c->path, 0, 0, "model_config: %s", msg);
}

/* ------------------------------------------------------------ values */

/* An integer argument written as n or [n]; absent → def. */
static int get_int(pctx *c, json_t *cfg, const char *key, long def, long min, long max, long *out)
{
    json_t *v = json_object_get(cfg, key);

    if (json_is_array(v) && json_array_size(v) == 1)
        v = json_array_get(v, 0);
    if (!v || json_is_null(v)) {
        *out = def;
        return EF_OK;
    }
    if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
        fabs(json_real_value(v)) < 1e15)
        *out = (long)json_real_value(v);
    else if (json_is_integer(v))
        *out = json_integer_value(v) > max ? max + 1
             : json_integer_value(v) < min ? min - 1 : (long)json_integer_value(v);
    else
        return lfail(c, EF_EPARSE, "'%s' is not an integer (or a list of one)", key);
    if (*out < min || *out > max)
        return lfail(c, EF_EDATA, "'%s' must be in [%ld, %ld]", key, min, max);
    return EF_OK;
}

static int get_bool(pctx *c, json_t *cfg, const char *key, int def, int *out)
{
    json_t *v = json_object_get(cfg, key);

    if (!v || json_is_null(v))
        *out = def;
    else if (json_is_boolean(v))
        *out = json_is_true(v);
    else
        return lfail(c, EF_EPARSE, "'%s' is not true/false", key);
    return EF_OK;
}

static int get_real(pctx *c, json_t *cfg, const char *key, double def, double *out)
{
    json_t *v = json_object_get(cfg, key);

    if (!v || json_is_null(v))
        *out = def;
    else if (json_is_number(v))
        *out = json_number_value(v);
    else
        return lfail(c, EF_EPARSE, "'%s' is not a number", key);
    if (!isfinite(*out))
        return lfail(c, EF_EDATA, "'%s' is not finite", key);
    return EF_OK;
}

/* A string argument; absent → def. */
static int get_str(pctx *c, json_t *cfg, const char *key, const char *def, const char **out)
{
    json_t *v = json_object_get(cfg, key);

    if (!v || json_is_null(v))
        *out = def;
    else if (json_is_string(v))
        *out = json_string_value(v);
    else
        return lfail(c, EF_EPARSE, "'%s' is not a string", key);
    return EF_OK;
}

static int check_data_format(pctx *c, json_t *cfg)
{
    const char *df = NULL;
    int rc = get_str(c, cfg, "data_format", "channels_last", &df);

    if (rc == EF_OK && strcmp(df, "channels_last") != 0)
        return lfail(c, EF_EUNSUP, "data_format '%.40s' is not supported (only channels_last)", df);
    return rc;
}

/* dtype "float32", a DTypePolicy dict naming float32, or absent. */
static int check_dtype(pctx *c, json_t *cfg)
{
    json_t *v = json_object_get(cfg, "dtype");
    const char *s = NULL;

    if (!v || json_is_null(v))
        return EF_OK;
    if (json_is_string(v))
        s = json_string_value(v);
    else if (json_is_object(v)) {
        json_t *pc = json_object_get(v, "config");

        s = json_string_value(json_object_get(pc, "name"));
    }
    if (!s)
        return lfail(c, EF_EPARSE, "'dtype' is neither a string nor a DTypePolicy");
    if (strcmp(s, "float32") != 0)
        return lfail(c, EF_EUNSUP, "dtype '%.40s' is not supported (only float32)", s);
    return EF_OK;
}

static const struct { const char *name; int act; } acts[] = {
    { "linear", EF_ACT_LINEAR }, { "relu", EF_ACT_RELU }, { "sigmoid", EF_ACT_SIGMOID },
    { "tanh", EF_ACT_TANH }, { "softmax", EF_ACT_SOFTMAX }, { "elu", EF_ACT_ELU },
    { "swish", EF_ACT_SWISH }, { "silu", EF_ACT_SWISH }, { "gelu", EF_ACT_GELU },
};

/* The "activation" argument: a name, null, or a serialized function
 * ({"class_name": "function", "config": "relu"}, Keras 3). */
static int get_act(pctx *c, json_t *cfg, const char *key, int *out)
{
    json_t *v = json_object_get(cfg, key);
    const char *s = "linear";
    size_t i;

    if (json_is_string(v))
        s = json_string_value(v);
    else if (json_is_object(v)) {
        json_t *fc = json_object_get(v, "config");

        s = json_is_string(fc) ? json_string_value(fc)
            : json_string_value(json_object_get(fc, "name"));
        if (!s)
            return lfail(c, EF_EPARSE, "cannot read '%s'", key);
    } else if (v && !json_is_null(v))
        return lfail(c, EF_EPARSE, "'%s' is not a string", key);
    for (i = 0; i < sizeof acts / sizeof acts[0]; i++)
        if (strcmp(s, acts[i].name) == 0) {
            *out = acts[i].act;
            if (*out == EF_ACT_GELU && json_is_true(json_object_get(cfg, "approximate")))
                *out = EF_ACT_GELU_TANH;
            return EF_OK;
        }
    return lfail(c, EF_EUNSUP,
                 "activation '%.60s' is not supported (supported: linear, relu, sigmoid, tanh, "
                 "softmax, elu, swish, silu, gelu)", s);
}

static int get_padding(pctx *c, json_t *cfg, int causal_ok, int *out)
{
    const char *p = NULL;
    int rc = get_str(c, cfg, "padding", "valid", &p);

    if (rc != EF_OK)
        return rc;
    if (strcmp(p, "valid") == 0)
        *out = EF_PAD_VALID;
    else if (strcmp(p, "same") == 0)
        *out = EF_PAD_SAME;
    else if (causal_ok && strcmp(p, "causal") == 0)
        *out = EF_PAD_CAUSAL;
    else
        return lfail(c, EF_EUNSUP, "padding '%.40s' is not supported (%s)", p,
                     causal_ok ? "valid, same, causal" : "valid, same");
    return EF_OK;
}

/* Axis of BatchNormalization / Concatenate, normalised over [steps, ch]
 * (see ef_nn_int.h): -1 and 2 → 1 (channels), 1 and -2 → 0 (steps; for a
 * rank-1 input ef_nn_model_shapes reads 0 as its only axis). */
static int get_axis(pctx *c, json_t *cfg, int *out)
{
    long a;
    int rc;

    rc = get_int(c, cfg, "axis", -1, -3, 3, &a);
    if (rc != EF_OK)
        return rc;
    if (a == -1 || a == 2)
        *out = 1;
    else if (a == 1 || a == -2)
        *out = 0;
    else
        return lfail(c, EF_EUNSUP, "axis %ld is not supported (the channel axis -1 or 2)", a);
    return EF_OK;
}

/* [null, steps|null, channels] from batch_input_shape (Keras 2) or
 * batch_shape (Keras 3); 0 steps = open length. */
static int get_input_shape(pctx *c, json_t *shape, size_t *steps, size_t *ch)
{
    json_t *s, *ch_v;

    if (!json_is_array(shape) || json_array_size(shape) != 3)
        return lfail(c, EF_EUNSUP, "the input shape must be [batch, steps, channels] (a 1-D signal "
                     "with channels last)");
    s = json_array_get(shape, 1);
    ch_v = json_array_get(shape, 2);
    if (!json_is_integer(ch_v) || json_integer_value(ch_v) < 1 || json_integer_value(ch_v) > MAX_DIM)
        return lfail(c, EF_EDATA, "the input channel count must be an integer in [1, %d]", MAX_DIM);
    if (json_is_null(s))
        *steps = 0;
    else if (json_is_integer(s) && json_integer_value(s) >= 1 &&
             json_integer_value(s) <= (json_int_t)MAX_STEPS)
        *steps = (size_t)json_integer_value(s);
    else
        return lfail(c, EF_EDATA, "the input length must be null or an integer in [1, %u]", MAX_STEPS);
    *ch = (size_t)json_integer_value(ch_v);
    return EF_OK;
}

static json_t *input_shape_of(json_t *cfg)
{
    json_t *v = json_object_get(cfg, "batch_input_shape");

    return v ? v : json_object_get(cfg, "batch_shape");
}

/* ------------------------------------------------------------ layers */

static void layer_defaults(ef_nn_layer *L)
{
    memset(L, 0, sizeof *L);
    L->kernel = L->stride = L->dilation = 1;
    L->padding = EF_PAD_VALID;
    L->act = EF_ACT_LINEAR;
    L->relu_max = -1;
    L->elu_alpha = 1.0;
    L->epsilon = 1e-3;
    L->center = L->scale = 1;
    L->axis = 1;
    L->steps = L->ch = 0;
}

static int parse_args(pctx *c, ef_nn_model *m, ef_nn_layer *L, json_t *cfg)
{
    long v, w;
    int rc = check_dtype(c, cfg);

    if (rc != EF_OK)
        return rc;
    switch (L->op) {
    case EF_NN_INPUT:
        if (json_is_true(json_object_get(cfg, "sparse")) || json_is_true(json_object_get(cfg, "ragged")))
            return lfail(c, EF_EUNSUP, "sparse or ragged inputs are not supported");
        return get_input_shape(c, input_shape_of(cfg), &m->in_steps, &m->in_ch);
    case EF_NN_CONV1D:
        if ((rc = check_data_format(c, cfg)) != EF_OK ||
            (rc = get_int(c, cfg, "filters", -1, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        L->filters = (int)v;
        if ((rc = get_int(c, cfg, "kernel_size", -1, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        L->kernel = (int)v;
        if ((rc = get_int(c, cfg, "strides", 1, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        L->stride = (int)v;
        if ((rc = get_int(c, cfg, "dilation_rate", 1, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        L->dilation = (int)v;
        if ((rc = get_int(c, cfg, "groups", 1, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        if (v != 1)
            return lfail(c, EF_EUNSUP, "grouped convolution (groups=%ld) is not supported", v);
        if ((rc = get_padding(c, cfg, 1, &L->padding)) != EF_OK ||
            (rc = get_act(c, cfg, "activation", &L->act)) != EF_OK)
            return rc;
        return get_bool(c, cfg, "use_bias", 1, &L->use_bias);
    case EF_NN_DENSE:
        if ((rc = get_int(c, cfg, "units", -1, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        L->filters = (int)v;
        if ((rc = get_act(c, cfg, "activation", &L->act)) != EF_OK)
            return rc;
        return get_bool(c, cfg, "use_bias", 1, &L->use_bias);
    case EF_NN_BN: {
        int renorm = 0;

        if ((rc = get_axis(c, cfg, &L->axis)) != EF_OK ||
            (rc = get_real(c, cfg, "epsilon", 1e-3, &L->epsilon)) != EF_OK ||
            (rc = get_bool(c, cfg, "center", 1, &L->center)) != EF_OK ||
            (rc = get_bool(c, cfg, "scale", 1, &L->scale)) != EF_OK ||
            (rc = get_bool(c, cfg, "renorm", 0, &renorm)) != EF_OK)
            return rc;
        if (renorm)
            return lfail(c, EF_EUNSUP, "batch renormalization (renorm=true) is not supported");
        if (L->epsilon < 0)
            return lfail(c, EF_EDATA, "epsilon must not be negative");
        return EF_OK;
    }
    case EF_NN_ACTIVATION:
        if (strcmp(L->class_name, "ELU") == 0) {
            L->act = EF_ACT_ELU;
            return get_real(c, cfg, "alpha", 1.0, &L->elu_alpha);
        }
        if (strcmp(L->class_name, "Softmax") == 0) {
            L->act = EF_ACT_SOFTMAX;
            if ((rc = get_int(c, cfg, "axis", -1, -3, 3, &v)) != EF_OK)
                return rc;
            if (v != -1)
                return lfail(c, EF_EUNSUP, "softmax over axis %ld is not supported (only -1)", v);
            return EF_OK;
        }
        return get_act(c, cfg, "activation", &L->act);
    case EF_NN_RELU:
        L->act = EF_ACT_RELU;
        if (strcmp(L->class_name, "LeakyReLU") == 0) {
            json_t *ns = json_object_get(cfg, "negative_slope");

            return get_real(c, cfg, ns ? "negative_slope" : "alpha", 0.3, &L->relu_slope);
        }
        if ((rc = get_real(c, cfg, "max_value", -1, &L->relu_max)) != EF_OK ||
            (rc = get_real(c, cfg, "negative_slope", 0, &L->relu_slope)) != EF_OK ||
            (rc = get_real(c, cfg, "threshold", 0, &L->relu_threshold)) != EF_OK)
            return rc;
        if (json_is_number(json_object_get(cfg, "max_value")) && L->relu_max < 0)
            return lfail(c, EF_EDATA, "max_value must not be negative");
        return EF_OK;
    case EF_NN_CONCAT:
        if ((rc = get_axis(c, cfg, &L->axis)) != EF_OK)
            return rc;
        return EF_OK;
    case EF_NN_MAXPOOL:
    case EF_NN_AVGPOOL:
        if ((rc = check_data_format(c, cfg)) != EF_OK ||
            (rc = get_int(c, cfg, "pool_size", 2, 1, MAX_DIM, &v)) != EF_OK)
            return rc;
        L->kernel = (int)v;
        if ((rc = get_int(c, cfg, "strides", v, 1, MAX_DIM, &w)) != EF_OK)
            return rc;
        L->stride = (int)w;
        return get_padding(c, cfg, 0, &L->padding);
    case EF_NN_GAP:
    case EF_NN_GMP: {
        int keep = 0;

        if ((rc = check_data_format(c, cfg)) != EF_OK ||
            (rc = get_bool(c, cfg, "keepdims", 0, &keep)) != EF_OK)
            return rc;
        if (keep)
            return lfail(c, EF_EUNSUP, "keepdims=true is not supported");
        return EF_OK;
    }
    case EF_NN_FLATTEN:
        return check_data_format(c, cfg);
    case EF_NN_ZEROPAD: {
        json_t *p = json_object_get(cfg, "padding");

        if (json_is_integer(p))
            v = w = (long)json_integer_value(p);
        else if (json_is_array(p) && json_array_size(p) == 2 &&
                 json_is_integer(json_array_get(p, 0)) && json_is_integer(json_array_get(p, 1))) {
            v = (long)json_integer_value(json_array_get(p, 0));
            w = (long)json_integer_value(json_array_get(p, 1));
        } else if (!p)
            v = w = 1;
        else
            return lfail(c, EF_EPARSE, "'padding' must be an integer or [left, right]");
        if (v < 0 || w < 0 || v > MAX_DIM || w > MAX_DIM)
            return lfail(c, EF_EDATA, "padding must be in [0, %d]", MAX_DIM);
        L->pad_left = (int)v;
        L->pad_right = (int)w;
        return EF_OK;
    }
    default:
        return EF_OK;   /* Add, Dropout and friends take no arguments we use */
    }
}

/* One inbound reference [name, node, tensor(, kwargs)] (Keras 1/2) or a
 * Keras 3 __keras_tensor__ record. */
static int add_ref(pctx *c, json_t *ref, const char ***names, size_t *n)
{
    json_t *hist = ref;

    if (json_is_object(ref)) {
        json_t *tc = json_object_get(ref, "config");

        if (!json_is_string(json_object_get(ref, "class_name")) ||
            strcmp(json_string_value(json_object_get(ref, "class_name")), "__keras_tensor__") != 0)
            return lfail(c, EF_EUNSUP, "a call argument that is not a tensor is not supported");
        hist = json_object_get(tc, "keras_history");
    }
    if (!json_is_array(hist) || json_array_size(hist) < 3 ||
        !json_is_string(json_array_get(hist, 0)) || !json_is_integer(json_array_get(hist, 1)) ||
        !json_is_integer(json_array_get(hist, 2)))
        return lfail(c, EF_EPARSE, "malformed inbound node");
    if (json_integer_value(json_array_get(hist, 1)) != 0 ||
        json_integer_value(json_array_get(hist, 2)) != 0)
        return lfail(c, EF_EUNSUP, "input '%.200s' refers to a second call or output of a layer "
                     "(shared layers and multi-output layers are not supported)",
                     json_string_value(json_array_get(hist, 0)));
    if (*n >= EF_NN_MAX_INPUTS)
        return lfail(c, EF_EUNSUP, "more than %d inputs", EF_NN_MAX_INPUTS);
    (*names)[(*n)++] = json_string_value(json_array_get(hist, 0));
    return EF_OK;
}

/* The input layer names of a Functional layer. */
static int inbound(pctx *c, json_t *nodes, const char **names, size_t *n)
{
    json_t *node, *args, *a0;
    size_t i;
    int rc;

    *n = 0;
    if (!nodes || (json_is_array(nodes) && json_array_size(nodes) == 0))
        return EF_OK;
    if (!json_is_array(nodes))
        return lfail(c, EF_EPARSE, "'inbound_nodes' is not a list");
    if (json_array_size(nodes) > 1)
        return lfail(c, EF_EUNSUP, "the layer is called %zu times (shared layers are not supported)",
                     json_array_size(nodes));
    node = json_array_get(nodes, 0);
    if (json_is_array(node)) {                          /* Keras 1/2 */
        for (i = 0; i < json_array_size(node); i++)
            if ((rc = add_ref(c, json_array_get(node, i), &names, n)) != EF_OK)
                return rc;
        return EF_OK;
    }
    args = json_object_get(node, "args");                /* Keras 3 */
    if (!json_is_array(args) || json_array_size(args) < 1)
        return lfail(c, EF_EPARSE, "malformed inbound node (no 'args')");
    if (json_array_size(args) > 1)
        return lfail(c, EF_EUNSUP, "calls with more than one positional argument are not supported");
    a0 = json_array_get(args, 0);
    if (json_is_array(a0)) {
        for (i = 0; i < json_array_size(a0); i++)
            if ((rc = add_ref(c, json_array_get(a0, i), &names, n)) != EF_OK)
                return rc;
        return EF_OK;
    }
    return add_ref(c, a0, &names, n);
}

static int op_of(const char *cls)
{
    size_t i;

    for (i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (strcmp(cls, classes[i].cls) == 0)
            return classes[i].op;
    return -1;
}

static long find_layer(const ef_nn_model *m, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(m->layers[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Fill m->layers[k] from a layer dict. */
static int parse_layer(pctx *c, ef_nn_model *m, json_t *jl, size_t k)
{
    ef_nn_layer *L = &m->layers[k];
    json_t *cfg = json_object_get(jl, "config");
    const char *cls = json_string_value(json_object_get(jl, "class_name"));
    const char *name = json_string_value(json_object_get(cfg, "name"));

    if (!name)
        name = json_string_value(json_object_get(jl, "name"));
    c->name = NULL;
    if (!json_is_object(jl) || !cls || !json_is_object(cfg) || !name)
        return lfail(c, EF_EPARSE, "layer %zu has no class_name, config or name", k);
    if (strlen(name) > 255)
        return lfail(c, EF_EDATA, "layer %zu has a name longer than 255 bytes", k);
    layer_defaults(L);
    L->name = ef_xstrdup(name);
    L->class_name = ef_xstrdup(cls);
    c->name = L->name;
    c->cls = L->class_name;
    if (find_layer(m, k, name) >= 0)
        return lfail(c, EF_EDATA, "two layers have this name");
    L->op = op_of(cls);
    if (L->op < 0)
        return lfail(c, EF_EUNSUP, "not supported by ecgfit (supported: %s)", supported);
    return parse_args(c, m, L, cfg);
}

static void free_layers(ef_nn_model *m)
{
    size_t i;

    for (i = 0; i < m->nlayers; i++) {
        free(m->layers[i].name);
        free(m->layers[i].class_name);
    }
    free(m->layers);
    m->layers = NULL;
    m->nlayers = 0;
}

/* The layer named by an input_layers/output_layers value: [[name,0,0]] or
 * (Keras 3, single tensor) [name,0,0]. */
static int io_layer(pctx *c, ef_nn_model *m, json_t *v, const char *what, long *out)
{
    json_t *t = v;
    const char *name;

    if (json_is_array(v) && json_array_size(v) >= 1 && json_is_array(json_array_get(v, 0))) {
        if (json_array_size(v) != 1)
            return lfail(c, EF_EUNSUP, "models with %zu %ss are not supported (only one)",
                         json_array_size(v), what);
        t = json_array_get(v, 0);
    }
    name = json_string_value(json_array_get(t, 0));
    if (!name)
        return lfail(c, EF_EPARSE, "malformed '%s_layers'", what);
    *out = find_layer(m, m->nlayers, name);
    if (*out < 0)
        return lfail(c, EF_EDATA, "the %s layer '%.200s' is not among the layers", what, name);
    return EF_OK;
}

static int parse_functional(pctx *c, ef_nn_model *m, json_t *cfg)
{
    json_t *layers = json_object_get(cfg, "layers");
    const char *names[EF_NN_MAX_INPUTS];
    size_t i, j, n, nl = json_array_size(layers);
    long idx;
    int rc;

    if (!json_is_array(layers) || nl == 0)
        return lfail(c, EF_EPARSE, "the model has no 'layers' list");
    if (nl > EF_KERAS_MAX_LAYERS)
        return lfail(c, EF_EUNSUP, "%zu layers (at most %d)", nl, EF_KERAS_MAX_LAYERS);
    m->layers = ef_xcalloc(nl, sizeof *m->layers);
    for (i = 0; i < nl; i++) {
        m->nlayers = i + 1;
        if ((rc = parse_layer(c, m, json_array_get(layers, i), i)) != EF_OK)
            return rc;
    }
    for (i = 0; i < nl; i++) {
        ef_nn_layer *L = &m->layers[i];

        c->name = L->name;
        c->cls = L->class_name;
        rc = inbound(c, json_object_get(json_array_get(layers, i), "inbound_nodes"), names, &n);
        if (rc != EF_OK)
            return rc;
        for (j = 0; j < n; j++) {
            idx = find_layer(m, nl, names[j]);
            if (idx < 0)
                return lfail(c, EF_EDATA, "input '%.200s' is not a layer of the model", names[j]);
            L->inputs[j] = (int)idx;
        }
        L->ninputs = (int)n;
    }
    c->name = NULL;
    if ((rc = io_layer(c, m, json_object_get(cfg, "input_layers"), "input", &idx)) != EF_OK)
        return rc;
    if (m->layers[idx].op != EF_NN_INPUT)
        return lfail(c, EF_EUNSUP, "the model input '%.200s' is not an InputLayer", m->layers[idx].name);
    if (idx != 0)
        return lfail(c, EF_EUNSUP, "the InputLayer '%.200s' must be the first layer",
                     m->layers[idx].name);
    if ((rc = io_layer(c, m, json_object_get(cfg, "output_layers"), "output", &idx)) != EF_OK)
        return rc;
    m->output = (int)idx;
    return EF_OK;
}

static int parse_sequential(pctx *c, ef_nn_model *m, json_t *cfg)
{
    json_t *layers = json_is_array(cfg) ? cfg : json_object_get(cfg, "layers");
    json_t *first, *shape;
    size_t i, nl = json_array_size(layers), off = 1;
    int rc;

    if (!json_is_array(layers) || nl == 0)
        return lfail(c, EF_EPARSE, "the model has no 'layers' list");
    if (nl > EF_KERAS_MAX_LAYERS)
        return lfail(c, EF_EUNSUP, "%zu layers (at most %d)", nl, EF_KERAS_MAX_LAYERS);
    first = json_array_get(layers, 0);
    if (json_is_string(json_object_get(first, "class_name")) &&
        strcmp(json_string_value(json_object_get(first, "class_name")), "InputLayer") == 0)
        off = 0;
    m->layers = ef_xcalloc(nl + off, sizeof *m->layers);
    if (off) {
        /* Keras 2 Sequential: the first layer carries the input shape and
         * Keras names the implicit input "<first>_input". */
        json_t *fc = json_object_get(first, "config");
        const char *fname = json_string_value(json_object_get(fc, "name"));

        shape = input_shape_of(fc);
        if (!shape && json_is_object(cfg))
            shape = json_object_get(cfg, "build_input_shape");
        m->nlayers = 1;
        layer_defaults(&m->layers[0]);
        m->layers[0].op = EF_NN_INPUT;
        m->layers[0].name = ef_xasprintf("%.200s_input", fname ? fname : "sequential");
        m->layers[0].class_name = ef_xstrdup("InputLayer");
        if (!shape)
            return lfail(c, EF_EUNSUP, "the Sequential model does not record its input shape");
        if ((rc = get_input_shape(c, shape, &m->in_steps, &m->in_ch)) != EF_OK)
            return rc;
    }
    for (i = 0; i < nl; i++) {
        m->nlayers = i + off + 1;
        if ((rc = parse_layer(c, m, json_array_get(layers, i), i + off)) != EF_OK)
            return rc;
        if (i + off > 0) {
            if (m->layers[i + off].op == EF_NN_INPUT)
                return lfail(c, EF_EUNSUP, "an InputLayer after the first layer");
            m->layers[i + off].inputs[0] = (int)(i + off - 1);
            m->layers[i + off].ninputs = 1;
        }
    }
    m->output = (int)(m->nlayers - 1);
    return EF_OK;
}

int ef_keras_parse_config(const char *json, size_t len, const char *path, ef_nn_model *m,
                          ef_error *err)
{
    pctx c = { path, err, NULL, NULL };
    json_error_t jerr;
    json_t *root, *cfg;
    const char *cls, *name;
    int rc;

    if (len > EF_KERAS_MAX_CONFIG)
        return lfail(&c, EF_EUNSUP, "%zu bytes (at most %zu)", len, EF_KERAS_MAX_CONFIG);
    root = json_loadb(json, len, 0, &jerr);
    if (!root)
        return ef_error_set_at(err, EF_EPARSE, path, 0, 0, "model_config is not valid JSON: %s "
                               "(at byte %d)", jerr.text, jerr.position);
    cls = json_string_value(json_object_get(root, "class_name"));
    cfg = json_object_get(root, "config");
    if (!cls || !cfg) {
        json_decref(root);
        return lfail(&c, EF_EPARSE, "no class_name/config at the top level");
    }
    name = json_string_value(json_object_get(cfg, "name"));
    free(m->name);
    m->name = ef_xstrdup(name ? name : "");
    if (strcmp(cls, "Functional") == 0 || strcmp(cls, "Model") == 0)
        rc = parse_functional(&c, m, cfg);
    else if (strcmp(cls, "Sequential") == 0)
        rc = parse_sequential(&c, m, cfg);
    else
        rc = lfail(&c, EF_EUNSUP, "model class '%.100s' is not supported (Functional, Model, "
                   "Sequential)", cls);
    if (rc != EF_OK)
        free_layers(m);
    json_decref(root);
    return rc;
}

/* Link order: this file is in libecgfit.a, which the linker scans before
 * libecgfit_h5.a, so the entry point lives here and calls down into the
 * HDF5 part rather than the other way round. */
int ef_nn_load_keras(const char *path, ef_nn_model **out, ef_error *err)
{
    ef_keras_h5 *h;
    ef_nn_model *m;
    char *cfg, *kv;
    int rc;

    *out = NULL;
    rc = ef_keras_h5_open(path, &h, &cfg, &kv, err);
    if (rc != EF_OK)
        return rc;
    m = ef_xcalloc(1, sizeof *m);
    m->path = ef_xstrdup(path);
    m->keras_version = kv ? kv : ef_xstrdup("unknown");
    rc = ef_keras_parse_config(cfg, strlen(cfg), path, m, err);
    free(cfg);
    if (rc == EF_OK)
        rc = ef_nn_model_shapes(m, err);
    if (rc == EF_OK)
        rc = ef_keras_h5_read_weights(h, m, err);
    ef_keras_h5_close(h);
    if (rc == EF_OK)
        rc = ef_nn_model_finish(m, err);
    if (rc == EF_OK)
        rc = ef_sha256_file(path, m->sha256, err);
    if (rc != EF_OK) {
        ef_nn_model_free(m);
        return rc;
    }
    *out = m;
    return EF_OK;
}
