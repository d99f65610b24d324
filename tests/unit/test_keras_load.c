/* test_keras_load.c — the Keras .h5 loader: SHA-256 vectors, the real
 * Keras-written fixtures in ../shared/fixtures/keras, a PCLR-config model
 * written here with h5py (tests/unit/keras_h5_make.py) checked against
 * pclr-architecture.md §4, and broken copies of a fixture. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "nn/ef_nn.h"
#include "nn/ef_nn_int.h"
#include "nn/ef_keras_int.h"
#include "nn/ef_sha256.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char fixdir[1024];
static const char *py;
static int have_h5py;

/* ------------------------------------------------------------ SHA-256 */

static void sha_of(const char *s, size_t n, char hex[65])
{
    ef_sha256 c;

    ef_sha256_init(&c);
    ef_sha256_update(&c, s, n);
    ef_sha256_hex(&c, hex);
}

static void test_sha256(void)
{
    static const char *abc56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static const char *abc112 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    char hex[65], hex2[65], *mil = ef_xmalloc(1000000);
    ef_sha256 c;
    size_t i;

    sha_of("", 0, hex);
    is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256('')");
    sha_of("abc", 3, hex);
    is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256('abc')");
    sha_of(abc56, strlen(abc56), hex);
    is_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256 448-bit");
    sha_of(abc112, strlen(abc112), hex);
    is_str(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", "sha256 896-bit");
    memset(mil, 'a', 1000000);
    sha_of(mil, 1000000, hex);
    is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
           "sha256 of a million 'a'");
    /* the same in uneven pieces (buffer carry-over paths) */
    ef_sha256_init(&c);
    for (i = 0; i < 1000000;) {
        size_t n = 1 + (i * 31 + 7) % 131;

        if (n > 1000000 - i)
            n = 1000000 - i;
        ef_sha256_update(&c, mil + i, n);
        i += n;
    }
    ef_sha256_hex(&c, hex2);
    is_str(hex2, hex, "sha256 incremental == one-shot");
    /* lengths around the 55/56/64-byte padding boundaries differ */
    sha_of(mil, 55, hex);
    sha_of(mil, 56, hex2);
    ok(strcmp(hex, hex2) != 0, "55 and 56 bytes hash differently");
    free(mil);
}

/* ------------------------------------------------------------ helpers */

static ef_nn_model *load(const char *path, int *rc, ef_error *err)
{
    ef_nn_model *m = NULL;

    ef_error_clear(err);
    *rc = ef_nn_load_keras(path, &m, err);
    if (*rc != EF_OK)
        diag("%s: %s", path, err->msg);
    return m;
}

static const ef_nn_layer *layer(const ef_nn_model *m, const char *name)
{
    long i = ef_nn_layer_find(m, name);

    return i >= 0 ? &m->layers[i] : NULL;
}

static int run_py(const char *fmt, ...) EF_PRINTF(1, 2);

static int run_py(const char *fmt, ...)
{
    char cmd[4096], args[3500];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' '%s/tests/unit/keras_h5_make.py' %s", py, tap_srcdir(), args);
    return system(cmd);
}

/* ------------------------------------------------------------ fixtures */

static void test_resnet(void)
{
    char path[1200];
    ef_nn_model *m;
    ef_error err;
    const ef_nn_layer *L;
    int rc;

    snprintf(path, sizeof path, "%s/tf2.8-functional-resnet1d.h5", fixdir);
    m = load(path, &rc, &err);
    is_int(rc, EF_OK, "tf2.8 resnet1d loads");
    if (!m)
        return;
    is_int((long long)ef_nn_layer_count(m), 38, "resnet: 38 layers");
    is_int((long long)ef_nn_param_count(m), 507979, "resnet: 507,979 weight values");
    is_int((long long)ef_nn_input_steps(m), 1001, "resnet: input 1001 steps");
    is_int((long long)ef_nn_input_channels(m), 1, "resnet: 1 channel");
    is_int((long long)ef_nn_output_size(m), 11, "resnet: output 11");
    is_str(ef_nn_keras_version(m), "2.8.0", "resnet: keras 2.8.0");
    is_str(ef_nn_name(m), "model_1", "resnet: model name");
    is_str(ef_nn_sha256(m), "25570b5a20a3b91cb2cae299284af8c9482357d7352c51ff72201b82060a6671",
           "resnet: sha256 as in the fixtures README");
    L = layer(m, "conv1d_11");
    ok(L && L->op == EF_NN_CONV1D && L->kernel == 8 && L->use_bias && L->nw == 2 &&
       L->pad_left == 3 && L->pad_right == 4 && L->steps == 1001 && L->ch == 64,
       "resnet: conv1d_11 k=8 same pad 3/4, bias, 1001x64");
    L = layer(m, "global_average_pooling1d_1");
    ok(L && L->op == EF_NN_GAP && L->rank == 1 && L->ch == 128, "resnet: GAP -> 128");
    L = &m->layers[m->output];
    ok(L->op == EF_NN_DENSE && L->act == EF_ACT_SOFTMAX && L->ch == 11, "resnet: output is Dense(11, softmax)");
    ef_nn_model_free(m);
}

