/* nn_apply.c — ecgfit's side of the oracle suite (tests/oracle/run.sh):
 * load a Keras .h5 with ef_nn_load_keras, run inputs through ef_nn_run (or
 * ef_nn_run_to a layer) and write the outputs as raw float32.
 *
 *   nn_apply [--layer NAME] [--batch B] [--threads T] MODEL OUT.f32 IN...
 *       IN: .npy (float32 '<f4', C order, [steps, ch] or [n, steps, ch]) or a raw
 *       float32 file of n x steps x ch values; outputs of all inputs in order
 *   nn_apply --info MODEL                 prints "steps channels output_size params"
 *   nn_apply --write-pclr OUT.h5 [--width F] [--steps L] [--seed S]
 *            [--strings default|utf8|fixed]
 *       ef_nn_write_pclr, or with --strings the writer's other string storages */
#include "config.h"

#include "nn/ef_nn.h"
#include "nn/ef_keras_write.h"
#include "core/ef_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int die(const char *what, const ef_error *err)
{
    char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 32];

    fprintf(stderr, "nn_apply: %s: %s\n", what, err ? ef_error_format(err, buf, sizeof buf) : "");
    return 1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Read a whole file. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return NULL;
    }
    buf = ef_xmalloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        fclose(fp);
        return NULL;
    }
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* Float32 values of an .npy (checked: '<f4', C order, element count) or a
 * raw file; *count = number of floats. */
static float *read_input(const char *path, size_t *count)
{
    size_t len, hl, off;
    char *buf = slurp(path, &len), *hdr;
    float *x;

    if (!buf) {
        fprintf(stderr, "nn_apply: cannot read %s\n", path);
        return NULL;
    }
    off = 0;
    if (len >= 10 && memcmp(buf, "\x93NUMPY", 6) == 0) {
        size_t prod = 1;
        const char *sh;
        if (buf[6] == 1) {
            hl = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8;
            off = 10 + hl;
        } else {
            hl = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8 |
                 (size_t)(unsigned char)buf[10] << 16 | (size_t)(unsigned char)buf[11] << 24;
            off = 12 + hl;
        }
        if (off > len) {
            fprintf(stderr, "nn_apply: %s: truncated .npy header\n", path);
            free(buf);
            return NULL;
        }
        hdr = ef_xstrndup(buf + off - hl, hl);
        sh = strstr(hdr, "'shape': (");
        if (!strstr(hdr, "'descr': '<f4'") || !strstr(hdr, "'fortran_order': False") || !sh) {
            fprintf(stderr, "nn_apply: %s: not a C-order float32 .npy: %s\n", path, hdr);
            free(hdr);
            free(buf);
            return NULL;
        }
        for (sh += 10; *sh && *sh != ')';) {
            char *end;
            unsigned long v = strtoul(sh, &end, 10);
            if (end == sh)
                break;
            prod *= v;
            sh = end;
            while (*sh == ',' || *sh == ' ')
                sh++;
        }
        free(hdr);
        if (prod * 4 != len - off) {
            fprintf(stderr, "nn_apply: %s: shape and data size disagree\n", path);
            free(buf);
            return NULL;
        }
    }
    if ((len - off) % 4 != 0) {
        fprintf(stderr, "nn_apply: %s: size is not a multiple of 4\n", path);
        free(buf);
        return NULL;
    }
    *count = (len - off) / 4;
    x = ef_xmalloc(*count * sizeof *x + 1);
    memcpy(x, buf + off, *count * sizeof *x);
    free(buf);
    return x;
}

static int write_pclr(int argc, char **argv)
{
    double width = 1.0;
    size_t steps = 0;
    unsigned long long seed = 7;
    const char *out = NULL, *strings = NULL;
    ef_error err;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--width") == 0 && i + 1 < argc)
            width = atof(argv[++i]);
        else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            steps = (size_t)strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--strings") == 0 && i + 1 < argc)
            strings = argv[++i];
        else
            out = argv[i];
    }
    if (!out) {
        fprintf(stderr, "nn_apply: --write-pclr needs an output file\n");
        return 2;
    }
    if (!strings || strcmp(strings, "default") == 0) {
        rc = ef_nn_write_pclr(out, width, steps, seed, &err);
    } else {
        ef_kw_model m;
        unsigned flags = strcmp(strings, "utf8") == 0 ? EF_KW_ALL_UTF8
                       : strcmp(strings, "fixed") == 0 ? EF_KW_FIXED_NAMES : 0u;
        rc = ef_pclr_build(width, steps, seed, &m, &err);
        if (rc == EF_OK)
            rc = ef_keras_write(out, &m, flags, &err);
        ef_kw_model_free(&m);
    }
    return rc == EF_OK ? 0 : die("write", &err);
}

