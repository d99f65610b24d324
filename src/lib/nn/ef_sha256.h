/* ef_sha256.h — SHA-256 (FIPS 180-4), for identifying encoder files. */
#ifndef EF_SHA256_H
#define EF_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

typedef struct ef_sha256 {
    uint32_t h[8];
    uint64_t len;          /* bytes hashed so far */
    unsigned char buf[64];
    size_t nbuf;
} ef_sha256;

void ef_sha256_init(ef_sha256 *c);
void ef_sha256_update(ef_sha256 *c, const void *data, size_t n);
/* Finish and write the digest as 64 lowercase hex digits plus NUL. */
void ef_sha256_hex(ef_sha256 *c, char hex[65]);
/* Hash of a whole file. */
int ef_sha256_file(const char *path, char hex[65], ef_error *err);

#endif