static void test_inception(void)
{
    char path[1200];
    ef_nn_model *m;
    ef_error err;
    const ef_nn_layer *L;
    size_t i, nadd = 0, ncat = 0, npool = 0;
    int rc;

    snprintf(path, sizeof path, "%s/tf2.3-inceptiontime-conv1d.hdf5", fixdir);
    m = load(path, &rc, &err);
    is_int(rc, EF_OK, "tf2.3 InceptionTime loads (fixed-length names, prefix quirk, optimizer weights)");
    if (!m)
        return;
    is_int((long long)ef_nn_layer_count(m), 105, "inception: 105 layers");
    is_int((long long)ef_nn_param_count(m), 127689, "inception: 127,689 weight values");
    is_int((long long)ef_nn_input_steps(m), 250, "inception: 250 steps");
    is_int((long long)ef_nn_input_channels(m), 8, "inception: 8 channels");
    is_int((long long)ef_nn_output_size(m), 9, "inception: output 9");
    is_str(ef_nn_keras_version(m), "2.3.0-tf", "inception: keras 2.3.0-tf");
    is_str(ef_nn_sha256(m), "40c7894e338daddcf3d86023e73e78ca3eaf905a207b9ab0196224ace2c69fda",
           "inception: sha256");
    /* group conv1d_106 holds conv1d_106_3/kernel:0 */
    L = layer(m, "conv1d_106");
    ok(L && L->nw == 1 && L->wlen[0] == 1 * 8 * 32 && !L->use_bias, "inception: conv1d_106 kernel "
       "read from its mismatched name conv1d_106_3/kernel:0");
    for (i = 0; i < m->nlayers; i++) {
        L = &m->layers[i];
        nadd += L->op == EF_NN_ADD;
        ncat += L->op == EF_NN_CONCAT;
        if (L->op == EF_NN_MAXPOOL) {
            npool++;
            if (npool == 1)
                ok(L->kernel == 3 && L->stride == 1 && L->padding == EF_PAD_SAME && L->pad_left == 1 &&
                   L->pad_right == 1 && L->steps == 250, "inception: MaxPooling1D(3, 1, same) pad 1/1");
        }
    }
    is_int((long long)nadd, 3, "inception: 3 Add");
    is_int((long long)ncat, 10, "inception: 10 Concatenate");
    is_int((long long)npool, 10, "inception: 10 MaxPooling1D");
    L = layer(m, "concatenate_20");
    if (!L)
        for (i = 0; i < m->nlayers && !L; i++)
            if (m->layers[i].op == EF_NN_CONCAT)
                L = &m->layers[i];
    ok(L && L->ninputs == 4 && L->ch == 64 && L->axis == 1 && L->steps == 250,
       "inception: concatenate_20 of 4 x 16 -> 250x64");
    for (i = 0, L = NULL; i < m->nlayers && !L; i++)
        if (m->layers[i].op == EF_NN_CONV1D && m->layers[i].kernel == 10)
            L = &m->layers[i];
    ok(L && L->pad_left == 4 && L->pad_right == 5, "inception: even kernel 10 pads 4/5 (extra right)");
    ef_nn_model_free(m);
}

static void test_keras3(void)
{
    char path[1200];
    ef_nn_model *m;
    ef_error err;
    const ef_nn_layer *L;
    int rc;

    snprintf(path, sizeof path, "%s/keras3.13-functional-conv1d.h5", fixdir);
    m = load(path, &rc, &err);
    is_int(rc, EF_OK, "keras 3.13 functional loads");
    if (!m)
        return;
    is_int((long long)ef_nn_layer_count(m), 12, "keras3: 12 layers");
    is_int((long long)ef_nn_param_count(m), 40069, "keras3: 40,069 weight values");
    is_int((long long)ef_nn_input_steps(m), 187, "keras3: input 187 steps (batch_shape)");
    is_int((long long)ef_nn_output_size(m), 5, "keras3: output 5");
    is_str(ef_nn_keras_version(m), "3.13.0", "keras3: version");
    is_str(ef_nn_sha256(m), "f12f878b4c2a7d3711d999e9edfc13bf4298f3f29569bad0cf87e3a72dcc7521",
           "keras3: sha256");
    L = layer(m, "conv1d");
    ok(L && L->act == EF_ACT_RELU && L->kernel == 5 && L->ninputs == 1 && L->inputs[0] == 0,
       "keras3: conv1d relu k=5 fed by the input (args/keras_history form)");
    L = layer(m, "max_pooling1d");
    ok(L && L->padding == EF_PAD_VALID && L->kernel == 2 && L->steps == 93, "keras3: valid pool 187 -> 93");
    L = layer(m, "batch_normalization");
    ok(L && L->axis == 1 && L->nw == 4, "keras3: BN axis -1 with 4 vectors");
    ef_nn_model_free(m);
}

