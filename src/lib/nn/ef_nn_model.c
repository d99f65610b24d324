/* ef_nn_model.c — resolve a layer list for an input length: output shapes,
 * TensorFlow's SAME padding split, expected weights, params and FLOPs; the
 * read-only accessors of ef_nn.h; freeing a model. */
#include "config.h"
#include "nn/ef_nn_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Activation elements per input and weight values per model: both must fit
 * an int32 index (and keep plans far from size_t overflow). */
#define MAX_ELEMS ((size_t)1 << 31)
#define MAX_PARAMS ((size_t)1 << 31)
#define MAX_SPAN (1 << 24)     /* (k-1)*d + 1 */

static int lfail_err(ef_error *err, const ef_nn_model *m, const ef_nn_layer *L, int code,
                     const char *fmt, ...) EF_PRINTF(5, 6);

/* "layer 'NAME' (CLASS): message", naming the model file. */
static int lfail_err(ef_error *err, const ef_nn_model *m, const ef_nn_layer *L, int code,
                     const char *fmt, ...)
{
    char msg[EF_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L)
        return ef_error_set_at(err, code, m->path ? m->path : "", 0, 0, "layer '%.200s' (%.100s): %s",
                               L->name ? L->name : "?", L->class_name ? L->class_name : "?", msg);
    return ef_error_set_at(err, code, m->path ? m->path : "", 0, 0, "%s", msg);
}

/* a*b into *out unless it would exceed limit. */
static int mul_le(size_t a, size_t b, size_t limit, size_t *out)
{
    if (a != 0 && b > limit / a)
        return 0;
    *out = a * b;
    return *out <= limit;
}

/* Output length and padding of a window (conv or pool) over L steps, as
 * TensorFlow's GetWindowedOutputSizeVerbose.  L = 0 (open length) gives 0. */
static int window(ef_error *err, const ef_nn_model *m, ef_nn_layer *Ly, size_t L, long k, long s,
                  long d, size_t *out)
{
    long long span = (long long)(k - 1) * d + 1, total;

    if (span > MAX_SPAN)
        return lfail_err(err, m, Ly, EF_EUNSUP, "kernel span (k-1)*d+1 = %lld is too large", span);
    Ly->pad_left = Ly->pad_right = 0;
    if (L == 0) {
        *out = 0;
        return EF_OK;
    }
    switch (Ly->padding) {
    case EF_PAD_SAME:
        *out = (L + (size_t)s - 1) / (size_t)s;
        total = ((long long)*out - 1) * s + span - (long long)L;
        if (total < 0)
            total = 0;
        Ly->pad_left = (int)(total / 2);
        Ly->pad_right = (int)(total - total / 2);
        return EF_OK;
    case EF_PAD_CAUSAL:
        Ly->pad_left = (int)(span - 1);
        *out = (L - 1) / (size_t)s + 1;
        return EF_OK;
    default:
        if ((long long)L < span)
            return lfail_err(err, m, Ly, EF_EDATA,
                             "input of %zu steps is shorter than the window (%lld) with valid padding",
                             L, span);
        *out = (L - (size_t)span) / (size_t)s + 1;
        return EF_OK;
    }
}

static int same_shape(const ef_nn_layer *a, const ef_nn_layer *b)
{
    return a->rank == b->rank && a->steps == b->steps && a->ch == b->ch;
}

static void shape_str(const ef_nn_layer *L, char *buf, size_t size)
{
    if (L->rank == 1)
        snprintf(buf, size, "%zu", L->ch);
    else if (L->steps == 0)
        snprintf(buf, size, "?x%zu", L->ch);
    else
        snprintf(buf, size, "%zux%zu", L->steps, L->ch);
}

