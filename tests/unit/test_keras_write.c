/* test_keras_write.c — the Keras .h5 writer and the PCLR description:
 * the model_config against reference/pclr-model-config.json, the file layout
 * and string storage read back with HDF5, reproducibility (no timestamps),
 * atomic writes, argument checks, and that ef_nn_load_keras accepts every
 * string storage and gets the weights bit for bit; the calibrated BN
 * statistics keep activations in range through the four units. */
#include "config.h"
#include "tap.h"
#include "nn/ef_keras_write.h"
#include "nn/ef_nn.h"
#include "nn/ef_nn_int.h"
#include "core/ef_alloc.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;

    *len = 0;
    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
        buf = ef_xmalloc((size_t)n + 1);
        if (fread(buf, 1, (size_t)n, fp) == (size_t)n) {
            buf[n] = 0;
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(fp);
    return buf;
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;

    free(x);
    free(y);
    return same;
}

/* String type facts of an attribute: 1 vlen / 0 fixed, cset, strpad, npoints; -1 if absent. */
struct sattr { int vlen, cset, pad, cls; long n; size_t size; };

static struct sattr attr_facts(hid_t loc, const char *obj, const char *name)
{
    struct sattr f = { -1, -1, -1, -1, -1, 0 };
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT), t, s;

    if (a < 0)
        return f;
    t = H5Aget_type(a);
    s = H5Aget_space(a);
    f.cls = (int)H5Tget_class(t);
    if (f.cls == H5T_STRING) {
        f.vlen = H5Tis_variable_str(t) > 0;
        f.cset = (int)H5Tget_cset(t);
        f.pad = (int)H5Tget_strpad(t);
    }
    f.size = H5Tget_size(t);
    f.n = (long)H5Sget_simple_extent_npoints(s);
    H5Sclose(s);
    H5Tclose(t);
    H5Aclose(a);
    return f;
}

static char *attr_vlen_scalar(hid_t loc, const char *name)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = H5Tcopy(H5T_C_S1);
    char *v = NULL, *copy = NULL;

    H5Tset_size(t, H5T_VARIABLE);
    if (a >= 0 && H5Aread(a, t, &v) >= 0 && v) {
        copy = ef_xstrdup(v);
        H5free_memory(v);
    }
    H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return copy;
}

static size_t nweights(const ef_kw_model *m, size_t *narrays)
{
    size_t n = 0;

    *narrays = 0;
    for (size_t i = 0; i < m->nlayers; i++)
        for (int j = 0; j < m->layers[i].nvars; j++) {
            const ef_kw_var *v = &m->layers[i].vars[j];
            size_t k = 1;
            for (int d = 0; d < v->rank; d++)
                k *= v->dims[d];
            n += k;
            (*narrays)++;
        }
    return n;
}

static void check_config(void)
{
    const char *shared = tap_shared();
    ef_kw_model m;
    ef_error err;
    size_t len, narrays;
    char *path, *ref;
    int f[5];

    ef_pclr_filters(1.0, f);
    ok(f[0] == 64 && f[1] == 128 && f[2] == 196 && f[3] == 256 && f[4] == 320, "PCLR filter counts");
    ef_pclr_filters(0.25, f);
    ok(f[0] == 16 && f[1] == 32 && f[2] == 49 && f[3] == 64 && f[4] == 80, "width 0.25 rounds (196/4 = 49)");
    ef_pclr_filters(0.001, f);
    ok(f[0] == 1 && f[4] == 1, "tiny widths keep one filter");

    is_int(ef_pclr_build(1.0, 0, 7, &m, &err), EF_OK, "build PCLR (input length 0 = 4096)");
    is_int((long long)m.nlayers, 41, "41 layers");
    is_int((long long)nweights(&m, &narrays), 6394912, "6,394,912 parameters");
    is_int((long long)narrays, 49, "49 weight arrays (13 kernels + 9 BN x 4)");
    is_str(m.layers[9].name, "conv1d_1", "layer 9 is unit 1's skip conv (Keras numbering)");
    is_str(m.layers[2].vars[3].name, "batch_normalization/moving_variance:0", "BN weight name");
    if (shared) {
        path = ef_xasprintf("%s/reference/pclr-model-config.json", shared);
        ref = slurp(path, &len);
        ok(ref && strcmp(m.model_config, ref) == 0,
           "model_config is byte-identical to reference/pclr-model-config.json");
        free(ref);
        free(path);
    } else {
        ok(strstr(m.model_config, "\"output_layers\": [[\"embed\", 0, 0]]") != NULL,
           "model_config ends at embed (../shared absent: no byte comparison)");
    }
    ef_kw_model_free(&m);

    is_int(ef_pclr_build(0.5, 2500, 7, &m, &err), EF_OK, "build the C3PO-like 2500-step input");
    like(m.model_config, "\"batch_input_shape\": [null, 2500, 12]", "input length in the config");
    like(m.model_config, "\"filters\": 98,", "width 0.5 scales 196 to 98");
    ef_kw_model_free(&m);

    is_int(ef_pclr_build(0, 4096, 7, &m, &err), EF_EINVAL, "width 0 refused");
    like(err.msg, "width scale", "message names the width scale");
    is_int(ef_pclr_build(NAN, 4096, 7, &m, &err), EF_EINVAL, "width NaN refused");
    is_int(ef_pclr_build(8, 4096, 7, &m, &err), EF_EINVAL, "width 8 refused");
    is_int(ef_pclr_build(1, 8, 7, &m, &err), EF_EINVAL, "8 input steps refused");
    like(err.msg, "input length", "message names the input length");
}