static void test_dl4j(void)
{
    static const int ks[][3] = { { 2, 1, 1 }, { 2, 1, 2 }, { 2, 2, 1 }, { 2, 3, 1 }, { 3, 1, 1 },
                                 { 3, 1, 2 }, { 3, 2, 1 }, { 3, 3, 1 }, { 4, 1, 1 }, { 4, 1, 2 },
                                 { 4, 2, 1 }, { 4, 3, 1 } };
    size_t i, good = 0;

    for (i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        int k = ks[i][0], s = ks[i][1], d = ks[i][2], rc;
        int out = (16 + s - 1) / s, total = (out - 1) * s + (k - 1) * d + 1 - 16;
        char path[1200];
        ef_nn_model *m;
        ef_error err;
        const ef_nn_layer *L;

        snprintf(path, sizeof path, "%s/dl4j-conv1d/conv1d_k%d_s%d_d%d_cl_same_model.h5", fixdir, k, s, d);
        m = load(path, &rc, &err);
        if (!m) {
            ok(0, "dl4j k%d s%d d%d loads", k, s, d);
            continue;
        }
        if (total < 0)
            total = 0;
        L = &m->layers[1];
        if (m->nlayers == 2 && strcmp(m->layers[0].name, "conv0_input") == 0 && L->op == EF_NN_CONV1D &&
            L->kernel == k && L->stride == s && L->dilation == d && L->act == EF_ACT_SIGMOID &&
            (int)L->steps == out && L->ch == 4 && L->pad_left == total / 2 &&
            L->pad_right == total - total / 2 && m->params == (size_t)(k * 3 * 4 + 4) &&
            strcmp(m->keras_version, "2.3.1") == 0 && m->in_steps == 16 && m->in_ch == 3)
            good++;
        else
            diag("dl4j k%d s%d d%d: %zu layers, steps %zu, pad %d/%d, params %zu", k, s, d, m->nlayers,
                 L->steps, L->pad_left, L->pad_right, m->params);
        if (k == 2 && s == 3)
            ok(L->pad_left == 0 && L->pad_right == 1 && L->steps == 6, "dl4j k2 s3: out 6, pad 0/1");
        ef_nn_model_free(m);
    }
    is_int((long long)good, 12, "all 12 dl4j Sequential Conv1D models load with TF SAME splits");
}

/* ------------------------------------------------------------ PCLR */

static const struct { const char *name; int steps, ch, params; } pclr[] = {
    { "ecg", 4096, 12, 0 }, { "conv1d", 4096, 64, 12288 }, { "batch_normalization", 4096, 64, 256 },
    { "activation", 4096, 64, 0 }, { "conv1d_2", 4096, 128, 131072 },
    { "batch_normalization_1", 4096, 128, 512 }, { "activation_1", 4096, 128, 0 },
    { "max_pooling1d", 1024, 64, 0 }, { "conv1d_3", 1024, 128, 262144 }, { "conv1d_1", 1024, 128, 8192 },
    { "add", 1024, 128, 0 }, { "batch_normalization_2", 1024, 128, 512 }, { "activation_2", 1024, 128, 0 },
    { "conv1d_5", 1024, 196, 401408 }, { "batch_normalization_3", 1024, 196, 784 },
    { "activation_3", 1024, 196, 0 }, { "max_pooling1d_1", 256, 128, 0 }, { "conv1d_6", 256, 196, 614656 },
    { "conv1d_4", 256, 196, 25088 }, { "add_1", 256, 196, 0 }, { "batch_normalization_4", 256, 196, 784 },
    { "activation_4", 256, 196, 0 }, { "conv1d_8", 256, 256, 802816 },
    { "batch_normalization_5", 256, 256, 1024 }, { "activation_5", 256, 256, 0 },
    { "max_pooling1d_2", 64, 196, 0 }, { "conv1d_9", 64, 256, 1048576 }, { "conv1d_7", 64, 256, 50176 },
    { "add_2", 64, 256, 0 }, { "batch_normalization_6", 64, 256, 1024 }, { "activation_6", 64, 256, 0 },
    { "conv1d_11", 64, 320, 1310720 }, { "batch_normalization_7", 64, 320, 1280 },
    { "activation_7", 64, 320, 0 }, { "max_pooling1d_3", 16, 256, 0 }, { "conv1d_12", 16, 320, 1638400 },
    { "conv1d_10", 16, 320, 81920 }, { "add_3", 16, 320, 0 }, { "batch_normalization_8", 16, 320, 1280 },
    { "activation_8", 16, 320, 0 }, { "embed", 0, 320, 0 },
};

