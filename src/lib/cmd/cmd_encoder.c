/* cmd_encoder.c — `ecgfit encoder info FILE` (what a Keras .h5 encoder is
 * and costs) and `ecgfit encoder new --arch pclr -o FILE` (write one). */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "nn/ef_keras_write.h"
#include "nn/ef_nn.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct encoder_state {
    char *path;
    ef_nn_model *m;          /* the model read (info) or written and read back (new) */
    double width;
    size_t steps;
    unsigned long long seed;
    /* new: the weights, one calibrated layer per step, the .h5, the model read back */
    int phase;
    ef_pclr_builder *b;
    ef_kw_model km;
} encoder_state;

static void state_free(void *v)
{
    encoder_state *st = v;

    ef_nn_model_free(st->m);
    ef_pclr_builder_free(st->b);
    if (st->phase == 1 || st->phase == 2)
        ef_kw_model_free(&st->km);
    free(st->path);
    free(st);
}

/* 6394912 → "6,394,912" */
static const char *thousands(size_t v, char *buf, size_t size)
{
    char tmp[32];
    size_t n, i, o = 0;

    n = (size_t)snprintf(tmp, sizeof tmp, "%zu", v);
    for (i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

static int no_subject(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    (void)ctx;
    (void)a;
    *job = NULL;
    return ef_cmd_usage(err, "expected 'info FILE' or 'new --arch pclr -o FILE'");
}

const ef_cmd ef_cmd_encoder = {
    .name = "encoder",
    .summary = "inspect or create Keras .h5 encoders",
    .outro = "`ecgfit encoder new --help` shows one of them alone.\n",
    .flags = EF_CMD_GROUP,
    .make = no_subject,
};

/* ---- encoder info ---------------------------------------------------------- */

static int info_run(void *v, ef_error *err)
{
    encoder_state *st = v;

    return ef_nn_load_keras(st->path, &st->m, err);
}

static int info_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    encoder_state *st;

    (void)ctx;
    *job = NULL;
    if (a->npos != 1)
        return ef_cmd_usage(err, "give the FILE to read: encoder info FILE");
    st = ef_xcalloc(1, sizeof *st);
    st->path = ef_xstrdup(a->pos[0]);
    *job = ef_job_once("encoder info", info_run, st, state_free);
    return EF_OK;
}

static int info_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    encoder_state *st = ef_job_state(job);
    const ef_nn_model *m = st->m;
    ef_nn_layer_info li;
    size_t i, n;
    char num[32];
    int w[6] = { 1, 4, 5, 6, 6, 6 };

    (void)a;
    (void)err;
    if (rc != EF_OK)
        return rc;
    n = ef_nn_layer_count(m);
    ef_out(ctx, "Model:       %s (Keras %s)\n", ef_nn_name(m), ef_nn_keras_version(m));
    ef_out(ctx, "File:        %s\n", st->path);
    if (ef_nn_input_steps(m))
        ef_out(ctx, "Input:       %zu x %zu (steps x channels)\n", ef_nn_input_steps(m), ef_nn_input_channels(m));
    else
        ef_out(ctx, "Input:       ? x %zu (steps x channels; the length is left open)\n", ef_nn_input_channels(m));
    ef_out(ctx, "Output:      %zu values\n", ef_nn_output_size(m));
    ef_out(ctx, "Parameters:  %s\n", thousands(ef_nn_param_count(m), num, sizeof num));
    if (ef_nn_input_steps(m))
        ef_out(ctx, "Compute:     %.3f GFLOP per input\n", ef_nn_flops(m) / 1e9);
    else
        ef_out(ctx, "Compute:     depends on the input length\n");
    ef_out(ctx, "SHA-256:     %s\n", ef_nn_sha256(m));
    ef_out(ctx, "Layers:      %zu\n\n", n);

    /* column widths */
    for (i = 0; i < n; i++) {
        int lens[6], k;
        char idx[24];

        ef_nn_layer_get(m, i, &li);
        lens[0] = snprintf(idx, sizeof idx, "%zu", i);
        lens[1] = (int)strlen(li.name);
        lens[2] = (int)strlen(li.class_name);
        lens[3] = (int)strlen(li.inputs);
        lens[4] = (int)strlen(li.shape);
        lens[5] = (int)strlen(thousands(li.params, num, sizeof num));
        for (k = 0; k < 6; k++)
            if (lens[k] > w[k])
                w[k] = lens[k];
    }
    ef_out(ctx, "%*s  %-*s  %-*s  %-*s  %-*s  %*s  %s\n", w[0], "#", w[1], "name", w[2], "class", w[3], "inputs",
           w[4], "output", w[5], "params", "detail");
    for (i = 0; i < n; i++) {
        ef_nn_layer_get(m, i, &li);
        ef_out(ctx, "%*zu  %-*s  %-*s  %-*s  %-*s  %*s%s%s\n", w[0], i, w[1], li.name, w[2], li.class_name, w[3],
               li.inputs[0] ? li.inputs : "-", w[4], li.shape, w[5], thousands(li.params, num, sizeof num),
               li.detail[0] ? "  " : "", li.detail);
    }
    return rc;
}

