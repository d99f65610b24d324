/* test_store.c — the HDF5 project store: round trips, attributes, listing
 * order, atomic updates (abort, commit, readers during an update) and error
 * messages.
 *
 * `test_store --fixture PATH` writes a small store and exits; the h5py
 * check (tests/cli/store_h5py.sh) reads it. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "store/ef_store.h"

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *tmp;

static char *tpath(const char *name)
{
    return ef_xasprintf("%s/%s", tmp, name);
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

/* Number of entries in tmp whose name contains ".tmp-". */
static int temp_files(void)
{
    DIR *d = opendir(tmp);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp-"))
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, r;

    *len = 0;
    if (!f)
        return NULL;
    do {
        buf = ef_xrealloc(buf, cap += 65536);
        r = fread(buf + *len, 1, cap - *len, f);
        *len += r;
    } while (r > 0);
    fclose(f);
    return buf;
}

static long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int write_fixture(const char *path)
{
    static const int64_t eid[] = { 1000001, 1000002, 1000003 };
    static const double bmi[] = { 22.5, NAN, 31.25 };
    static const float emb[] = { 1, 2, 3, 4, 5, 6 };
    ef_store *s;
    ef_error err;
    char buf[1200];

    ef_error_clear(&err);
    if (ef_store_begin(&s, path, &err) != EF_OK ||
        ef_store_write_i64(s, "/participants/eid", eid, 3, &err) != EF_OK ||
        ef_store_write_f64(s, "/participants/bmi", bmi, 3, &err) != EF_OK ||
        ef_store_set_attr_str(s, "/participants/bmi", "field", "21001", &err) != EF_OK ||
        ef_store_set_attr_str(s, "/participants/bmi", "unit", "kg/m\xc2\xb2", &err) != EF_OK ||
        ef_store_set_attr_f64(s, "/participants/bmi", "scale", 0.5, &err) != EF_OK ||
        ef_store_stamp(s, "/participants", "labels", "--fields bmi", &err) != EF_OK ||
        ef_store_write_f32_2d(s, "/embeddings/demo/values", emb, 2, 3, &err) != EF_OK ||
        ef_store_commit(s, &err) != EF_OK) {
        fprintf(stderr, "fixture: %s\n", ef_error_format(&err, buf, sizeof buf));
        return 1;
    }
    return 0;
}

static void test_roundtrip(void)
{
    static const int64_t eid[] = { 1000001, INT64_MIN, INT64_MAX, 0, -5 };
    const double f[] = { 1.5, NAN, INFINITY, -0.0, -1e300 };
    char *path = tpath("rt.h5");
    int64_t *ri = NULL;
    double *rf = NULL;
    size_t n = 0, i;
    ef_store *s = NULL;
    ef_error err;
    int same = 1;

    ef_error_clear(&err);
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin creates a new store");
    ok(ef_store_writable(s), "begin gives a writable store");
    ok(access(path, F_OK) != 0, "nothing at the store path before commit");
    is_int(ef_store_write_i64(s, "/participants/eid", eid, 5, &err), EF_OK, "write i64");
    is_int(ef_store_write_f64(s, "participants/x", f, 5, &err), EF_OK, "write f64 (no leading /)");
    is_int(ef_store_write_f64(s, "/empty", NULL, 0, &err), EF_OK, "write an empty dataset");
    is_int(ef_store_commit(s, &err), EF_OK, "commit");
    ok(access(path, F_OK) == 0, "commit creates the store");
    is_int(temp_files(), 0, "commit leaves no temporary file");

    is_int(ef_store_open_read(&s, path, &err), EF_OK, "open for reading");
    ok(!ef_store_writable(s), "read handle is not writable");
    is_str(ef_store_path(s), path, "ef_store_path names the store");
    is_int(ef_store_read_i64(s, "/participants/eid", &ri, &n, &err), EF_OK, "read i64");
    is_int((long long)n, 5, "i64 length");
    for (i = 0; i < 5 && n == 5; i++)
        same &= ri[i] == eid[i];
    ok(same && n == 5, "i64 values round-trip, including INT64_MIN/MAX");
    free(ri);
    is_int(ef_store_read_f64(s, "/participants/x", &rf, &n, &err), EF_OK, "read f64");
    ok(n == 5 && rf[0] == 1.5 && isnan(rf[1]) && isinf(rf[2]) && rf[2] > 0 && rf[3] == 0 &&
       signbit(rf[3]) && rf[4] == -1e300, "f64 values round-trip, including NaN, inf, -0");
    free(rf);
    is_int(ef_store_read_f64(s, "/participants/eid", &rf, &n, &err), EF_OK,
           "read_f64 converts an integer dataset");
    ok(n == 5 && rf[0] == 1000001.0, "converted value");
    free(rf);
    rf = NULL;
    is_int(ef_store_read_f64(s, "/empty", &rf, &n, &err), EF_OK, "read an empty dataset");
    ok(n == 0 && rf != NULL, "empty dataset: n = 0, non-NULL array");
    free(rf);
    ok(ef_store_exists(s, "/participants") && ef_store_exists(s, "/participants/eid") &&
       ef_store_exists(s, "/") && ef_store_exists(s, "participants/x/"), "exists");
    ok(!ef_store_exists(s, "/participants/nope") && !ef_store_exists(s, "/a/b/c") &&
       !ef_store_exists(s, "/participants/eid/deeper"), "exists: absent objects");
    ok(ef_store_is_group(s, "/participants") && !ef_store_is_group(s, "/participants/eid"),
       "is_group");

    ef_error_clear(&err);
    is_int(ef_store_read_i64(s, "/participants/x", &ri, &n, &err), EF_EDATA,
           "read_i64 refuses a float dataset");
    like(err.msg, "expected integers", "... and says why");
    is_int(ef_store_write_f64(s, "/y", f, 1, &err), EF_EINVAL, "cannot write a read handle");
    is_int(ef_store_delete(s, "/participants/x", &err), EF_EINVAL, "cannot delete via a read handle");
    is_int(ef_store_commit(s, &err), EF_EINVAL, "commit of a read handle fails (and frees it)");
    free(path);
}

