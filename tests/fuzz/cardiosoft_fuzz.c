/* cardiosoft_fuzz.c — libFuzzer harness for the CardioSoft reader.
 *
 * Not built by `make check`.  With libFuzzer (configure must not link
 * -fsanitize=fuzzer itself, its main() breaks configure's own tests):
 *   configure CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined' \
 *             LDFLAGS='-fsanitize=address,undefined' CPPFLAGS=-DEF_LIBFUZZER
 *   make tests/fuzz/cardiosoft_fuzz LDFLAGS='-fsanitize=fuzzer,address,undefined'
 *   tests/fuzz/cardiosoft_fuzz -max_len=200000 CORPUS
 * (seed the corpus with a few files from `ecgfit synth`, cut down).  Without
 * EF_LIBFUZZER the program replays the files named on its command line. */
#include "config.h"
#include "fuzz_replay.h"
#include "ecg/ef_cardiosoft.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ef_cs_ecg e;
    ef_error err;
    int rc = ef_cs_read_mem((const char *)data, size, "fuzz.xml", &e, &err);

    if (rc == EF_OK) {
        /* Invariants a caller relies on. */
        for (int k = 0; k < EF_CS_NLEADS; k++) {
            if (!e.lead[k] && e.nsamples[k])
                abort();
            if (e.median[k] && e.median_nsamples[k] < e.median_n)
                abort();
        }
        if (e.resolution_units[sizeof e.resolution_units - 1] != '\0')
            abort();
    } else {
        for (int k = 0; k < EF_CS_NLEADS; k++)
            if (e.lead[k] || e.median[k])
                abort();
        if (err.code != rc || !memchr(err.msg, '\0', sizeof err.msg))
            abort();
    }
    ef_cs_ecg_fini(&e);
    return 0;
}

#ifndef EF_LIBFUZZER
int main(int argc, char **argv)
{
    return fuzz_replay(argc, argv);
}
#endif