static float wval(size_t e, int w, int layer)
{
    return (float)((long)((e * 7 + (size_t)w * 3 + (size_t)layer) % 101) - 50) / 1000.0f;
}

static void test_pclr(const char *mode, int full)
{
    char path[1200];
    ef_nn_model *m;
    ef_error err;
    const ef_nn_layer *L;
    size_t i, good = 0;
    int rc;

    snprintf(path, sizeof path, "%s/pclr-%s.h5", tap_tmpdir(), mode);
    if (run_py("model '%s/reference/pclr-model-config.json' '%s' --strings %s", tap_shared(), path,
               strcmp(mode, "keras3") == 0 ? "vlen --keras3-names" : mode) != 0) {
        ok(0, "keras_h5_make.py writes a PCLR-config model (%s)", mode);
        return;
    }
    m = load(path, &rc, &err);
    is_int(rc, EF_OK, "PCLR-config .h5 (%s names) loads", mode);
    if (!m)
        return;
    is_int((long long)m->params, 6394912, "PCLR (%s): 6,394,912 params", mode);
    is_abs(m->flops, 3652190208.0, 0, "PCLR (%s): 3.652 GFLOP = 2 x 1,826,095,104 MACs", mode);
    if (!full) {
        ef_nn_model_free(m);
        return;
    }
    is_int((long long)m->nlayers, 41, "PCLR: 41 layers");
    is_str(m->name, "functional_1", "PCLR: model name");
    is_int((long long)ef_nn_output_size(m), 320, "PCLR: output 320");
    is_str(m->layers[m->output].name, "embed", "PCLR: output layer embed");
    for (i = 0; i < 41 && i < m->nlayers; i++) {
        L = &m->layers[i];
        if (strcmp(L->name, pclr[i].name) == 0 && L->ch == (size_t)pclr[i].ch &&
            (pclr[i].steps ? L->rank == 2 && L->steps == (size_t)pclr[i].steps : L->rank == 1) &&
            L->params == (size_t)pclr[i].params)
            good++;
        else
            diag("PCLR layer %zu %s: %zux%zu rank %d params %zu", i, L->name, L->steps, L->ch, L->rank,
                 L->params);
    }
    is_int((long long)good, 41, "PCLR: names, output shapes and params of all 41 layers as in §4");
    L = layer(m, "conv1d_3");
    ok(L && L->steps == 1024 && L->ch == 128 && L->pad_left == 6 && L->pad_right == 6 && L->stride == 4,
       "PCLR: conv1d_3 1024x128, k16 s4, pad 6/6");
    is_abs(L ? L->flops : 0, 2.0 * 268435456, 0, "PCLR: conv1d_3 MACs as in §4");
    L = layer(m, "conv1d");
    ok(L && L->pad_left == 7 && L->pad_right == 8 && !L->use_bias, "PCLR: conv1d pad 7/8, no bias");
    L = layer(m, "max_pooling1d_2");
    ok(L && L->pad_left == 0 && L->pad_right == 0 && L->kernel == 4 && L->stride == 4,
       "PCLR: max_pooling1d_2 pool 4 s 4 pad 0/0");
    L = layer(m, "add_1");
    ok(L && L->ninputs == 2 && !strcmp(m->layers[L->inputs[0]].name, "conv1d_6") &&
       !strcmp(m->layers[L->inputs[1]].name, "conv1d_4"), "PCLR: add_1 = conv1d_6 + conv1d_4 in order");
    L = layer(m, "max_pooling1d_1");
    ok(L && !strcmp(m->layers[L->inputs[0]].name, "add"), "PCLR: max_pooling1d_1 reads the raw sum");
    /* weights land where h5py put them: conv1d is layer 1, batch_normalization layer 2 */
    L = layer(m, "conv1d");
    ok(L && L->w[0][0] == wval(0, 0, 1) && L->w[0][12287] == wval(12287, 0, 1) &&
       L->w[0][(3 * 12 + 5) * 64 + 7] == wval((3 * 12 + 5) * 64 + 7, 0, 1),
       "PCLR: conv1d kernel values [k][cin][cout] as written");
    L = layer(m, "batch_normalization");
    ok(L && L->nw == 4 && L->w[1][3] == wval(3, 1, 2) && L->w[3][10] == wval(10, 3, 2) + 1.0f &&
       L->epsilon == 0.001, "PCLR: BN gamma/beta/mean/var in order, eps 0.001");
    {
        ef_nn_layer_info li;

        ef_nn_layer_get(m, 8, &li);
        is_str(li.shape, "1024x128", "info: conv1d_3 shape string");
        like(li.detail, "k=16 s=4 same pad 6/6", "info: conv1d_3 detail '%s'", li.detail);
        is_str(li.inputs, "activation_1", "info: conv1d_3 inputs");
        ef_nn_layer_get(m, 10, &li);
        is_str(li.inputs, "conv1d_3,conv1d_1", "info: add inputs");
        ef_nn_layer_get(m, 40, &li);
        is_str(li.shape, "320", "info: embed shape");
    }
    /* another input length: 2500 steps gives odd SAME splits */
    rc = ef_nn_model_set_input_steps(m, 2500, &err);
    L = layer(m, "max_pooling1d");
    ok(rc == EF_OK && L && L->steps == 625 && (L = layer(m, "embed")) && L->ch == 320,
       "PCLR re-resolved for 2500 steps");
    L = layer(m, "max_pooling1d_1");
    ok(L && L->steps == 157 && L->pad_left == 1 && L->pad_right == 2, "PCLR@2500: 625 -> 157, pad 1/2");
    ef_nn_model_free(m);
}