static int layer_shape(ef_nn_model *m, size_t i, ef_error *err)
{
    ef_nn_layer *L = &m->layers[i], *in = NULL;
    size_t steps = 0, ch = 0, n;
    int j, rc;

    if (L->ninputs < 0 || L->ninputs > EF_NN_MAX_INPUTS)
        return lfail_err(err, m, L, EF_EDATA, "bad input count %d", L->ninputs);
    for (j = 0; j < L->ninputs; j++)
        if (L->inputs[j] < 0 || (size_t)L->inputs[j] >= i)
            return lfail_err(err, m, L, EF_EDATA, "input %s is not an earlier layer (the layers "
                             "must be in topological order)",
                             L->inputs[j] >= 0 && (size_t)L->inputs[j] < m->nlayers
                                 ? m->layers[L->inputs[j]].name : "(out of range)");
    if (L->op == EF_NN_INPUT) {
        if (i != 0 || L->ninputs != 0)
            return lfail_err(err, m, L, EF_EUNSUP, "the model must have exactly one input, "
                             "as its first layer");
        if (m->in_ch < 1 || m->in_ch > 65536 || m->in_steps > ((size_t)1 << 24))
            return lfail_err(err, m, L, EF_EDATA, "input shape %zux%zu out of range",
                             m->in_steps, m->in_ch);
        L->rank = 2;
        L->steps = m->in_steps;
        L->ch = m->in_ch;
        return EF_OK;
    }
    if (i == 0)
        return lfail_err(err, m, L, EF_EUNSUP, "the first layer must be the input");
    if (L->ninputs < 1)
        return lfail_err(err, m, L, EF_EDATA, "the layer has no input");
    if (L->ninputs > 1 && L->op != EF_NN_ADD && L->op != EF_NN_CONCAT)
        return lfail_err(err, m, L, EF_EUNSUP, "%d inputs (this layer takes one)", L->ninputs);
    in = &m->layers[L->inputs[0]];
    steps = in->steps;
    ch = in->ch;
    L->rank = in->rank;
    switch (L->op) {
    case EF_NN_CONV1D:
    case EF_NN_MAXPOOL:
    case EF_NN_AVGPOOL:
        if (in->rank != 2)
            return lfail_err(err, m, L, EF_EUNSUP, "needs a [steps x channels] input, got a vector");
        if (L->kernel < 1 || L->stride < 1 || L->dilation < 1 ||
            (L->op != EF_NN_CONV1D && (L->dilation != 1 || L->padding == EF_PAD_CAUSAL)))
            return lfail_err(err, m, L, EF_EDATA, "bad kernel/stride/dilation/padding");
        if ((rc = window(err, m, L, in->steps, L->kernel, L->stride, L->dilation, &steps)) != EF_OK)
            return rc;
        if (L->op == EF_NN_CONV1D) {
            if (L->filters < 1)
                return lfail_err(err, m, L, EF_EDATA, "filters must be positive");
            ch = (size_t)L->filters;
        }
        break;
    case EF_NN_BN:
        if (in->rank == 1 && L->axis == 0)
            L->axis = 1;      /* axis 1 of a [batch, ch] tensor is its channels */
        if (L->axis != 1)
            return lfail_err(err, m, L, EF_EUNSUP, "normalising over the steps axis is not "
                             "supported (axis -1 or 2 only)");
        break;
    case EF_NN_ACTIVATION:
    case EF_NN_RELU:
    case EF_NN_DROPOUT:
        break;
    case EF_NN_ADD:
    case EF_NN_CONCAT:
        if (L->ninputs < 2)
            return lfail_err(err, m, L, EF_EDATA, "needs at least 2 inputs, has %d", L->ninputs);
        if (L->op == EF_NN_CONCAT && in->rank == 1 && L->axis == 0)
            L->axis = 1;
        if (L->op == EF_NN_CONCAT && L->axis != 1)
            return lfail_err(err, m, L, EF_EUNSUP, "concatenation along the steps axis is not "
                             "supported (channel axis only)");
        for (j = 1; j < L->ninputs; j++) {
            const ef_nn_layer *o = &m->layers[L->inputs[j]];
            char a[48], b[48];

            shape_str(in, a, sizeof a);
            shape_str(o, b, sizeof b);
            if (L->op == EF_NN_ADD && !same_shape(in, o))
                return lfail_err(err, m, L, EF_EDATA, "input shapes differ: %s (%s) and %s (%s)",
                                 a, in->name, b, o->name);
            if (L->op == EF_NN_CONCAT && (o->rank != in->rank || o->steps != in->steps))
                return lfail_err(err, m, L, EF_EDATA, "inputs of different lengths: %s (%s) and "
                                 "%s (%s)", a, in->name, b, o->name);
            if (L->op == EF_NN_CONCAT)
                ch += o->ch;
        }
        break;
    case EF_NN_GAP:
    case EF_NN_GMP:
        if (in->rank != 2)
            return lfail_err(err, m, L, EF_EUNSUP, "needs a [steps x channels] input, got a vector");
        L->rank = 1;
        steps = 1;
        break;
    case EF_NN_DENSE:
        if (in->rank != 1)
            return lfail_err(err, m, L, EF_EUNSUP, "Dense on a [steps x channels] input (applied "
                             "per step) is not supported; add Flatten or a global pooling first");
        if (L->filters < 1)
            return lfail_err(err, m, L, EF_EDATA, "units must be positive");
        ch = (size_t)L->filters;
        break;
    case EF_NN_FLATTEN:
        if (in->rank == 2) {
            if (in->steps == 0)
                return lfail_err(err, m, L, EF_EUNSUP, "Flatten needs a fixed input length");
            if (!mul_le(in->steps, in->ch, MAX_ELEMS, &ch))
                return lfail_err(err, m, L, EF_EUNSUP, "output too large");
        }
        L->rank = 1;
        steps = 1;
        break;
    case EF_NN_ZEROPAD:
        if (in->rank != 2)
            return lfail_err(err, m, L, EF_EUNSUP, "needs a [steps x channels] input, got a vector");
        if (L->pad_left < 0 || L->pad_right < 0)
            return lfail_err(err, m, L, EF_EDATA, "negative padding");
        steps = in->steps ? in->steps + (size_t)L->pad_left + (size_t)L->pad_right : 0;
        break;
    default:
        return lfail_err(err, m, L, EF_EUNSUP, "unknown operation %d", L->op);
    }
    if (steps == 0 && in->steps != 0)
        return lfail_err(err, m, L, EF_EDATA, "empty output");
    if (!mul_le(steps ? steps : 1, ch, MAX_ELEMS, &n) || ch == 0)
        return lfail_err(err, m, L, EF_EUNSUP, "output of %zu x %zu values is out of range", steps, ch);
    L->steps = steps;
    L->ch = ch;
    return EF_OK;
}