static void check_layout(const char *dir)
{
    char *p = ef_xasprintf("%s/s.h5", dir), *cfg;
    ef_kw_model m;
    ef_error err;
    hid_t f, d;
    struct sattr a;
    H5O_info_t oi;
    float *buf;
    size_t n;
    int same;

    ef_pclr_build(0.125, 512, 3, &m, &err);
    is_int(ef_keras_write(p, &m, 0, &err), EF_OK, "write a width-1/8 PCLR");
    f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
    ok(f >= 0, "HDF5 opens it");
    a = attr_facts(f, ".", "keras_version");
    ok(a.vlen == 1 && a.cset == H5T_CSET_UTF8 && a.n == 1, "keras_version: scalar vlen UTF-8 (h5py 3 str)");
    a = attr_facts(f, ".", "backend");
    ok(a.vlen == 1 && a.cset == H5T_CSET_UTF8, "backend: vlen UTF-8");
    a = attr_facts(f, ".", "model_config");
    ok(a.vlen == 1 && a.cset == H5T_CSET_ASCII, "model_config: vlen ASCII (Keras writes bytes)");
    cfg = attr_vlen_scalar(f, "model_config");
    ok(cfg && strcmp(cfg, m.model_config) == 0, "model_config text round-trips");
    free(cfg);
    cfg = attr_vlen_scalar(f, "keras_version");
    is_str(cfg, "2.4.0", "keras_version 2.4.0");
    free(cfg);
    a = attr_facts(f, "model_weights", "layer_names");
    ok(a.vlen == 1 && a.n == 41, "layer_names: 41 vlen strings");
    a = attr_facts(f, "model_weights", "keras_version");
    ok(a.vlen == 1 && a.cset == H5T_CSET_ASCII, "model_weights keras_version: vlen ASCII");
    a = attr_facts(f, "model_weights/activation_3", "weight_names");
    ok(a.cls == H5T_FLOAT && a.size == 8 && a.n == 0, "weightless layer: empty float64 weight_names");
    a = attr_facts(f, "model_weights/batch_normalization_8", "weight_names");
    ok(a.vlen == 1 && a.n == 4, "BN weight_names: 4 vlen strings");
    d = H5Dopen2(f, "model_weights/conv1d_12/conv1d_12/kernel:0", H5P_DEFAULT);
    ok(d >= 0, "kernel at /model_weights/<layer>/<layer>/kernel:0");
    if (d >= 0) {
        hid_t s = H5Dget_space(d), t = H5Dget_type(d);
        hsize_t dims[3] = { 0, 0, 0 };
        H5Sget_simple_extent_dims(s, dims, NULL);
        ok(dims[0] == 16 && dims[1] == 40 && dims[2] == 40, "conv1d_12 kernel [16, 40, 40]");
        ok(H5Tequal(t, H5T_IEEE_F32LE) > 0, "float32 LE");
        {
            hid_t pl = H5Dget_create_plist(d);
            ok(H5Pget_layout(pl) == H5D_CONTIGUOUS && H5Pget_nfilters(pl) == 0,
               "contiguous, no filters");
            H5Pclose(pl);
        }
        n = 16 * 40 * 40;
        buf = ef_xmalloc(n * sizeof *buf);
        H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        ok(memcmp(buf, m.layers[35].vars[0].data, n * sizeof *buf) == 0, "kernel values round-trip");
        free(buf);
        H5Oget_info2(d, &oi, H5O_INFO_TIME);
        is_int((long long)oi.mtime, 0, "no modification time on datasets");
        H5Tclose(t);
        H5Sclose(s);
        H5Dclose(d);
    }
    H5Oget_info_by_name2(f, "model_weights/conv1d", &oi, H5O_INFO_TIME, H5P_DEFAULT);
    is_int((long long)oi.mtime, 0, "no modification time on groups");
    H5Fclose(f);

    /* same seed, same bytes; another seed, other bytes */
    {
        char *p2 = ef_xasprintf("%s/s2.h5", dir), *p3 = ef_xasprintf("%s/s3.h5", dir);
        ef_kw_model m3;
        is_int(ef_nn_write_pclr(p2, 0.125, 512, 3, &err), EF_OK, "ef_nn_write_pclr");
        ok(same_file(p, p2), "same seed: byte-identical file");
        ef_pclr_build(0.125, 512, 4, &m3, &err);
        ef_keras_write(p3, &m3, 0, &err);
        ok(!same_file(p, p3), "another seed: another file");
        same = memcmp(m3.layers[1].vars[0].data, m.layers[1].vars[0].data, 16 * 12 * 8 * sizeof(float)) == 0;
        ok(!same, "another seed: other kernels");
        ef_kw_model_free(&m3);
        remove(p2);
        remove(p3);
        free(p2);
        free(p3);
    }

    /* atomic: no temporary left behind; a failed write leaves nothing */
    {
        DIR *dd = opendir(dir);
        struct dirent *e;
        int tmp = 0;
        char *bad = ef_xasprintf("%s/no/such/dir/x.h5", dir);
        while (dd && (e = readdir(dd)))
            tmp += strstr(e->d_name, ".tmp") != NULL;
        if (dd)
            closedir(dd);
        is_int(tmp, 0, "no temporary file left");
        is_int(ef_keras_write(bad, &m, 0, &err), EF_EIO, "unwritable path: EF_EIO");
        like(err.msg, "cannot create", "message says what failed");
        free(bad);
    }
    ef_kw_model_free(&m);
    remove(p);
    free(p);
}