int main(int argc, char **argv)
{
    const char *layer = NULL, *model_path, *out_path;
    size_t batch = 8, outsz, per_in, nin = 0, done = 0, lidx = 0;
    int threads = 0, i, rc = 0, first;
    ef_nn_model *m = NULL;
    ef_nn_runner *r = NULL;
    ef_error err;
    FILE *fo;
    float *y;
    double t0, secs = 0;

    if (argc >= 2 && strcmp(argv[1], "--write-pclr") == 0)
        return write_pclr(argc, argv);
    if (argc == 3 && strcmp(argv[1], "--info") == 0) {
        if (ef_nn_load_keras(argv[2], &m, &err) != EF_OK)
            return die(argv[2], &err);
        printf("%zu %zu %zu %zu\n", ef_nn_input_steps(m), ef_nn_input_channels(m),
               ef_nn_output_size(m), ef_nn_param_count(m));
        ef_nn_model_free(m);
        return 0;
    }
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (i + 1 >= argc)
            break;
        if (strcmp(argv[i], "--layer") == 0)
            layer = argv[i + 1];
        else if (strcmp(argv[i], "--batch") == 0)
            batch = (size_t)strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
        else
            break;
    }
    if (argc - i < 3 || batch == 0) {
        fprintf(stderr, "usage: nn_apply [--layer NAME] [--batch B] [--threads T] MODEL OUT.f32 IN...\n"
                        "       nn_apply --info MODEL\n"
                        "       nn_apply --write-pclr OUT.h5 [--width F] [--steps L] [--seed S]\n");
        return 2;
    }
    model_path = argv[i];
    out_path = argv[i + 1];
    first = i + 2;
    if (ef_nn_load_keras(model_path, &m, &err) != EF_OK)
        return die(model_path, &err);
    if (layer) {
        long li = ef_nn_layer_find(m, layer);
        if (li < 0) {
            fprintf(stderr, "nn_apply: %s: no layer %s\n", model_path, layer);
            ef_nn_model_free(m);
            return 1;
        }
        lidx = (size_t)li;
        outsz = ef_nn_layer_output_size(m, lidx);
    } else {
        outsz = ef_nn_output_size(m);
    }
    per_in = ef_nn_input_steps(m) * ef_nn_input_channels(m);
    if (per_in == 0) {
        fprintf(stderr, "nn_apply: %s: the model leaves its input length open\n", model_path);
        ef_nn_model_free(m);
        return 1;
    }
    if (ef_nn_runner_new(m, batch, threads, &r, &err) != EF_OK) {
        ef_nn_model_free(m);
        return die("runner", &err);
    }
    fo = fopen(out_path, "wb");
    if (!fo) {
        fprintf(stderr, "nn_apply: cannot write %s\n", out_path);
        rc = 1;
    }
    y = ef_xmalloc(batch * outsz * sizeof *y);
    for (i = first; i < argc && rc == 0; i++) {
        size_t count, n;
        float *x = read_input(argv[i], &count);
        if (!x || count % per_in != 0) {
            if (x)
                fprintf(stderr, "nn_apply: %s: %zu floats is not a multiple of %zu\n", argv[i],
                        count, per_in);
            free(x);
            rc = 1;
            break;
        }
        n = count / per_in;
        for (size_t k = 0; k < n && rc == 0; k += batch) {
            size_t b = n - k < batch ? n - k : batch;
            t0 = now();
            rc = layer ? ef_nn_run_to(r, x + k * per_in, b, lidx, y, &err)
                       : ef_nn_run(r, x + k * per_in, b, y, &err);
            secs += now() - t0;
            if (rc != EF_OK) {
                rc = die("run", &err);
                break;
            }
            if (fwrite(y, sizeof *y, b * outsz, fo) != b * outsz) {
                fprintf(stderr, "nn_apply: write error on %s\n", out_path);
                rc = 1;
            }
            done += b;
        }
        nin++;
        free(x);
    }
    if (fo && fclose(fo) != 0 && rc == 0) {
        fprintf(stderr, "nn_apply: write error on %s\n", out_path);
        rc = 1;
    }
    if (rc == 0)
        printf("{\"files\": %zu, \"n\": %zu, \"output_size\": %zu, \"ms_per_input\": %.1f}\n", nin,
               done, outsz, done ? 1e3 * secs / (double)done : 0.0);
    free(y);
    ef_nn_runner_free(r);
    ef_nn_model_free(m);
    return rc;
}