/* ------------------------------------------------------------ configs */

/* Parse a config and resolve it (no weights); NULL and *rc on failure. */
static ef_nn_model *parse(const char *json, int *rc, ef_error *err)
{
    ef_nn_model *m = ef_xcalloc(1, sizeof *m);

    ef_error_clear(err);
    m->path = ef_xstrdup("cfg.h5");
    *rc = ef_keras_parse_config(json, strlen(json), "cfg.h5", m, err);
    if (*rc == EF_OK)
        *rc = ef_nn_model_finish(m, err);
    if (*rc != EF_OK) {
        ef_nn_model_free(m);
        return NULL;
    }
    return m;
}

#define K2(cls, name, cfg, in) "{\"class_name\": \"" cls "\", \"name\": \"" name "\", \"config\": " \
    "{\"name\": \"" name "\"" cfg "}, \"inbound_nodes\": [[" in "]]}"
#define IN(name) "[\"" name "\", 0, 0, {}]"
#define FUNC(layers, out) "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [" \
    "{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"name\": \"x\", " \
    "\"batch_input_shape\": [null, 10, 3]}, \"inbound_nodes\": []}, " layers "], " \
    "\"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"" out "\", 0, 0]]}}"

static void config_fails(const char *json, int want, const char *needle, const char *what)
{
    ef_error err;
    int rc;
    ef_nn_model *m = parse(json, &rc, &err);

    ok(m == NULL && rc == want, "%s: rejected (status %d)", what, rc);
    like(err.msg, needle, "%s: '%s'", what, err.msg);
    ef_nn_model_free(m);
}