static void test_large_and_2d(void)
{
    enum { N = 200000, R = 1000, C = 320 };
    char *path = tpath("big.h5");
    double *v = ef_xmalloc(N * sizeof *v), *r = NULL;
    float *m = ef_xmalloc((size_t)R * C * sizeof *m), *rm = NULL;
    size_t n = 0, rows = 0, cols = 0, i;
    uint64_t dims[3] = { 0, 0, 0 };
    int rank = 0, same = 1;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    for (i = 0; i < N; i++)
        v[i] = i % 1000 == 7 ? NAN : 20.0 + (double)(i % 50) * 0.25;
    for (i = 0; i < (size_t)R * C; i++)
        m[i] = (float)(i % 97) * 0.5f;
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin (large)");
    is_int(ef_store_write_f64(s, "/participants/big", v, N, &err), EF_OK, "write 200k doubles");
    is_int(ef_store_write_f32_2d(s, "/embeddings/demo/values", m, R, C, &err), EF_OK,
           "write a 1000 x 320 float32 matrix");
    is_int(ef_store_write_f32_2d(s, "/small2d", m, 2, 3, &err), EF_OK, "write a 2 x 3 matrix");
    is_int(ef_store_commit(s, &err), EF_OK, "commit (large)");
    ok(file_size(path) > 0 && file_size(path) < (long)(N * 8 + R * C * 4) / 4,
       "large datasets are compressed (file %ld bytes)", file_size(path));

    is_int(ef_store_open_read(&s, path, &err), EF_OK, "open (large)");
    is_int(ef_store_read_f64(s, "/participants/big", &r, &n, &err), EF_OK, "read 200k doubles");
    for (i = 0; i < N && n == N; i++)
        same &= isnan(v[i]) ? isnan(r[i]) : r[i] == v[i];
    ok(n == N && same, "200k doubles round-trip");
    is_int(ef_store_read_f32_2d(s, "/embeddings/demo/values", &rm, &rows, &cols, &err), EF_OK,
           "read the float32 matrix");
    ok(rows == R && cols == C && memcmp(rm, m, (size_t)R * C * sizeof *m) == 0,
       "float32 matrix round-trips (%zu x %zu)", rows, cols);
    free(rm);
    rm = NULL;
    is_int(ef_store_read_f32_2d_pool(s, "/embeddings/demo/values", &rm, &rows, &cols, NULL, 2, &err), EF_OK,
           "read the float32 matrix, chunks inflated on 2 threads");
    ok(rows == R && cols == C && rm && memcmp(rm, m, (size_t)R * C * sizeof *m) == 0,
       "... the same matrix, the last chunk partial (%zu x %zu)", rows, cols);
    free(rm);
    rm = NULL;
    is_int(ef_store_read_f32_2d_pool(s, "/small2d", &rm, &rows, &cols, NULL, 2, &err), EF_OK,
           "an uncompressed matrix is read the ordinary way");
    ok(rows == 2 && cols == 3 && rm && rm[5] == m[5], "... 2 x 3");
    free(rm);
    is_int(ef_store_read_f32_2d_pool(s, "/participants/big", &rm, &rows, &cols, NULL, 2, &err), EF_EDATA,
           "... and a 1-D dataset is refused as before");
    is_int(ef_store_read_f32_2d(s, "/small2d", &rm, &rows, &cols, &err), EF_OK, "read 2 x 3");
    ok(rows == 2 && cols == 3 && rm[5] == m[5], "2 x 3 round-trips");
    free(rm);
    is_int(ef_store_shape(s, "/embeddings/demo/values", &rank, dims, 3, &err), EF_OK, "shape");
    ok(rank == 2 && dims[0] == R && dims[1] == C, "shape is [1000, 320]");
    is_int(ef_store_read_f32_2d(s, "/participants/big", &rm, &rows, &cols, &err), EF_EDATA,
           "reading a 1-D dataset as 2-D fails");
    like(err.msg, "has 1 dimension, expected 2", "... and says why");
    ef_store_close(s);
    free(r);
    free(v);
    free(m);
    free(path);
}

/* Columns deflated ahead on threads read back as the ones HDF5 filtered,
 * including an edge chunk; one compressed but never written is freed. */
static void test_deflate_ahead(void)
{
    enum { N = 200000 };
    char *path = tpath("ahead.h5");
    double *v = ef_xmalloc(N * sizeof *v), *w = ef_xmalloc(N * sizeof *w), *ra = NULL, *rb = NULL;
    const double *cols[3];
    size_t na = 0, nb = 0, i;
    int same = 1;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    for (i = 0; i < N; i++) {
        v[i] = i % 1000 == 7 ? NAN : 20.0 + (double)(i % 53) * 0.25;
        w[i] = -(double)i;
    }
    cols[0] = v;
    cols[1] = w;
    cols[2] = w + 1;   /* never written */
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin (deflate ahead)");
    ef_store_deflate_ahead_f64(s, cols, 3, N - 1, NULL, 2);
    is_int(ef_store_write_f64(s, "/a", v, N - 1, &err), EF_OK, "write a column deflated ahead");
    is_int(ef_store_write_f64(s, "/b", v, N - 1, &err), EF_OK, "write the same column again (filtered)");
    is_int(ef_store_write_f64(s, "/c", w, N - 1, &err), EF_OK, "write another column deflated ahead");
    is_int(ef_store_commit(s, &err), EF_OK, "commit (deflate ahead)");
    ok(file_size(path) > 0 && file_size(path) < (long)(3 * (N - 1) * 8) / 2,
       "deflated ahead columns are compressed (file %ld bytes)", file_size(path));
    is_int(ef_store_open_read(&s, path, &err), EF_OK, "open (deflate ahead)");
    is_int(ef_store_read_f64(s, "/a", &ra, &na, &err), EF_OK, "read /a");
    is_int(ef_store_read_f64(s, "/b", &rb, &nb, &err), EF_OK, "read /b");
    for (i = 0; i < N - 1 && na == N - 1 && nb == N - 1; i++)
        same &= isnan(v[i]) ? isnan(ra[i]) && isnan(rb[i]) : ra[i] == v[i] && rb[i] == v[i];
    ok(na == N - 1 && nb == N - 1 && same, "deflated ahead and filtered columns read back the same");
    free(ra);
    ra = NULL;
    is_int(ef_store_read_f64(s, "/c", &ra, &na, &err), EF_OK, "read /c");
    ok(na == N - 1 && memcmp(ra, w, (N - 1) * sizeof *w) == 0, "second column round-trips");
    ef_store_close(s);
    free(ra);
    free(rb);
    free(v);
    free(w);
    free(path);
}