/* Every string storage loads in ecgfit with the same weights, bit for bit. */
static void check_loader(const char *dir)
{
    /* UTF-8 first: once HDF5 has converted one vlen string type in this
     * process it also converts the other cset, so later reads would pass
     * even for a reader whose memory type ignores the cset */
    static const unsigned flags[3] = { EF_KW_ALL_UTF8, 0, EF_KW_FIXED_NAMES };
    static const char *const what[3] = { "all UTF-8", "vlen (h5py 3)", "fixed-length names (h5py 2)" };
    ef_kw_model m;
    ef_error err;

    ef_pclr_build(0.25, 1000, 5, &m, &err);
    for (int k = 0; k < 3; k++) {
        char *p = ef_xasprintf("%s/l%d.h5", dir, k);
        ef_nn_model *nm = NULL;
        int rc, equal = 1;

        ef_keras_write(p, &m, flags[k], &err);
        rc = ef_nn_load_keras(p, &nm, &err);
        is_int(rc, EF_OK, "ef_nn_load_keras accepts %s strings", what[k]);
        if (rc != EF_OK) {
            diag("%s", err.msg);
            free(p);
            continue;
        }
        ok(ef_nn_layer_count(nm) == 41 && ef_nn_input_steps(nm) == 1000 &&
           ef_nn_input_channels(nm) == 12 && ef_nn_output_size(nm) == 80,
           "%s: 41 layers, 1000x12 -> 80", what[k]);
        is_str(ef_nn_keras_version(nm), "2.4.0", "%s: keras_version", what[k]);
        for (size_t i = 0; i < m.nlayers; i++) {
            const ef_nn_layer *l = &nm->layers[i];
            if (strcmp(l->name, m.layers[i].name) != 0 || l->nw != m.layers[i].nvars) {
                equal = 0;
                continue;
            }
            for (int j = 0; j < l->nw; j++) {
                const ef_kw_var *v = &m.layers[i].vars[j];
                size_t cnt = v->dims[0] * (v->rank > 1 ? v->dims[1] : 1) * (v->rank > 2 ? v->dims[2] : 1);
                if (l->wlen[j] != cnt || memcmp(l->w[j], v->data, cnt * sizeof(float)) != 0)
                    equal = 0;
            }
        }
        ok(equal, "%s: names and every weight array equal the written ones", what[k]);
        ef_nn_model_free(nm);
        remove(p);
        free(p);
    }
    ef_kw_model_free(&m);
}