static void test_configs(void)
{
    ef_nn_model *m;
    ef_error err;
    const ef_nn_layer *L;
    int rc;

    /* Keras 3 Sequential: an InputLayer with batch_shape inside the list */
    m = parse("{\"class_name\": \"Sequential\", \"config\": {\"name\": \"seq\", \"layers\": ["
              "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 100, 2], "
              "\"dtype\": \"float32\", \"name\": \"input_layer\"}},"
              "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"c\", \"filters\": 4, \"kernel_size\": 3,"
              " \"strides\": 2, \"padding\": \"causal\", \"activation\": {\"module\": \"keras.activations\","
              " \"class_name\": \"function\", \"config\": \"gelu\"}, \"dtype\": {\"module\": \"keras\", "
              "\"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}}}},"
              "{\"class_name\": \"ZeroPadding1D\", \"config\": {\"name\": \"z\", \"padding\": [1, 2]}},"
              "{\"class_name\": \"AveragePooling1D\", \"config\": {\"name\": \"ap\", \"pool_size\": [3], "
              "\"strides\": null, \"padding\": \"same\"}},"
              "{\"class_name\": \"ReLU\", \"config\": {\"name\": \"r\", \"max_value\": 6.0, "
              "\"negative_slope\": 0.1, \"threshold\": 0.5}},"
              "{\"class_name\": \"LeakyReLU\", \"config\": {\"name\": \"lr\", \"alpha\": 0.2}},"
              "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"fl\"}},"
              "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"dr\", \"rate\": 0.5}},"
              "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 7, \"activation\": \"swish\"}},"
              "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"axis\": [1], "
              "\"center\": false, \"epsilon\": 0.01}}"
              "]}}", &rc, &err);
    is_int(rc, EF_OK, "Keras 3 Sequential config parses (%s)", err.msg);
    if (m) {
        is_int((long long)m->nlayers, 10, "sequential: InputLayer kept as layer 0");
        L = &m->layers[1];
        ok(L->padding == EF_PAD_CAUSAL && L->pad_left == 2 && L->pad_right == 0 && L->steps == 50 &&
           L->act == EF_ACT_GELU && L->use_bias && L->inputs[0] == 0, "causal conv k3 s2: pad 2/0, 50 steps, gelu");
        ok(m->layers[2].steps == 53 && m->layers[2].pad_left == 1 && m->layers[2].pad_right == 2,
           "ZeroPadding1D [1, 2]: 53 steps");
        L = &m->layers[3];
        ok(L->kernel == 3 && L->stride == 3 && L->steps == 18 && L->pad_left == 0 && L->pad_right == 1,
           "AveragePooling1D 3 (strides null = pool) same: 18 steps, pad 0/1");
        L = &m->layers[4];
        ok(L->relu_max == 6 && L->relu_slope == 0.1 && L->relu_threshold == 0.5, "ReLU arguments");
        ok(m->layers[5].op == EF_NN_RELU && m->layers[5].relu_slope == 0.2 && m->layers[5].relu_max < 0,
           "LeakyReLU alpha 0.2");
        ok(m->layers[6].rank == 1 && m->layers[6].ch == 18 * 4, "Flatten: 72");
        L = &m->layers[8];
        ok(L->op == EF_NN_DENSE && L->ch == 7 && L->act == EF_ACT_SWISH && L->flops == 2.0 * 72 * 7,
           "Dense(7, swish) on 72: 2*72*7 FLOPs");
        L = &m->layers[9];
        ok(L->axis == 1 && !L->center && L->scale && L->epsilon == 0.01 && L->params == 21,
           "BN axis 1 on a vector = channels; center=false stores 3 vectors");
        is_int((long long)m->params, 4 * 3 * 2 + 4 + 72 * 7 + 7 + 21, "sequential: params");
        ef_nn_model_free(m);
    }
    /* old Keras 2 Sequential: config is the bare list, input shape on the first layer */
    m = parse("{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Conv1D\", \"config\": "
              "{\"name\": \"c0\", \"batch_input_shape\": [null, null, 5], \"filters\": 2, "
              "\"kernel_size\": [4], \"use_bias\": false}}, {\"class_name\": \"GlobalMaxPooling1D\", "
              "\"config\": {\"name\": \"g\"}}]}", &rc, &err);
    is_int(rc, EF_OK, "Keras 2 bare-list Sequential with open length parses (%s)", err.msg);
    if (m) {
        ok(m->nlayers == 3 && !strcmp(m->layers[0].name, "c0_input") && m->in_steps == 0 &&
           m->in_ch == 5 && m->params == 40 && m->flops == 0, "implicit input c0_input, open length, 40 params");
        rc = ef_nn_model_set_input_steps(m, 20, &err);
        ok(rc == EF_OK && m->layers[1].steps == 17 && m->flops == 2.0 * 17 * 4 * 5 * 2,
           "set_input_steps(20): valid conv k4 -> 17 steps, FLOPs follow");
        ef_nn_model_free(m);
    }
    /* Keras 3 functional Add with a list of __keras_tensor__ args, bare output triple */
    m = parse("{\"class_name\": \"Functional\", \"config\": {\"name\": \"k3\", \"layers\": ["
              "{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"name\": \"x\", "
              "\"batch_shape\": [null, 8, 2]}, \"inbound_nodes\": []},"
              "{\"class_name\": \"Activation\", \"name\": \"a\", \"config\": {\"name\": \"a\", "
              "\"activation\": \"tanh\"}, \"inbound_nodes\": [{\"args\": [{\"class_name\": "
              "\"__keras_tensor__\", \"config\": {\"shape\": [null, 8, 2], \"keras_history\": [\"x\", 0, 0]}}],"
              " \"kwargs\": {}}]},"
              "{\"class_name\": \"Add\", \"name\": \"s\", \"config\": {\"name\": \"s\"}, \"inbound_nodes\": "
              "[{\"args\": [[{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"a\", 0, 0]}},"
              " {\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"x\", 0, 0]}}]], "
              "\"kwargs\": {}}]}], \"input_layers\": [\"x\", 0, 0], \"output_layers\": [\"s\", 0, 0]}}",
              &rc, &err);
    is_int(rc, EF_OK, "Keras 3 functional Add parses (%s)", err.msg);
    if (m) {
        L = &m->layers[2];
        ok(m->output == 2 && L->ninputs == 2 && L->inputs[0] == 1 && L->inputs[1] == 0 &&
           m->layers[1].act == EF_ACT_TANH, "Keras 3 args list: Add(a, x), bare output triple");
        ef_nn_model_free(m);
    }

    config_fails(FUNC(K2("Dense", "d", ", \"units\": 3", IN("x")), "d"), EF_EUNSUP,
                 "layer 'd' (Dense): Dense on a [steps x channels] input", "Dense on a 2-D input");
    config_fails(FUNC(K2("Concatenate", "c", ", \"axis\": 1", IN("x") ", " IN("x")), "c"), EF_EUNSUP,
                 "steps axis", "Concatenate along steps");
    config_fails(FUNC(K2("Activation", "a", ", \"activation\": \"relu\"", IN("b")) ", "
                      K2("Activation", "b", ", \"activation\": \"relu\"", IN("x")), "a"),
                 EF_EDATA, "layer 'a' (Activation): input b is not an earlier layer", "topological order");
    config_fails(FUNC(K2("Activation", "a", ", \"activation\": \"relu\"", IN("nope")), "a"), EF_EDATA,
                 "input 'nope' is not a layer", "unknown input");
    config_fails(FUNC(K2("Activation", "a", ", \"activation\": \"relu\"", "[\"x\", 1, 0, {}]"), "a"),
                 EF_EUNSUP, "shared layers", "second node of a layer");
    config_fails(FUNC(K2("Add", "a", "", IN("x") ", " IN("m")) ", "
                      K2("MaxPooling1D", "m", ", \"pool_size\": [2]", IN("x")), "a"),
                 EF_EDATA, "not an earlier layer", "Add with a later input");
    config_fails(FUNC(K2("MaxPooling1D", "m", ", \"pool_size\": [2]", IN("x")) ", "
                      K2("Add", "a", "", IN("x") ", " IN("m")), "a"),
                 EF_EDATA, "layer 'a' (Add): input shapes differ: 10x3 (x) and 5x3 (m)", "Add shape mismatch");
    config_fails(FUNC(K2("Conv1D", "c", ", \"filters\": 2, \"kernel_size\": [3], \"padding\": \"full\"",
                         IN("x")), "c"), EF_EUNSUP, "padding 'full'", "unknown padding");
    config_fails(FUNC(K2("Conv1D", "c", ", \"filters\": 0, \"kernel_size\": [3]", IN("x")), "c"), EF_EDATA,
                 "'filters' must be in [1, 65536]", "zero filters");
    config_fails(FUNC(K2("Conv1D", "c", ", \"filters\": 99999999999999999999, \"kernel_size\": [3]",
                         IN("x")), "c"), EF_EPARSE, "not valid JSON", "integer overflow in JSON");
    config_fails(FUNC(K2("Conv1D", "c", ", \"filters\": 2, \"kernel_size\": [3], \"dtype\": "
                         "\"mixed_float16\"", IN("x")), "c"), EF_EUNSUP, "dtype 'mixed_float16'", "float16 policy");
    config_fails(FUNC(K2("GlobalAveragePooling1D", "g", ", \"keepdims\": true", IN("x")), "g"),
                 EF_EUNSUP, "keepdims", "GAP keepdims");
    config_fails(FUNC(K2("Activation", "a", ", \"activation\": \"relu\"", IN("x")), "zz"), EF_EDATA,
                 "the output layer 'zz' is not among the layers", "unknown output");
    config_fails("{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [], "
                 "\"input_layers\": [], \"output_layers\": []}}", EF_EPARSE, "no 'layers'", "no layers");
    config_fails("[1, 2", EF_EPARSE, "not valid JSON", "truncated JSON");
    config_fails("{\"class_name\": \"Bidirectional\", \"config\": {}}", EF_EUNSUP,
                 "model class 'Bidirectional'", "unknown model class");
    config_fails("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Dense\", "
                 "\"config\": {\"name\": \"d\", \"units\": 2}}]}}", EF_EUNSUP, "does not record its input shape",
                 "Sequential without an input shape");
}

