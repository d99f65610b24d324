/* ef_npy.c — see ef_npy.h. */
#include "config.h"
#include "store/ef_npy.h"
#include "core/ef_alloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_u32le(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Format 1.0: magic, version, header length (LE u16), a dict padded with
 * spaces to a multiple of 64 bytes including the final newline. */
int ef_npy_write_f32(const char *path, const float *v, size_t rows, size_t cols, ef_error *err)
{
    char hdr[256];
    unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0 }, *data;
    size_t len, total, i, nv = rows * cols;
    FILE *fp;
    int bad;

    len = (size_t)snprintf(hdr, sizeof hdr, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %zu), }",
                           rows, cols);
    total = (10 + len + 1 + 63) / 64 * 64;
    memset(hdr + len, ' ', total - 10 - len - 1);
    hdr[total - 10 - 1] = '\n';
    pre[8] = (unsigned char)((total - 10) & 0xff);
    pre[9] = (unsigned char)((total - 10) >> 8);
    data = ef_xmalloc((nv ? nv : 1) * 4);
    for (i = 0; i < nv; i++) {
        uint32_t u;

        memcpy(&u, &v[i], 4);
        put_u32le(data + 4 * i, u);
    }
    fp = fopen(path, "wb");
    if (!fp) {
        free(data);
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    }
    fwrite(pre, 1, 10, fp);
    fwrite(hdr, 1, total - 10, fp);
    fwrite(data, 4, nv, fp);
    free(data);
    bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return EF_OK;
}