/* A 10 s ECG-like test signal (mV) unlike the writer's own: rectified
 * sine bursts per lead. */
static void test_ecg(float *x, size_t steps, int seed)
{
    for (size_t t = 0; t < steps; t++)
        for (int c = 0; c < 12; c++) {
            double ph = fmod((double)t / (double)steps * 10.0 * (1.0 + 0.1 * seed) + 0.07 * c, 0.85);
            double qrs = ph < 0.1 ? sin(ph / 0.1 * 3.14159) * (c % 3 == 0 ? -0.8 : 1.2) : 0;
            double tw = ph > 0.3 && ph < 0.5 ? 0.25 * sin((ph - 0.3) / 0.2 * 3.14159) : 0;
            x[t * 12 + (size_t)c] = (float)(qrs + tw + 0.02 * sin(0.37 * (double)t + c));
        }
}

/* Calibrated BN keeps every post-BN activation near N(beta, gamma^2):
 * the per-layer RMS of the unit outputs stays within [0.2, 5]. */
static void check_activations(const char *dir)
{
    static const char *const layers[5] = { "activation", "activation_2", "activation_4",
                                           "activation_6", "activation_8" };
    char *p = ef_xasprintf("%s/a.h5", dir);
    ef_nn_model *nm = NULL;
    ef_nn_runner *r = NULL;
    ef_error err;
    size_t steps = 2048;
    float *x = ef_xmalloc(2 * steps * 12 * sizeof *x), *y, emb[2 * 160];
    int rc;

    ef_nn_write_pclr(p, 0.5, steps, 7, &err);
    rc = ef_nn_load_keras(p, &nm, &err);
    if (rc == EF_OK)
        rc = ef_nn_runner_new(nm, 2, 1, &r, &err);
    is_int(rc, EF_OK, "load and plan a width-1/2 PCLR");
    if (rc != EF_OK) {
        diag("%s", err.msg);
        ef_nn_model_free(nm);
        free(x);
        free(p);
        return;
    }
    test_ecg(x, steps, 0);
    test_ecg(x + steps * 12, steps, 1);
    for (int k = 0; k < 5; k++) {
        long li = ef_nn_layer_find(nm, layers[k]);
        size_t sz = li >= 0 ? ef_nn_layer_output_size(nm, (size_t)li) : 0;
        double ss = 0;
        y = ef_xmalloc(2 * sz * sizeof *y + 1);
        rc = li >= 0 ? ef_nn_run_to(r, x, 2, (size_t)li, y, &err) : EF_ENOTFOUND;
        for (size_t i = 0; i < 2 * sz; i++)
            ss += (double)y[i] * y[i];
        ss = sz ? sqrt(ss / (double)(2 * sz)) : 0;
        ok(rc == EF_OK && ss > 0.2 && ss < 5, "%s: RMS %.3f in [0.2, 5]", layers[k], ss);
        free(y);
    }
    rc = ef_nn_run(r, x, 2, emb, &err);
    {
        double mn = 1e30, mx = -1e30, d = 0;
        for (int i = 0; i < 320; i++) {
            mn = fmin(mn, emb[i]);
            mx = fmax(mx, emb[i]);
        }
        for (int i = 0; i < 160; i++)
            d = fmax(d, fabs(emb[i] - emb[160 + i]));
        ok(rc == EF_OK && mn >= 0 && mx > 0.05 && mx < 20, "embedding in [0, %.2f], not degenerate", mx);
        ok(d > 1e-3, "two different ECGs give different embeddings (max diff %.3f)", d);
    }
    ef_nn_runner_free(r);
    ef_nn_model_free(nm);
    remove(p);
    free(x);
    free(p);
}

int main(void)
{
    const char *dir = tap_tmpdir();

    check_config();
    check_loader(dir);          /* first HDF5 reads of the process: see there */
    check_layout(dir);
    check_activations(dir);
    rmdir(dir);
    return done_testing();
}