/* ------------------------------------------------------------ errors */

static void expect_fail(const char *path, int want, const char *needle, const char *what)
{
    ef_nn_model *m = NULL;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    rc = ef_nn_load_keras(path, &m, &err);
    is_int(rc, want, "%s: status", what);
    ok(m == NULL, "%s: no model", what);
    like(err.msg, needle, "%s: message '%s'", what, err.msg);
    is_str(err.file, path, "%s: names the file", what);
}

static void test_errors(void)
{
    char src[1200], path[1200];
    FILE *f, *g;
    char buf[65536];
    size_t n, total = 0;

    snprintf(src, sizeof src, "%s/tf2.8-functional-resnet1d.h5", fixdir);
    snprintf(path, sizeof path, "%s/none.h5", tap_tmpdir());
    expect_fail(path, EF_ENOTFOUND, "no such file", "missing file");
    snprintf(path, sizeof path, "%s/text.h5", tap_tmpdir());
    f = fopen(path, "w");
    fputs("{\"not\": \"hdf5\"}\n", f);
    fclose(f);
    expect_fail(path, EF_EPARSE, "not an HDF5 file", "text file");

    /* truncated: the first 1 MB of a 2.1 MB model */
    snprintf(path, sizeof path, "%s/truncated.h5", tap_tmpdir());
    f = fopen(src, "rb");
    g = fopen(path, "wb");
    while (f && g && total < 1000000 && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        fwrite(buf, 1, n, g);
        total += n;
    }
    if (f)
        fclose(f);
    if (g)
        fclose(g);
    {
        ef_nn_model *m = NULL;
        ef_error err;
        int rc;

        ef_error_clear(&err);
        rc = ef_nn_load_keras(path, &m, &err);
        ok(rc != EF_OK && m == NULL, "truncated file is an error (%s)", err.msg);
        is_str(err.file, path, "truncated: names the file");
    }
#define EDIT(name, args) (snprintf(path, sizeof path, "%s/%s.h5", tap_tmpdir(), name), \
                          run_py("edit '%s' '%s' %s", src, path, args) == 0)
    if (EDIT("noconfig", "no-config"))
        expect_fail(path, EF_EDATA, "no model_config", "missing model_config");
    if (EDIT("wrongshape", "wrong-shape conv1d_11 conv1d_11/kernel:0"))
        expect_fail(path, EF_EDATA, "layer 'conv1d_11' (Conv1D): weight kernel (dataset "
                    "model_weights/conv1d_11/conv1d_11/kernel:0) has shape (7, 1, 64), the config "
                    "implies (8, 1, 64)", "wrong weight shape");
    if (EDIT("float64", "float64 dense_1 dense_1/bias:0"))
        expect_fail(path, EF_EUNSUP, "only float32", "float64 weights");
    if (EDIT("lstm", "class global_average_pooling1d_1 LSTM"))
        expect_fail(path, EF_EUNSUP, "layer 'global_average_pooling1d_1' (LSTM): not supported by "
                    "ecgfit (supported: InputLayer, Conv1D", "unsupported layer class");
    if (EDIT("ghost", "ghost-layer ghost_layer"))
        expect_fail(path, EF_EDATA, "layer_names lists 'ghost_layer' but the file has no group "
                    "model_weights/ghost_layer", "layer_names entry without a group");
    if (EDIT("bnaxis", "config-set batch_normalization_12 axis '[1]'"))
        expect_fail(path, EF_EUNSUP, "layer 'batch_normalization_12' (BatchNormalization): "
                    "normalising over the steps axis", "BN over the steps axis");
    if (EDIT("chfirst", "config-set conv1d_11 data_format '\"channels_first\"'"))
        expect_fail(path, EF_EUNSUP, "data_format 'channels_first' is not supported",
                    "channels_first");
    if (EDIT("act", "config-set conv1d_11 activation '\"hard_sigmoid\"'"))
        expect_fail(path, EF_EUNSUP, "activation 'hard_sigmoid' is not supported", "unknown activation");
    if (EDIT("bigfilters", "config-set conv1d_11 filters 65"))
        expect_fail(path, EF_EDATA, "has shape (8, 1, 64), the config implies (8, 1, 65)",
                    "filters disagree with the stored kernel");
    /* 5 x 60000 x 1000 floats: allowed by the 2^31 limit, not by a 2 MB file */
    if (EDIT("huge", "config-set conv1d_11 filters 60000 conv1d_12 filters 1000"))
        expect_fail(path, EF_EDATA, "far more than the file holds", "config implying huge weights");
    if (EDIT("toomany", "config-set conv1d_11 filters 65536 conv1d_12 filters 65536"))
        expect_fail(path, EF_EUNSUP, "more than 2^31 weight values", "more than 2^31 weights");
    if (EDIT("pyramid", "config-set conv1d_11 kernel_size '[2000]' conv1d_11 padding '\"valid\"'"))
        expect_fail(path, EF_EDATA, "shorter than the window", "valid conv longer than its input");
    if (EDIT("groups", "config-set conv1d_11 groups 2"))
        expect_fail(path, EF_EUNSUP, "groups=2", "grouped convolution");
    if (EDIT("badinput", "config-set input_2 batch_input_shape '[null, 1001]'"))
        expect_fail(path, EF_EUNSUP, "[batch, steps, channels]", "2-D input");
#undef EDIT
}

int main(void)
{
    const char *sh = tap_shared();

    test_sha256();
    test_configs();
    if (!sh) {
        diag("../shared is absent: fixture tests skipped");
        return done_testing();
    }
    snprintf(fixdir, sizeof fixdir, "%s/fixtures/keras", sh);
    py = getenv("PYTHON3") && *getenv("PYTHON3") ? getenv("PYTHON3") : "/usr/bin/python3";
    {
        char cmd[1200];

        snprintf(cmd, sizeof cmd, "'%s' -c 'import h5py, numpy' >/dev/null 2>&1", py);
        have_h5py = system(cmd) == 0;
    }
    test_resnet();
    test_inception();
    test_keras3();
    test_dl4j();
    if (have_h5py) {
        test_pclr("fixed", 1);
        test_pclr("vlen", 0);
        test_pclr("split", 0);
        test_pclr("keras3", 0);
        test_errors();
    } else
        diag("h5py is not available: generated-model and broken-file tests skipped");
    return done_testing();
}
