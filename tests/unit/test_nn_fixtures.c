/* test_nn_fixtures.c — the loader and the runner together on real
 * Keras-written models (../shared/fixtures/keras): the three models against
 * their tfjs-oracle references (*.ref.h5: input, output/<layer> for the final
 * and the global-average-pooling layer) and the twelve dl4j Conv1D "same"
 * models against Keras's own stored predictions.  Tolerance: max |error|
 * <= 1e-5 x max |reference|.  Skipped without ../shared. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "nn/ef_nn_int.h"

#include <dirent.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read a float dataset as doubles (dims up to 3); NULL if absent. */
static double *read_ds(hid_t f, const char *name, hsize_t dims[3], int *rank)
{
    hid_t d, sp;
    double *v;
    hssize_t n;

    if (H5Lexists(f, name, H5P_DEFAULT) <= 0 || (d = H5Dopen2(f, name, H5P_DEFAULT)) < 0)
        return NULL;
    sp = H5Dget_space(d);
    *rank = H5Sget_simple_extent_ndims(sp);
    dims[0] = dims[1] = dims[2] = 1;
    H5Sget_simple_extent_dims(sp, dims, NULL);
    n = H5Sget_simple_extent_npoints(sp);
    v = ef_xmalloc((size_t)n * sizeof *v);
    if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        free(v);
        v = NULL;
    }
    H5Sclose(sp);
    H5Dclose(d);
    return v;
}

/* Run `layer` (-1: the model output) on the batch and compare. */
static void compare(ef_nn_model *m, ef_nn_runner *r, const float *in, size_t n, long layer,
                    const double *ref, size_t per, const char *what)
{
    size_t osz = layer < 0 ? ef_nn_output_size(m) : ef_nn_layer_output_size(m, (size_t)layer);
    float *out;
    ef_error err;
    int rc;

    if (osz != per) {
        ok(0, "%s: output size %zu, reference %zu", what, osz, per);
        return;
    }
    out = ef_xmalloc(n * osz * sizeof *out);
    rc = layer < 0 ? ef_nn_run(r, in, n, out, &err) : ef_nn_run_to(r, in, n, (size_t)layer, out, &err);
    if (rc != EF_OK) {
        ok(0, "%s: %s", what, err.msg);
        free(out);
        return;
    }
    double scale = 0, e = 0;
    for (size_t i = 0; i < n * osz; i++) {
        scale = fmax(scale, fabs(ref[i]));
        double d = fabs(out[i] - ref[i]);
        e = d > e || isnan(d) ? d : e;
    }
    ok(e <= 1e-5 * scale, "%s: max error %.3g x output scale %.3g", what, e / scale, scale);
    free(out);
}

static void check_model(const char *dir, const char *model, const char *refname, const char *input,
                        const char *outgroup)
{
    char path[1024], rpath[1024];
    ef_nn_model *m = NULL;
    ef_nn_runner *r = NULL;
    ef_error err;
    hsize_t dims[3];
    int rank;

    snprintf(path, sizeof path, "%s/%s", dir, model);
    snprintf(rpath, sizeof rpath, "%s/%s", dir, refname);
    if (ef_nn_load_keras(path, &m, &err) != EF_OK) {
        ok(0, "%s loads: %s", model, err.msg);
        return;
    }
    hid_t f = H5Fopen(rpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    double *x = f >= 0 ? read_ds(f, input, dims, &rank) : NULL;
    if (!x || rank != 3 || dims[1] != ef_nn_input_steps(m) || dims[2] != ef_nn_input_channels(m)) {
        ok(0, "%s: reference input %s matches the model's input", model, input);
        goto done;
    }
    size_t n = (size_t)dims[0], isz = (size_t)(dims[1] * dims[2]);
    float *in = ef_xmalloc(n * isz * sizeof *in);
    for (size_t i = 0; i < n * isz; i++)
        in[i] = (float)x[i];
    if (ef_nn_runner_new(m, n, 2, &r, &err) != EF_OK) {
        ok(0, "%s: runner: %s", model, err.msg);
        free(in);
        goto done;
    }
    /* every dataset of the output group: the model's output or a layer by name */
    hid_t g = H5Gopen2(f, outgroup, H5P_DEFAULT);
    H5G_info_t gi;
    H5Gget_info(g, &gi);
    for (hsize_t k = 0; k < gi.nlinks; k++) {
        char name[256], ds[512], what[600];
        H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, k, name, sizeof name, H5P_DEFAULT);
        snprintf(ds, sizeof ds, "%s/%s", outgroup, name);
        double *ref = read_ds(f, ds, dims, &rank);
        long li = ef_nn_layer_find(m, name);
        snprintf(what, sizeof what, "%s %s", model, name);
        if (!ref || li < 0) {
            ok(0, "%s: reference and layer exist", what);
        } else {
            size_t per = (size_t)(dims[1] * (rank > 2 ? dims[2] : 1));
            compare(m, r, in, n, li, ref, per, what);
            if (li == m->output) {
                snprintf(what, sizeof what, "%s output (ef_nn_run)", model);
                compare(m, r, in, n, -1, ref, per, what);
            }
        }
        free(ref);
    }
    H5Gclose(g);
    free(in);
done:
    free(x);
    if (f >= 0)
        H5Fclose(f);
    ef_nn_runner_free(r);
    ef_nn_model_free(m);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    const char *shared = tap_shared();
    char dir[1024], ddir[1024];

    if (!shared)
        skip_all("../shared is absent");
    snprintf(dir, sizeof dir, "%s/fixtures/keras", shared);
    snprintf(ddir, sizeof ddir, "%s/fixtures/keras/dl4j-conv1d", shared);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    check_model(dir, "tf2.8-functional-resnet1d.h5", "tf2.8-functional-resnet1d.ref.h5", "input", "output");
    check_model(dir, "tf2.3-inceptiontime-conv1d.hdf5", "tf2.3-inceptiontime-conv1d.ref.h5", "input", "output");
    check_model(dir, "keras3.13-functional-conv1d.h5", "keras3.13-functional-conv1d.ref.h5", "input", "output");

    DIR *d = opendir(ddir);
    struct dirent *e;
    char **names = NULL;
    size_t nn = 0;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 9 && strcmp(e->d_name + len - 9, "_model.h5") == 0) {
            names = ef_xreallocarray(names, nn + 1, sizeof *names);
            names[nn++] = ef_xstrdup(e->d_name);
        }
    }
    if (d)
        closedir(d);
    if (nn > 1)
        qsort(names, nn, sizeof *names, cmp_str);
    ok(nn == 12, "12 dl4j Conv1D models (%zu)", nn);
    for (size_t i = 0; i < nn; i++) {
        char ref[512];
        snprintf(ref, sizeof ref, "%.*s_inputs_and_outputs.h5", (int)(strlen(names[i]) - 9), names[i]);
        check_model(ddir, names[i], ref, "inputs/conv0_input", "predictions");
        free(names[i]);
    }
    free(names);
    return done_testing();
}