/* ef_store_read_f64_many: chunked float64 columns inflated on threads, the
 * others (contiguous, integer) read the ordinary way, all equal to
 * ef_store_read_f64's values. */
static void test_read_many(void)
{
    enum { N = 300001 };   /* three 1 MB chunks, the last one partial */
    char *path = tpath("many.h5");
    double *v = ef_xmalloc(N * sizeof *v), *got[4], *ref = NULL;
    int64_t *iv = ef_xmalloc(N * sizeof *iv);
    const char *paths[4] = { "/p/a", "/p/small", "/p/ints", "/p/b" }, *bad[2] = { "/p/a", "/p/none" };
    size_t len[4], nref = 0, i, k;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    for (i = 0; i < N; i++) {
        v[i] = i % 997 == 3 ? NAN : (double)(i % 101) * 0.37 - 5;
        iv[i] = (int64_t)i * 3 - 7;
    }
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin (read many)");
    is_int(ef_store_write_f64(s, "/p/a", v, N, &err), EF_OK, "write a chunked column");
    is_int(ef_store_write_f64(s, "/p/small", v, 100, &err), EF_OK, "write a small (contiguous) column");
    is_int(ef_store_write_i64(s, "/p/ints", iv, N, &err), EF_OK, "write an integer column");
    for (i = 0; i < N; i++)
        v[i] = -v[i];
    is_int(ef_store_write_f64(s, "/p/b", v, N, &err), EF_OK, "write a second chunked column");
    is_int(ef_store_commit(s, &err), EF_OK, "commit (read many)");
    is_int(ef_store_open_read(&s, path, &err), EF_OK, "open (read many)");
    is_int(ef_store_read_f64_many(s, paths, 4, got, len, NULL, 2, &err), EF_OK, "read four columns on two threads");
    for (k = 0; k < 4; k++) {
        int same;

        is_int(ef_store_read_f64(s, paths[k], &ref, &nref, &err), EF_OK, "read %s the ordinary way", paths[k]);
        same = len[k] == nref && got[k] != NULL;
        for (i = 0; same && i < nref; i++)
            same = isnan(ref[i]) ? isnan(got[k][i]) : ref[i] == got[k][i];
        ok(same, "%s: %zu values, the same as ef_store_read_f64's", paths[k], len[k]);
        free(ref);
        ref = NULL;
        free(got[k]);
    }
    is_int(ef_store_read_f64_many(s, bad, 2, got, len, NULL, 2, &err), EF_ENOTFOUND, "a missing column fails the read");
    ok(got[0] == NULL && got[1] == NULL, "and leaves nothing allocated");
    ef_store_close(s);
    free(v);
    free(iv);
    free(path);
}

static void test_rows(void)
{
    enum { M = 5, T = 16, L = 3, ROW = T * L };
    const uint64_t dims[3] = { M, T, L };
    char *path = tpath("rows.h5");
    float *v = ef_xmalloc(M * ROW * sizeof *v), *r = ef_xmalloc(M * ROW * sizeof *r);
    uint64_t shape[3] = { 0, 0, 0 };
    int rank = 0, good = 1, i;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    for (i = 0; i < M * ROW; i++)
        v[i] = (float)i * 0.25f;
    ef_store_begin(&s, path, &err);
    is_int(ef_store_create_f32(s, "/ecg/signal", 3, dims, 1, 1, &err), EF_OK,
           "create a [5, 16, 3] float32 tensor chunked per row");
    is_int(ef_store_write_f32_rows(s, "/ecg/signal", 0, 2, v, &err), EF_OK, "write rows 0-1");
    is_int(ef_store_write_f32_rows(s, "/ecg/signal", 3, 1, v + 3 * ROW, &err), EF_OK,
           "write row 3");
    is_int(ef_store_write_f32_rows(s, "/ecg/signal", 4, 2, v, &err), EF_EINVAL,
           "writing past the last row fails");
    like(err.msg, "out of range", "... says why");
    is_int(ef_store_create_f32(s, "/ecg/empty", 2, (const uint64_t[]){ 0, 4 }, 0, 4, &err), EF_OK,
           "create an empty tensor");
#ifdef HAVE_SYNC_FILE_RANGE
    is_int(ef_store_writeback(s), 1, "writeback of an update starts (sec2 driver, Linux)");
#else
    is_int(ef_store_writeback(s), 0, "writeback is a no-op without sync_file_range");
#endif
    is_int(ef_store_commit(s, &err), EF_OK, "commit (rows)");

    ef_store_open_read(&s, path, &err);
    is_int(ef_store_writeback(s), 0, "no writeback on a read handle");
    is_int(ef_store_writeback(NULL), 0, "nor on no store");
    is_int(ef_store_shape(s, "/ecg/signal", &rank, shape, 3, &err), EF_OK, "shape of the tensor");
    ok(rank == 3 && shape[0] == M && shape[1] == T && shape[2] == L, "shape is [5, 16, 3]");
    is_int(ef_store_read_f32_rows(s, "/ecg/signal", 0, M, r, &err), EF_OK, "read all rows");
    for (i = 0; i < M * ROW; i++) {
        int row = i / ROW;
        good &= row == 2 || row == 4 ? isnan(r[i]) : r[i] == v[i];
    }
    ok(good, "written rows round-trip, unwritten rows read as NaN");
    is_int(ef_store_read_f32_rows(s, "/ecg/signal", 3, 1, r, &err), EF_OK, "read one row");
    ok(memcmp(r, v + 3 * ROW, ROW * sizeof *r) == 0, "row 3");
    is_int(ef_store_write_f32_rows(s, "/ecg/signal", 0, 1, v, &err), EF_EINVAL,
           "writing rows via a read handle fails");
    ef_store_close(s);
    free(v);
    free(r);
    free(path);
}