int ef_nn_layer_weights(const ef_nn_model *m, size_t i, ef_nn_wspec spec[EF_NN_MAX_WEIGHTS])
{
    const ef_nn_layer *L = &m->layers[i];
    const ef_nn_layer *in = L->ninputs > 0 ? &m->layers[L->inputs[0]] : NULL;
    static const char *bn[] = { "gamma", "beta", "moving_mean", "moving_variance" };
    int n = 0, j;

    memset(spec, 0, EF_NN_MAX_WEIGHTS * sizeof *spec);
    switch (L->op) {
    case EF_NN_CONV1D:
    case EF_NN_DENSE:
        spec[0].name = "kernel";
        if (L->op == EF_NN_CONV1D) {
            spec[0].rank = 3;
            spec[0].dim[0] = (size_t)L->kernel;
            spec[0].dim[1] = in ? in->ch : 0;
            spec[0].dim[2] = (size_t)L->filters;
        } else {
            spec[0].rank = 2;
            spec[0].dim[0] = in ? in->ch : 0;
            spec[0].dim[1] = (size_t)L->filters;
        }
        n = 1;
        if (L->use_bias) {
            spec[1].name = "bias";
            spec[1].rank = 1;
            spec[1].dim[0] = (size_t)L->filters;
            n = 2;
        }
        break;
    case EF_NN_BN:
        for (j = 0; j < 4; j++) {
            if ((j == 0 && !L->scale) || (j == 1 && !L->center))
                continue;
            spec[n].name = bn[j];
            spec[n].rank = 1;
            spec[n].dim[0] = L->ch;
            n++;
        }
        break;
    default:
        return 0;
    }
    for (j = 0; j < n; j++) {
        int d;

        spec[j].len = 1;
        for (d = 0; d < spec[j].rank; d++)
            if (!mul_le(spec[j].len, spec[j].dim[d], MAX_PARAMS, &spec[j].len))
                spec[j].len = MAX_PARAMS + 1;   /* caller rejects it */
    }
    return n;
}