const ef_cmd ef_cmd_encoder_info = {
    .name = "encoder info",
    .summary = "describe a Keras .h5 encoder: shapes, size, cost, layers",
    .synopsis = "encoder info FILE",
    .intro = "encoder info FILE reads a Keras .h5 model (Keras 2.x or Keras 3's legacy h5\n"
             "format) as `embed` would and prints its name, Keras version, input [steps x\n"
             "channels], output size, parameter count, GFLOP per input and the file's\n"
             "SHA-256, then one row per layer: index, name, class, inputs, output shape,\n"
             "parameters and details (kernel, stride, padding split, activation ...).\n"
             "A file ecgfit cannot run is rejected with the layer and the reason.\n",
    .npos_min = 1,
    .npos_max = 1,
    .make = info_make,
    .finish = info_finish,
};

/* ---- encoder new ----------------------------------------------------------- */

static const ef_opt_spec new_opts[] = {
    { "arch", 0, EF_OPT_STRING, "ARCH", "the architecture: pclr", 0, 0, NULL, 0 },
    { "width-scale", 0, EF_OPT_DOUBLE, "F", "multiply every filter count by F (default 1 = PCLR)", 0.01, 16, NULL,
      0 },
    { "input-steps", 0, EF_OPT_INT, "N", "input length (default 4096)", 16, 1L << 20, NULL, 0 },
    { "seed", 0, EF_OPT_STRING, "S", "weight seed (default 1)", 0, 0, NULL, 0 },
    { "output", 'o', EF_OPT_STRING, "FILE", "the .h5 to write", 0, 0, NULL, 0 },
};

/* The weights, the calibration one layer at a time, the .h5, the model
 * read back: each a step. */
static int new_step(void *v, ef_error *err)
{
    encoder_state *st = v;
    int rc;

    switch (st->phase) {
    case 0:
        rc = ef_pclr_builder_new(&st->b, st->width, st->steps, (uint64_t)st->seed, &st->km, err);
        if (rc == EF_OK)
            st->phase = 1;
        return rc == EF_OK ? EF_CONTINUE : rc;
    case 1:
        if (ef_pclr_builder_step(st->b) == EF_OK) {
            ef_pclr_builder_free(st->b);
            st->b = NULL;
            st->phase = 2;
        }
        return EF_CONTINUE;
    case 2:
        rc = ef_keras_write(st->path, &st->km, 0, err);
        ef_kw_model_free(&st->km);
        st->phase = 3;
        return rc == EF_OK ? EF_CONTINUE : rc;
    default:
        return ef_nn_load_keras(st->path, &st->m, err);
    }
}

static void new_progress(const void *v, ef_progress_report *p)
{
    static const char *const what[] = { "encoder new: weights", "encoder new: calibrating", "encoder new: writing",
                                        "encoder new: reading back" };
    const encoder_state *st = v;

    p->stage = what[st->phase < 3 ? st->phase : 3];
    p->unit = "steps";
    p->done = (uint64_t)st->phase;
    p->total = 4;
}

static const ef_job_ops new_ops = {
    .name = "encoder new",
    .step = new_step,
    .progress = new_progress,
    .free = state_free,
};

static int new_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *arch = ef_args_str(a, "arch", NULL), *out = ef_args_str(a, "output", NULL);
    const char *seed = ef_args_str(a, "seed", NULL);
    unsigned long long s = 1;
    encoder_state *st;

    (void)ctx;
    *job = NULL;
    if (seed) {
        char *end;

        errno = 0;
        s = strtoull(seed, &end, 10);
        if (end == seed || *end || errno == ERANGE || seed[0] == '-')
            return ef_cmd_usage(err, "--seed must be a whole number, not '%s'", seed);
    }
    if (!arch)
        return ef_cmd_usage(err, "give --arch pclr");
    if (strcmp(arch, "pclr") != 0)
        return ef_cmd_usage(err, "unknown --arch '%s' (available: pclr)", arch);
    if (!out)
        return ef_cmd_usage(err, "give -o FILE");
    st = ef_xcalloc(1, sizeof *st);
    st->path = ef_xstrdup(out);
    st->width = ef_args_double(a, "width-scale", 1.0);
    st->steps = (size_t)ef_args_long(a, "input-steps", 4096);
    st->seed = s;
    *job = ef_job_new(&new_ops, st);
    return EF_OK;
}

static int new_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    encoder_state *st = ef_job_state(job);
    char num[32];

    (void)a;
    (void)err;
    if (rc != EF_OK || ctx->quiet)
        return rc;
    ef_out(ctx,
           "Wrote %s: PCLR architecture, width x%g, input %zu x %zu, %s parameters, "
           "%.3f GFLOP per input, seed %llu\n",
           st->path, st->width, ef_nn_input_steps(st->m), ef_nn_input_channels(st->m),
           thousands(ef_nn_param_count(st->m), num, sizeof num), ef_nn_flops(st->m) / 1e9, st->seed);
    ef_out(ctx, "Its weights are seeded random numbers, not the published PCLR weights: embeddings\n"
                "from it exercise the pipeline but carry no learned ECG features.\n");
    return rc;
}

const ef_cmd ef_cmd_encoder_new = {
    .name = "encoder new",
    .summary = "write a Keras .h5 encoder with the PCLR architecture and seeded weights",
    .synopsis = "encoder new --arch pclr [--width-scale F] [--input-steps N] [--seed S] -o FILE",
    .intro = "encoder new --arch pclr -o FILE writes a Keras-format .h5 with the PCLR\n"
             "architecture (41 layers) and seeded He-normal weights: a demo encoder and the\n"
             "benchmark model.\n",
    .opts = new_opts,
    .nopts = sizeof new_opts / sizeof new_opts[0],
    .make = new_make,
    .finish = new_finish,
};