static void test_attrs_and_list(void)
{
    static const double x[] = { 1, 2, 3 };
    const char *order[] = { "eid", "zeta", "alpha", "mid" };
    char *path = tpath("attrs.h5"), *v = NULL, **names = NULL;
    const char *utf8 = "VO\xe2\x82\x82max (ml/kg/min) \xe2\x80\x94 \xc2\xb5";
    double d = 0;
    size_t n = 0, i;
    ef_store *s;
    ef_error err;
    int inorder = 1;

    ef_error_clear(&err);
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin (attrs)");
    for (i = 0; i < 4; i++) {
        char *col = ef_xasprintf("/participants/%s", order[i]);

        ef_store_write_f64(s, col, x, 3, &err);
        free(col);
    }
    is_int(ef_store_set_attr_str(s, "/participants/zeta", "label", utf8, &err), EF_OK,
           "set a UTF-8 string attribute");
    is_int(ef_store_set_attr_str(s, "/participants/zeta", "unit", "old", &err), EF_OK, "set unit");
    is_int(ef_store_set_attr_str(s, "/participants/zeta", "unit", "W", &err), EF_OK,
           "replace an attribute");
    is_int(ef_store_set_attr_str(s, "/participants/zeta", "coding", NULL, &err), EF_OK,
           "NULL value is stored as the empty string");
    is_int(ef_store_set_attr_f64(s, "/participants", "n", 3.0, &err), EF_OK,
           "numeric attribute on a group");
    is_int(ef_store_set_attr_str(s, "/", "format", "ecgfit-store-1", &err), EF_OK,
           "attribute on the root group");
    is_int(ef_store_set_attr_str(s, "/nope", "x", "y", &err), EF_ENOTFOUND,
           "attribute on a missing object");
    like(err.msg, "/nope", "... names the object");
    is_int(ef_store_commit(s, &err), EF_OK, "commit (attrs)");

    is_int(ef_store_open_read(&s, path, &err), EF_OK, "open (attrs)");
    is_int(ef_store_get_attr_str(s, "/participants/zeta", "label", &v, &err), EF_OK, "get label");
    is_str(v, utf8, "UTF-8 label round-trips");
    free(v);
    ef_store_get_attr_str(s, "participants/zeta", "unit", &v, &err);
    is_str(v, "W", "replaced attribute has the new value");
    free(v);
    ef_store_get_attr_str(s, "/participants/zeta", "coding", &v, &err);
    is_str(v, "", "empty string attribute");
    free(v);
    is_int(ef_store_get_attr_f64(s, "/participants", "n", &d, &err), EF_OK, "get numeric attribute");
    is_abs(d, 3.0, 0, "numeric attribute value");
    ef_error_clear(&err);
    v = (char *)"untouched";
    is_int(ef_store_get_attr_str(s, "/participants/zeta", "missing", &v, &err), EF_ENOTFOUND,
           "missing attribute -> EF_ENOTFOUND");
    ok(v == NULL, "... and *value is NULL");
    like(err.msg, "/participants/zeta: no attribute 'missing'", "... naming object and attribute");
    is_str(err.file, path, "... and the store file");
    is_int(ef_store_get_attr_str(s, "/participants", "n", &v, &err), EF_EDATA,
           "numeric attribute read as string -> EF_EDATA");
    is_int(ef_store_get_attr_f64(s, "/participants/zeta", "unit", &d, &err), EF_EDATA,
           "string attribute read as number -> EF_EDATA");

    is_int(ef_store_list(s, "/participants", &names, &n, &err), EF_OK, "list /participants");
    for (i = 0; i < 4 && n == 4; i++)
        inorder &= strcmp(names[i], order[i]) == 0;
    ok(n == 4 && inorder, "children list in creation order (eid, zeta, alpha, mid)");
    ef_store_free_list(names, n);
    is_int(ef_store_list(s, "/", &names, &n, &err), EF_OK, "list /");
    ok(n == 1 && strcmp(names[0], "participants") == 0, "root lists participants");
    ef_store_free_list(names, n);
    is_int(ef_store_list(s, "/participants/eid", &names, &n, &err), EF_EDATA,
           "listing a dataset fails");
    is_int(ef_store_list(s, "/nothing", &names, &n, &err), EF_ENOTFOUND,
           "listing a missing group -> EF_ENOTFOUND");
    ok(names == NULL && n == 0, "... with an empty result");
    ef_store_close(s);
    free(path);
}

static void test_replace_delete_stamp(void)
{
    static const double a[] = { 1, 2, 3 }, b[] = { 9, 8 };
    char *path = tpath("repl.h5"), *v = NULL;
    double *r = NULL;
    size_t n = 0;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    ef_store_begin(&s, path, &err);
    ef_store_write_f64(s, "/participants/a", a, 3, &err);
    ef_store_set_attr_str(s, "/participants/a", "unit", "kg", &err);
    ef_store_write_f64(s, "/participants/gone", a, 3, &err);
    is_int(ef_store_commit(s, &err), EF_OK, "commit (first version)");

    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin on an existing store");
    ok(ef_store_exists(s, "/participants/a"), "the update sees the existing content");
    is_int(ef_store_write_f64(s, "/participants/a", b, 2, &err), EF_OK, "replace a dataset");
    is_int(ef_store_delete(s, "/participants/gone", &err), EF_OK, "delete a dataset");
    is_int(ef_store_delete(s, "/participants/never", &err), EF_OK, "deleting an absent object is ok");
    is_int(ef_store_delete(s, "/", &err), EF_EINVAL, "the root cannot be deleted");
    is_int(ef_store_write_f64(s, "/participants/a/sub", b, 2, &err), EF_EDATA,
           "a dataset cannot be a parent group");
    like(err.msg, "/participants/a: exists and is not a group", "... says which");
    is_int(ef_store_mkgroup(s, "/models/vo2/basic", &err), EF_OK, "mkgroup -p");
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    is_int(ef_store_stamp(s, "/participants", "labels", "--fields a", &err), EF_OK, "stamp");
    unsetenv("SOURCE_DATE_EPOCH");
    is_int(ef_store_commit(s, &err), EF_OK, "commit (second version)");

    ef_store_open_read(&s, path, &err);
    is_int(ef_store_read_f64(s, "/participants/a", &r, &n, &err), EF_OK, "read the replaced dataset");
    ok(n == 2 && r[0] == 9 && r[1] == 8, "replaced dataset has the new values and length");
    free(r);
    is_int(ef_store_get_attr_str(s, "/participants/a", "unit", &v, &err), EF_ENOTFOUND,
           "replacing a dataset drops its old attributes");
    ok(!ef_store_exists(s, "/participants/gone"), "deleted dataset is gone");
    ok(ef_store_is_group(s, "/models/vo2/basic"), "mkgroup made the groups");
    ef_store_get_attr_str(s, "/participants", "ecgfit_version", &v, &err);
    is_str(v, PACKAGE_VERSION, "stamp: ecgfit_version");
    free(v);
    ef_store_get_attr_str(s, "/participants", "stage", &v, &err);
    is_str(v, "labels", "stamp: stage");
    free(v);
    ef_store_get_attr_str(s, "/participants", "options", &v, &err);
    is_str(v, "--fields a", "stamp: options");
    free(v);
    ef_store_get_attr_str(s, "/participants", "created", &v, &err);
    is_str(v, "1970-01-02T00:00:00Z", "stamp: created (ISO-8601 UTC, SOURCE_DATE_EPOCH)");
    free(v);
    ef_store_close(s);
    free(path);
}