int ef_nn_model_shapes(ef_nn_model *m, ef_error *err)
{
    size_t i, total = 0;
    int rc;

    if (!m->layers || m->nlayers == 0)
        return lfail_err(err, m, NULL, EF_EDATA, "the model has no layers");
    if (m->output < 0 || (size_t)m->output >= m->nlayers)
        return lfail_err(err, m, NULL, EF_EDATA, "the output layer index is out of range");
    for (i = 0; i < m->nlayers; i++) {
        ef_nn_wspec spec[EF_NN_MAX_WEIGHTS];
        int n, j;

        if ((rc = layer_shape(m, i, err)) != EF_OK)
            return rc;
        n = ef_nn_layer_weights(m, i, spec);
        for (j = 0; j < n; j++) {
            if (spec[j].len > MAX_PARAMS || total + spec[j].len > MAX_PARAMS)
                return lfail_err(err, m, &m->layers[i], EF_EUNSUP, "the model has more than 2^31 "
                                 "weight values");
            total += spec[j].len;
        }
    }
    return EF_OK;
}

int ef_nn_model_finish(ef_nn_model *m, ef_error *err)
{
    size_t i;
    int rc;

    if ((rc = ef_nn_model_shapes(m, err)) != EF_OK)
        return rc;
    m->params = 0;
    m->flops = 0;
    for (i = 0; i < m->nlayers; i++) {
        ef_nn_layer *L = &m->layers[i];
        const ef_nn_layer *in = L->ninputs > 0 ? &m->layers[L->inputs[0]] : NULL;
        ef_nn_wspec spec[EF_NN_MAX_WEIGHTS];
        int n = ef_nn_layer_weights(m, i, spec), j;

        /* nw == 0 means "weights not attached yet" (the writer resolves
         * shapes before it makes them); otherwise they must match. */
        if (L->nw != 0 && L->nw != n)
            return lfail_err(err, m, L, EF_EDATA, "has %d weight arrays, expected %d", L->nw, n);
        L->params = 0;
        for (j = 0; j < n; j++) {
            if (L->nw && (!L->w[j] || L->wlen[j] != spec[j].len))
                return lfail_err(err, m, L, EF_EDATA, "weight %s has %zu values, expected %zu",
                                 spec[j].name, L->wlen[j], spec[j].len);
            L->params += spec[j].len;
        }
        L->flops = 0;
        if (L->op == EF_NN_CONV1D)
            L->flops = 2.0 * (double)L->steps * L->kernel * (double)in->ch * L->filters;
        else if (L->op == EF_NN_DENSE)
            L->flops = 2.0 * (double)in->ch * L->filters;
        m->params += L->params;
        m->flops += L->flops;
    }
    return EF_OK;
}

int ef_nn_model_set_input_steps(ef_nn_model *m, size_t steps, ef_error *err)
{
    if (steps < 1 || steps > ((size_t)1 << 24))
        return lfail_err(err, m, NULL, EF_EINVAL, "input length %zu out of range", steps);
    m->in_steps = steps;
    return ef_nn_model_finish(m, err);
}

void ef_nn_model_free(ef_nn_model *m)
{
    size_t i;
    int j;

    if (!m)
        return;
    for (i = 0; i < m->nlayers; i++) {
        for (j = 0; j < EF_NN_MAX_WEIGHTS; j++)
            free(m->layers[i].w[j]);
        free(m->layers[i].name);
        free(m->layers[i].class_name);
    }
    free(m->layers);
    free(m->name);
    free(m->keras_version);
    free(m->path);
    free(m);
}

/* ------------------------------------------------------------ accessors */

size_t ef_nn_input_steps(const ef_nn_model *m) { return m->in_steps; }
size_t ef_nn_input_channels(const ef_nn_model *m) { return m->in_ch; }
size_t ef_nn_param_count(const ef_nn_model *m) { return m->params; }
double ef_nn_flops(const ef_nn_model *m) { return m->flops; }
const char *ef_nn_sha256(const ef_nn_model *m) { return m->sha256; }
const char *ef_nn_keras_version(const ef_nn_model *m) { return m->keras_version ? m->keras_version : ""; }
const char *ef_nn_name(const ef_nn_model *m) { return m->name ? m->name : ""; }
size_t ef_nn_layer_count(const ef_nn_model *m) { return m->nlayers; }

/* (ef_nn_layer_output_size is the runner's, in ef_nn_run.c.) */
size_t ef_nn_output_size(const ef_nn_model *m)
{
    const ef_nn_layer *L;

    if (m->output < 0 || (size_t)m->output >= m->nlayers)
        return 0;
    L = &m->layers[m->output];
    return L->rank == 1 ? L->ch : L->steps * L->ch;
}

long ef_nn_layer_find(const ef_nn_model *m, const char *name)
{
    size_t i;

    for (i = 0; i < m->nlayers; i++)
        if (strcmp(m->layers[i].name, name) == 0)
            return (long)i;
    return -1;
}

