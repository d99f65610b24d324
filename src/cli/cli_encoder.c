/* cli_encoder.c — `ecgfit encoder info FILE` (what a Keras .h5 encoder is
 * and costs) and `ecgfit encoder new --arch pclr -o FILE` (write one). */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "nn/ef_nn.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_encoder;

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

static int info(const char *path)
{
    ef_nn_model *m;
    ef_nn_layer_info li;
    ef_error err;
    size_t i, n, out;
    char num[32];
    int w[6] = { 1, 4, 5, 6, 6, 6 };

    ef_error_clear(&err);
    if (ef_nn_load_keras(path, &m, &err) != EF_OK) {
        cli_error(&err);
        return cli_exit_for(err.code);
    }
    n = ef_nn_layer_count(m);
    out = ef_nn_output_size(m);
    printf("Model:       %s (Keras %s)\n", ef_nn_name(m), ef_nn_keras_version(m));
    printf("File:        %s\n", path);
    if (ef_nn_input_steps(m))
        printf("Input:       %zu x %zu (steps x channels)\n", ef_nn_input_steps(m),
               ef_nn_input_channels(m));
    else
        printf("Input:       ? x %zu (steps x channels; the length is left open)\n",
               ef_nn_input_channels(m));
    printf("Output:      %zu values\n", out);
    printf("Parameters:  %s\n", thousands(ef_nn_param_count(m), num, sizeof num));
    if (ef_nn_input_steps(m))
        printf("Compute:     %.3f GFLOP per input\n", ef_nn_flops(m) / 1e9);
    else
        printf("Compute:     depends on the input length\n");
    printf("SHA-256:     %s\n", ef_nn_sha256(m));
    printf("Layers:      %zu\n\n", n);

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
    printf("%*s  %-*s  %-*s  %-*s  %-*s  %*s  %s\n", w[0], "#", w[1], "name", w[2], "class", w[3],
           "inputs", w[4], "output", w[5], "params", "detail");
    for (i = 0; i < n; i++) {
        ef_nn_layer_get(m, i, &li);
        printf("%*zu  %-*s  %-*s  %-*s  %-*s  %*s%s%s\n", w[0], i, w[1], li.name, w[2],
               li.class_name, w[3], li.inputs[0] ? li.inputs : "-", w[4], li.shape, w[5],
               thousands(li.params, num, sizeof num), li.detail[0] ? "  " : "", li.detail);
    }
    ef_nn_model_free(m);
    return CLI_EXIT_OK;
}

static int parse_double(const char *opt, const char *arg, double min, double max, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = ef_strtod(arg, &end);
    if (end == arg || *end || errno == ERANGE || !(v >= min && v <= max))
        return cli_usage_error("encoder", "%s must be a number from %g to %g, not '%s'", opt, min,
                               max, arg);
    *out = v;
    return 0;
}

static int new_encoder(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "arch", required_argument, NULL, 'a' },
        { "width-scale", required_argument, NULL, 'w' },
        { "input-steps", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 },
    };
    const char *arch = NULL, *out = NULL;
    double width = 1.0;
    long steps = 4096;
    unsigned long long seed = 1;
    ef_nn_model *m = NULL;
    ef_error err;
    char *end, num[32];
    int c;

    ef_error_clear(&err);
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'a': arch = optarg; break;
        case 'w':
            if (parse_double("--width-scale", optarg, 0.01, 16, &width))
                return CLI_EXIT_USAGE;
            break;
        case 'n':
            if (cli_parse_long("encoder", "--input-steps", optarg, 16, 1L << 20, &steps))
                return CLI_EXIT_USAGE;
            break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || errno == ERANGE || optarg[0] == '-')
                return cli_usage_error("encoder", "--seed must be a whole number, not '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        default: return cli_bad_option("encoder", argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("encoder", "unexpected argument '%s'", argv[optind]);
    if (!arch)
        return cli_usage_error("encoder", "new: give --arch pclr");
    if (strcmp(arch, "pclr") != 0)
        return cli_usage_error("encoder", "new: unknown --arch '%s' (available: pclr)", arch);
    if (!out)
        return cli_usage_error("encoder", "new: give -o FILE");
    if (ef_nn_write_pclr(out, width, (size_t)steps, (uint64_t)seed, &err) != EF_OK ||
        ef_nn_load_keras(out, &m, &err) != EF_OK) {
        cli_error(&err);
        return cli_exit_for(err.code);
    }
    if (!ctx->quiet)
        printf("Wrote %s: PCLR architecture, width x%g, input %zu x %zu, %s parameters, "
               "%.3f GFLOP per input, seed %llu\n", out, width, ef_nn_input_steps(m),
               ef_nn_input_channels(m), thousands(ef_nn_param_count(m), num, sizeof num),
               ef_nn_flops(m) / 1e9, seed);
    if (!ctx->quiet)
        printf("Its weights are seeded random numbers, not the published PCLR weights: embeddings\n"
               "from it exercise the pipeline but carry no learned ECG features.\n");
    ef_nn_model_free(m);
    return CLI_EXIT_OK;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("encoder", "expected 'info FILE' or 'new --arch pclr -o FILE'");
    if (strcmp(argv[1], "info") == 0) {
        if (argc != 3 || argv[2][0] == '-')
            return cli_usage_error("encoder", "usage: encoder info FILE");
        return info(argv[2]);
    }
    if (strcmp(argv[1], "new") == 0)
        return new_encoder(ctx, argc - 1, argv + 1);
    return cli_usage_error("encoder", "unknown subcommand '%s' (info, new)", argv[1]);
}

const cli_command cli_cmd_encoder = {
    .name = "encoder",
    .usage = "encoder info FILE | encoder new --arch pclr [--width-scale F] [--input-steps N] "
             "[--seed S] -o FILE",
    .summary = "inspect or create Keras .h5 encoders",
    .help =
        "\nencoder info FILE\n"
        "  Reads a Keras .h5 model (Keras 2.x or Keras 3's legacy h5 format) as\n"
        "  `embed` would and prints its name, Keras version, input [steps x channels],\n"
        "  output size, parameter count, GFLOP per input and the file's SHA-256,\n"
        "  then one row per layer: index, name, class, inputs, output shape,\n"
        "  parameters and details (kernel, stride, padding split, activation ...).\n"
        "  A file ecgfit cannot run is rejected with the layer and the reason.\n\n"
        "encoder new --arch pclr -o FILE\n"
        "  Writes a Keras-format .h5 with the PCLR architecture (41 layers) and\n"
        "  seeded He-normal weights: a demo encoder and the benchmark model.\n"
        "  --width-scale F   multiply every filter count by F (default 1 = PCLR)\n"
        "  --input-steps N   input length (default 4096)\n"
        "  --seed S          weight seed (default 1)\n"
        "  -o, --output FILE the .h5 to write\n",
    .run = run,
};