static void test_atomicity(void)
{
    static const double a[] = { 1, 2, 3 }, b[] = { 4, 5 };
    char *path = tpath("atom.h5"), *before, *after, *dirpath;
    size_t lb, la, n = 0;
    double *r = NULL;
    ef_store *s, *rd, *rd2;
    ef_error err;

    ef_error_clear(&err);
    ef_store_begin(&s, path, &err);
    ef_store_write_f64(s, "/participants/a", a, 3, &err);
    ef_store_commit(s, &err);
    before = slurp(path, &lb);

    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin (to abort)");
    is_int(temp_files(), 1, "an update works on a temporary file");
    ef_store_write_f64(s, "/participants/b", b, 2, &err);
    ef_store_delete(s, "/participants/a", &err);
    ef_store_abort(s);
    after = slurp(path, &la);
    ok(before && after && la == lb && memcmp(before, after, lb) == 0,
       "abort leaves the store byte-identical");
    is_int(temp_files(), 0, "abort removes the temporary file");
    free(after);
    ef_store_abort(NULL);
    ef_store_close(NULL);
    ok(1, "abort(NULL) and close(NULL) are no-ops");

    /* A reader open before and during an update keeps seeing the old store. */
    is_int(ef_store_open_read(&rd, path, &err), EF_OK, "reader opens the store");
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin while a reader is open");
    ef_store_write_f64(s, "/participants/b", b, 2, &err);
    ef_store_delete(s, "/participants/a", &err);
    is_int(ef_store_open_read(&rd2, path, &err), EF_OK, "second reader during the update");
    ok(!ef_store_exists(rd2, "/participants/b") && ef_store_exists(rd2, "/participants/a"),
       "a reader during the update sees the old content");
    ef_store_close(rd2);
    is_int(ef_store_commit(s, &err), EF_OK, "commit while a reader is open");
    ok(ef_store_exists(rd, "/participants/a") && !ef_store_exists(rd, "/participants/b"),
       "the earlier reader still sees the old content after commit");
    is_int(ef_store_read_f64(rd, "/participants/a", &r, &n, &err), EF_OK,
           "... and can still read it");
    ok(n == 3 && r[2] == 3, "old values");
    free(r);
    ef_store_close(rd);
    ef_store_open_read(&rd, path, &err);
    ok(ef_store_exists(rd, "/participants/b") && !ef_store_exists(rd, "/participants/a"),
       "a new reader sees the committed content");
    ef_store_close(rd);

    /* A second update of the store in the same thread would wait for
     * itself: refused at once (other threads and processes: test_lock). */
    is_int(ef_store_begin(&s, path, &err), EF_OK, "first concurrent update");
    is_int(ef_store_begin(&rd, path, &err), EF_EBUSY, "second update in the same thread is refused");
    like(err.msg, "already updating", "... saying why");
    is_int(temp_files(), 1, "... and made no temporary file");
    ef_store_abort(s);

    /* A commit that cannot rename cleans up and leaves the target alone. */
    free(path);
    path = tpath("fail.h5");
    ef_store_begin(&s, path, &err);
    ef_store_write_f64(s, "/x", a, 3, &err);
    dirpath = ef_xstrdup(path);
    mkdir(dirpath, 0777);   /* something the rename cannot replace */
    is_int(ef_store_commit(s, &err), EF_EIO, "commit over a directory fails");
    like(err.msg, "cannot replace the store", "... with a clear message");
    is_int(temp_files(), 0, "a failed commit removes the temporary file");
    rmdir(dirpath);
    free(dirpath);
    free(before);
    free(path);
}

/* Re-running a stage (replace a group, commit) keeps the store's size: commit
 * copies the live objects into a fresh file.  Attributes (on the root, and
 * more than 8 variable-length ones on a group, which HDF5 stores densely),
 * listing order and values survive the copy. */