static const char *act_name(int act)
{
    static const char *names[] = { "linear", "relu", "sigmoid", "tanh", "softmax", "elu", "swish",
                                   "gelu", "gelu(tanh)" };

    return act >= 0 && act < (int)(sizeof names / sizeof names[0]) ? names[act] : "?";
}

static const char *pad_name(int p)
{
    return p == EF_PAD_SAME ? "same" : p == EF_PAD_CAUSAL ? "causal" : "valid";
}

void ef_nn_layer_get(const ef_nn_model *m, size_t i, ef_nn_layer_info *info)
{
    const ef_nn_layer *L = &m->layers[i];
    char *d = info->detail;
    size_t ds = sizeof info->detail, o = 0;
    int j;

    memset(info, 0, sizeof *info);
    info->name = L->name;
    info->class_name = L->class_name;
    info->params = L->params;
    info->flops = L->flops;
    for (j = 0; j < L->ninputs; j++) {
        size_t used = strlen(info->inputs);
        const char *nm = m->layers[L->inputs[j]].name;

        if (used + strlen(nm) + 5 >= sizeof info->inputs) {
            snprintf(info->inputs + used, sizeof info->inputs - used, "...");
            break;
        }
        snprintf(info->inputs + used, sizeof info->inputs - used, "%s%s", j ? "," : "", nm);
    }
    shape_str(L, info->shape, sizeof info->shape);
    switch (L->op) {
    case EF_NN_CONV1D:
        o = (size_t)snprintf(d, ds, "k=%d s=%d", L->kernel, L->stride);
        if (L->dilation != 1)
            o += (size_t)snprintf(d + o, ds - o, " d=%d", L->dilation);
        o += (size_t)snprintf(d + o, ds - o, " %s", pad_name(L->padding));
        if (L->padding != EF_PAD_VALID)
            o += (size_t)snprintf(d + o, ds - o, " pad %d/%d", L->pad_left, L->pad_right);
        o += (size_t)snprintf(d + o, ds - o, "%s", L->use_bias ? ", bias" : "");
        if (L->act != EF_ACT_LINEAR)
            snprintf(d + o, ds - o, ", %s", act_name(L->act));
        break;
    case EF_NN_DENSE:
        snprintf(d, ds, "units=%d%s%s%s", L->filters, L->use_bias ? ", bias" : "",
                 L->act != EF_ACT_LINEAR ? ", " : "", L->act != EF_ACT_LINEAR ? act_name(L->act) : "");
        break;
    case EF_NN_BN:
        ef_snprintf(d, ds, "eps=%g%s%s", L->epsilon, L->scale ? "" : ", no scale",
                 L->center ? "" : ", no center");
        break;
    case EF_NN_ACTIVATION:
        if (L->act == EF_ACT_ELU && L->elu_alpha != 1.0)
            ef_snprintf(d, ds, "elu alpha=%g", L->elu_alpha);
        else
            snprintf(d, ds, "%s", act_name(L->act));
        break;
    case EF_NN_RELU:
        o = (size_t)snprintf(d, ds, "relu");
        if (L->relu_max >= 0)
            o += (size_t)ef_snprintf(d + o, ds - o, " max=%g", L->relu_max);
        if (L->relu_slope != 0)
            o += (size_t)ef_snprintf(d + o, ds - o, " slope=%g", L->relu_slope);
        if (L->relu_threshold != 0)
            ef_snprintf(d + o, ds - o, " threshold=%g", L->relu_threshold);
        break;
    case EF_NN_MAXPOOL:
    case EF_NN_AVGPOOL:
        snprintf(d, ds, "pool %d s %d %s pad %d/%d", L->kernel, L->stride, pad_name(L->padding),
                 L->pad_left, L->pad_right);
        break;
    case EF_NN_GAP:
        snprintf(d, ds, "mean over steps");
        break;
    case EF_NN_GMP:
        snprintf(d, ds, "max over steps");
        break;
    case EF_NN_CONCAT:
        snprintf(d, ds, "channels");
        break;
    case EF_NN_ZEROPAD:
        snprintf(d, ds, "pad %d/%d", L->pad_left, L->pad_right);
        break;
    case EF_NN_DROPOUT:
        snprintf(d, ds, "no-op at inference");
        break;
    default:
        break;
    }
}