static void test_compact(void)
{
    static const double x[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    const char *cols[] = { "eid", "zeta", "alpha", "mid" };
    char *path = tpath("compact.h5"), *v = NULL, **names = NULL;
    long created = 0, first = 0, size = 0, lo = 0, hi = 0;
    double d = 0;
    size_t n = 0, i;
    ef_store *s;
    ef_error err;
    int run, inorder = 1, rc;

    ef_error_clear(&err);
    for (run = 0; run < 10; run++) {
        rc = ef_store_begin(&s, path, &err);
        if (rc == EF_OK)
            rc = ef_store_delete(s, "/participants", &err);
        for (i = 0; i < 4 && rc == EF_OK; i++) {
            char *col = ef_xasprintf("/participants/%s", cols[i]);

            rc = ef_store_write_f64(s, col, x, 8, &err);
            free(col);
        }
        for (i = 0; i < 10 && rc == EF_OK; i++) {
            char name[16], val[32];

            snprintf(name, sizeof name, "a%zu", 9 - i);
            snprintf(val, sizeof val, "value %zu of run %d", i, run);
            rc = ef_store_set_attr_str(s, "/participants", name, val, &err);
        }
        if (rc == EF_OK)
            rc = ef_store_set_attr_f64(s, "/", "run", run, &err);
        if (rc == EF_OK && run == 0)
            rc = ef_store_set_attr_str(s, "/participants/zeta", "unit", "W", &err);
        if (rc == EF_OK)
            rc = ef_store_commit(s, &err);
        else
            ef_store_abort(s);
        if (rc != EF_OK)
            break;
        /* Run 0 creates the store; runs 1-9 are the re-runs. */
        size = file_size(path);
        if (run == 0)
            created = size;
        if (run == 1)
            first = lo = hi = size;
        lo = size < lo ? size : lo;
        hi = size > hi ? size : hi;
    }
    is_int(rc, EF_OK, "10 updates that replace /participants commit");
    diag("store size: %ld bytes when created, then %ld..%ld over 9 re-runs", created, lo, hi);
    ok(first > 0 && hi <= first + first / 50 && lo >= first - first / 50,
       "re-runs keep the store within 2%% of the first re-run's size (%ld..%ld, first %ld)", lo,
       hi, first);
    is_int(temp_files(), 0, "no temporary files left");

    is_int(ef_store_open_read(&s, path, &err), EF_OK, "open the compacted store");
    is_int(ef_store_get_attr_f64(s, "/", "run", &d, &err), EF_OK, "root attribute kept");
    is_abs(d, 9, 0, "... with the last run's value");
    is_int(ef_store_get_attr_str(s, "/participants", "a0", &v, &err), EF_OK,
           "dense string attributes kept");
    is_str(v, "value 9 of run 9", "... with the last run's value");
    free(v);
    v = NULL;
    is_int(ef_store_get_attr_str(s, "/participants/zeta", "unit", &v, &err), EF_ENOTFOUND,
           "an attribute of a replaced dataset is gone");
    is_int(ef_store_list(s, "/participants", &names, &n, &err), EF_OK, "list /participants");
    for (i = 0; i < 4 && n == 4; i++)
        inorder &= strcmp(names[i], cols[i]) == 0;
    ok(n == 4 && inorder, "children still list in creation order");
    ef_store_free_list(names, n);
    ef_store_close(s);
    free(path);
}

static void test_errors(void)
{
    char *path = tpath("notes.h5"), *missing = tpath("missing.h5"), buf[1200];
    double *r = NULL;
    size_t n = 0;
    ef_store *s = (ef_store *)&n;
    ef_error err;
    FILE *f;

    f = fopen(path, "w");
    fputs("eid,bmi\n1,22\n", f);
    fclose(f);
    ef_error_clear(&err);
    is_int(ef_store_open_read(&s, path, &err), EF_EIO, "a text file is not a store");
    ok(s == NULL, "... *out is NULL");
    like(err.msg, "not an HDF5 file", "... message says not an HDF5 file");
    is_str(err.file, path, "... and names the file");
    diag("%s", ef_error_format(&err, buf, sizeof buf));
    is_int(ef_store_begin(&s, path, &err), EF_EIO, "begin refuses a non-HDF5 file");
    is_int(temp_files(), 0, "... without leaving a temporary file");

    ef_error_clear(&err);
    is_int(ef_store_open_read(&s, missing, &err), EF_ENOTFOUND, "missing store -> EF_ENOTFOUND");
    is_str(err.file, missing, "... names the file");
    is_int(ef_store_open_read(&s, tmp, &err), EF_EIO, "a directory is not a store");

    /* Missing objects. */
    ef_store_begin(&s, missing, &err);
    ef_store_mkgroup(s, "/participants", &err);
    ef_store_commit(s, &err);
    ef_store_open_read(&s, missing, &err);
    ef_error_clear(&err);
    is_int(ef_store_read_f64(s, "/participants/nope", &r, &n, &err), EF_ENOTFOUND,
           "missing dataset -> EF_ENOTFOUND");
    like(err.msg, "/participants/nope", "... naming it");
    is_str(err.file, missing, "... and the store file");
    diag("%s", ef_error_format(&err, buf, sizeof buf));
    is_int(ef_store_read_f64(s, "/participants", &r, &n, &err), EF_EDATA,
           "reading a group as a dataset -> EF_EDATA");
    is_int(ef_store_read_i64(s, "/deep/er/path", (int64_t **)&r, &n, &err), EF_ENOTFOUND,
           "missing parents -> EF_ENOTFOUND");
    ef_store_close(s);

    /* A truncated store: valid signature, missing the rest. */
    {
        size_t len;
        char *bytes = slurp(missing, &len);

        f = fopen(path, "wb");
        fwrite(bytes, 1, len > 200 ? 200 : len, f);
        fclose(f);
        free(bytes);
        ef_error_clear(&err);
        is_int(ef_store_open_read(&s, path, &err), EF_EIO, "a truncated store fails to open");
        ok(err.msg[0] != '\0', "... with a message: %s", err.msg);
        ef_store_close(s);
    }
    free(path);
    free(missing);
}

/* `--list FILE GROUP` and `--attr FILE OBJ NAME`: print what the store
 * reader sees in a file h5py wrote. */
static int inspect(int argc, char **argv)
{
    char buf[1200], **names = NULL, *v = NULL;
    size_t n = 0, i;
    ef_store *s;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    if ((rc = ef_store_open_read(&s, argv[2], &err)) == EF_OK) {
        if (strcmp(argv[1], "--list") == 0 && argc == 4) {
            rc = ef_store_list(s, argv[3], &names, &n, &err);
            for (i = 0; i < n; i++)
                printf("%s\n", names[i]);
            ef_store_free_list(names, n);
        } else if (argc == 5) {
            if ((rc = ef_store_get_attr_str(s, argv[3], argv[4], &v, &err)) == EF_OK)
                printf("%s\n", v);
            free(v);
        }
        ef_store_close(s);
    }
    if (rc != EF_OK)
        fprintf(stderr, "%s\n", ef_error_format(&err, buf, sizeof buf));
    return rc == EF_OK ? 0 : 1;
}


/* ---------------------------------------------------------------- writers */

static int waited;

static int count_waits(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
    waited++;
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* Fork a writer "train" that begins an update of path, writes obj, tells us
 * through the returned pipe end that it holds the lock, then commits once we
 * write a byte and hold_ms more milliseconds have passed (hold_ms < 0: it is
 * killed instead, holding the lock). */
static pid_t fork_writer(const char *path, const char *obj, long hold_ms, int *go)
{
    int up[2], down[2];
    pid_t pid;
    char c = 0;

    if (pipe(up) != 0 || pipe(down) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        static const double v[] = { 1, 2 };
        ef_store_writer w = { "train", 0, NULL, NULL };
        ef_store *s;
        ef_error err;

        ef_store_set_writer(&w);
        if (ef_store_begin(&s, path, &err) != EF_OK || ef_store_write_f64(s, obj, v, 2, &err) != EF_OK)
            _exit(2);
        if (write(up[1], "x", 1) != 1 || read(down[0], &c, 1) != 1)
            _exit(3);
        if (hold_ms < 0)
            pause();
        sleep_ms(hold_ms);
        _exit(ef_store_commit(s, &err) == EF_OK ? 0 : 4);
    }
    close(up[1]);
    close(down[0]);
    if (pid > 0 && read(up[0], &c, 1) != 1)
        pid = -1;
    close(up[0]);
    *go = down[1];
    return pid;
}

static int child_status(pid_t pid)
{
    int st = 0;

    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

struct holder {
    const char *path;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int holding, release;
    int rc;
};

/* A thread (a TUI worker) holding an update until told to commit. */
static void *hold_thread(void *arg)
{
    static const double v[] = { 3, 4 };
    struct holder *h = arg;
    ef_store_writer w = { "import", 0, NULL, NULL };
    ef_store *s;
    ef_error err;

    ef_store_set_thread_writer(&w);
    h->rc = ef_store_begin(&s, h->path, &err);
    if (h->rc == EF_OK)
        h->rc = ef_store_write_f64(s, "/thread", v, 2, &err);
    pthread_mutex_lock(&h->mu);
    h->holding = 1;
    pthread_cond_broadcast(&h->cv);
    while (!h->release)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
    sleep_ms(150);   /* the main thread is blocked in begin by now */
    if (h->rc == EF_OK)
        h->rc = ef_store_commit(s, &err);
    return NULL;
}

static int has(const char *path, const char *obj)
{
    ef_store *s;
    ef_error err;
    int yes;

    if (ef_store_open_read(&s, path, &err) != EF_OK)
        return 0;
    yes = ef_store_exists(s, obj);
    ef_store_close(s);
    return yes;
}

static void test_writers(void)
{
    static const double v[] = { 5, 6 };
    char *path = tpath("locked.h5"), *lockfile = tpath(".locked.h5.lock"), *want;
    ef_store_writer nowait = { "labels", 0, count_waits, NULL };
    ef_store_writer wait = { "labels", 1, count_waits, NULL };
    struct holder h = { NULL, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, EF_OK };
    uint64_t g0 = 99, g1 = 0, g2 = 0;
    double attr = 0;
    pthread_t th;
    ef_store *s;
    ef_error err;
    pid_t pid;
    int go, rc;

    ef_error_clear(&err);
    is_int(ef_store_generation(path, &g0, &err), EF_OK, "generation of a store never written");
    is_int((long long)g0, 0, "... is 0");
    ef_store_set_writer(&nowait);
    ef_store_begin(&s, path, &err);
    ef_store_write_f64(s, "/first", v, 2, &err);
    is_int(ef_store_busy(path), 1, "busy during an update");
    is_int(ef_store_commit(s, &err), EF_OK, "first commit");
    is_int(ef_store_busy(path), 0, "not busy after it");
    ef_store_generation(path, &g1, &err);
    is_int((long long)g1, 1, "generation 1 after one commit");
    ok(access(lockfile, F_OK) == 0, "the lock file is .locked.h5.lock beside the store");

    /* A second process writing: the loser gets the busy error at once. */
    ef_store_set_writer(&nowait);   /* a new writer: its first update does not wait */
    pid = fork_writer(path, "/child", 0, &go);
    ok(pid > 0, "a child process holds an update");
    waited = 0;
    rc = ef_store_begin(&s, path, &err);
    is_int(rc, EF_EBUSY, "a second writer gets EF_EBUSY");
    want = ef_xasprintf("project busy: train is writing (pid %ld)", (long)pid);
    is_str(err.msg, want, "... naming the command and pid");
    free(want);
    is_str(err.file, path, "... and the store");
    is_int(waited, 0, "... without waiting");
    if (rc == EF_OK)
        ef_store_abort(s);

    /* Waiting: blocks until the child commits; both updates are kept. */
    ef_store_set_writer(&wait);
    if (write(go, "x", 1) != 1)
        diag("cannot signal the child");
    close(go);
    rc = ef_store_begin(&s, path, &err);
    is_int(rc, EF_OK, "with wait, begin succeeds once the other commits");
    is_int(waited, 1, "... after saying it waits");
    if (rc == EF_OK) {
        ef_store_write_f64(s, "/parent", v, 2, &err);
        is_int(ef_store_commit(s, &err), EF_OK, "... and commits");
    }
    is_int(child_status(pid), 0, "the child committed");
    ok(has(path, "/first") && has(path, "/child") && has(path, "/parent"),
       "no update lost: the first, the child's and the waiting one's");
    ef_store_generation(path, &g2, &err);
    is_int((long long)g2, 3, "generation 3 after three commits");
    ef_store_open_read(&s, path, &err);
    ef_store_get_attr_f64(s, "/", "generation", &attr, &err);
    ef_store_close(s);
    is_abs(attr, 3, 0, "the root attribute generation agrees");

    /* After one update, a writer's later updates wait (train: one per fit). */
    ef_store_set_writer(&nowait);
    ef_store_begin(&s, path, &err);
    ef_store_commit(s, &err);
    pid = fork_writer(path, "/child2", 0, &go);
    if (write(go, "x", 1) != 1)
        diag("cannot signal the child");
    close(go);
    waited = 0;
    rc = ef_store_begin(&s, path, &err);
    is_int(rc, EF_OK, "a writer's second update waits even without wait");
    if (rc == EF_OK)
        ef_store_abort(s);
    is_int(child_status(pid), 0, "... for the other writer's commit");
    ok(has(path, "/child2"), "... which is kept");

    /* A killed holder leaves no stale lock. */
    ef_store_set_writer(&nowait);
    pid = fork_writer(path, "/killed", -1, &go);
    is_int(ef_store_busy(path), 1, "busy while the child holds it");
    kill(pid, SIGKILL);
    child_status(pid);
    close(go);
    rc = ef_store_begin(&s, path, &err);
    is_int(rc, EF_OK, "the lock of a killed writer is gone");
    if (rc == EF_OK)
        ef_store_abort(s);
    ok(!has(path, "/killed"), "... and its update with it");

    /* Two threads of one process exclude each other too. */
    ef_store_set_writer(&nowait);
    h.path = path;
    pthread_create(&th, NULL, hold_thread, &h);
    pthread_mutex_lock(&h.mu);
    while (!h.holding)
        pthread_cond_wait(&h.cv, &h.mu);
    pthread_mutex_unlock(&h.mu);
    rc = ef_store_begin(&s, path, &err);
    is_int(rc, EF_EBUSY, "another thread's update: EF_EBUSY");
    like(err.msg, "project busy: import is writing", "... naming the thread's command");
    ef_store_set_writer(&wait);
    pthread_mutex_lock(&h.mu);
    h.release = 1;
    pthread_cond_broadcast(&h.cv);
    pthread_mutex_unlock(&h.mu);
    rc = ef_store_begin(&s, path, &err);   /* blocks until the thread commits */
    is_int(rc, EF_OK, "with wait, begin succeeds after the thread commits");
    if (rc == EF_OK) {
        ef_store_write_f64(s, "/main", v, 2, &err);
        ef_store_commit(s, &err);
    }
    pthread_join(th, NULL);
    is_int(h.rc, EF_OK, "the thread's update committed");
    ok(has(path, "/thread") && has(path, "/main"), "both threads' updates are kept");

    /* Removing a store file (a part) takes its lock file along. */
    is_int(ef_store_remove(path, &err), EF_OK, "remove a store");
    ok(access(path, F_OK) != 0 && access(lockfile, F_OK) != 0, "... and its lock file");
    ef_store_set_writer(NULL);
    free(lockfile);
    free(path);
}

/* The commit in slices: the compacting copy takes one root object per
 * step; an update stopped between two steps leaves the store as it was. */
static void test_commit_steps(void)
{
    static const double x[] = { 1, 2, 3 };
    static const char *const roots[] = { "/a", "/b", "/c", "/d" };
    char *path = tpath("steps.h5"), obj[32];
    double *v = NULL, run = 0;
    size_t n = 0, i;
    int rc = EF_OK, steps = 0, pass;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    for (pass = 0; pass < 3 && rc == EF_OK; pass++) {   /* 0: a new store, 1: sliced, 2: stopped */
        rc = ef_store_begin(&s, path, &err);
        if (rc == EF_OK && pass > 0) {   /* something replaced: the commit rewrites the store */
            snprintf(obj, sizeof obj, "/a/x%d", pass - 1);
            rc = ef_store_delete(s, obj, &err);
        }
        for (i = 0; i < 4 && rc == EF_OK; i++) {
            snprintf(obj, sizeof obj, "%s/x%d", roots[i], pass);
            rc = ef_store_write_f64(s, obj, x, 3, &err);
        }
        if (rc == EF_OK)
            rc = ef_store_set_attr_f64(s, "/", "run", pass, &err);
        if (rc != EF_OK)
            break;
        if (pass == 0) {
            rc = ef_store_commit(s, &err);
        } else if (pass == 1) {
            while ((rc = ef_store_commit_step(s, &err)) == EF_CONTINUE)
                steps++;
        } else {
            for (i = 0; i < 3 && (rc = ef_store_commit_step(s, &err)) == EF_CONTINUE; i++)
                ;
            if (rc == EF_CONTINUE)
                ef_store_abort(s);
        }
    }
    is_int(rc, EF_CONTINUE, "commit in slices: steps run, then stopped (%s)", err.msg);
    /* start, 4 root objects and the end of the copy, attributes, sync, rename */
    ok(steps >= 4 + 4, "commit in slices: one root object per step (%d steps)", steps);
    is_int(temp_files(), 0, "commit in slices: a stopped commit leaves no temporary file");
    rc = ef_store_open_read(&s, path, &err);
    if (rc == EF_OK) {
        ef_store_get_attr_f64(s, "/", "run", &run, &err);
        is_int(ef_store_read_f64(s, "/d/x1", &v, &n, &err), EF_OK, "commit in slices: the sliced update is stored");
        free(v);
        ok(!ef_store_exists(s, "/d/x2"), "commit in slices: the stopped update is not");
        ef_store_close(s);
    }
    is_rel(run, 1, 0, "commit in slices: the store is the last committed one");

    /* An update that only adds (a number attribute set again is rewritten
     * in place) has no dead space to drop: no rewrite, a few steps. */
    steps = 0;
    rc = ef_store_begin(&s, path, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/e/x", x, 3, &err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, "/", "run", 7, &err);
    if (rc == EF_OK) {
        while ((rc = ef_store_commit_step(s, &err)) == EF_CONTINUE)
            steps++;
    } else {
        ef_store_abort(s);
    }
    is_int(rc, EF_OK, "an update that only adds commits (%s)", err.msg);
    ok(steps < 4, "... without rewriting the store (%d steps)", steps);
    run = 0;
    rc = ef_store_open_read(&s, path, &err);
    if (rc == EF_OK) {
        ef_store_get_attr_f64(s, "/", "run", &run, &err);
        ok(ef_store_exists(s, "/e/x") && ef_store_exists(s, "/d/x1"), "... and keeps the old and the new");
        ef_store_close(s);
    }
    is_rel(run, 7, 0, "... with the number attribute set again");
    is_int(temp_files(), 0, "... and no temporary file");
    free(path);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--fixture") == 0)
        return write_fixture(argv[2]);
    if (argc >= 4 && (strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "--attr") == 0))
        return inspect(argc, argv);
    tmp = tap_tmpdir();
    test_roundtrip();
    test_large_and_2d();
    test_deflate_ahead();
    test_read_many();
    test_rows();
    test_attrs_and_list();
    test_replace_delete_stamp();
    test_atomicity();
    test_compact();
    test_commit_steps();
    test_errors();
    test_writers();
    nftw(tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    return done_testing();
}
