/* cardiosoft_diff_fuzz.c — differential libFuzzer harness for the CardioSoft
 * reader's FullDisclosure fast path.
 *
 * ef_cs_read_mem leaves FullDisclosure's inert text out of what libxml2
 * scans; ef_cs_read_mem_full (ecg/ef_cardiosoft_int.h) parses the whole
 * document.  Both must give the same result: return code, error (file,
 * line, column, message), every lead and median sample, the scalars,
 * measurements, notes and line numbers.  Any difference aborts after
 * printing what differs.
 *
 * Not built by `make check`.  With libFuzzer (configure must not link
 * -fsanitize=fuzzer itself, its main() breaks configure's own tests):
 *   configure CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined' \
 *             LDFLAGS='-fsanitize=address,undefined' CPPFLAGS=-DEF_LIBFUZZER
 *   make tests/fuzz/cardiosoft_diff_fuzz LDFLAGS='-fsanitize=fuzzer,address,undefined'
 *   tests/fuzz/cardiosoft_diff_fuzz -max_len=60000 CORPUS
 * (seed CORPUS with `ecgfit synth` files and a real one, cut down to a few
 * hundred samples a lead with a small FullDisclosure).  Without
 * EF_LIBFUZZER the program replays the files named on its command line. */
#include "config.h"
#include "fuzz_replay.h"
#include "ecg/ef_cardiosoft.h"
#include "ecg/ef_cardiosoft_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int differ;

static void diff(const char *what)
{
    fprintf(stderr, "cardiosoft_diff_fuzz: %s differs\n", what);
    differ = 1;
}

/* Same double, NaN equal to NaN. */
static int same_d(double a, double b)
{
    return isnan(a) ? isnan(b) : memcmp(&a, &b, sizeof a) == 0;
}

static void same_leads(int32_t *const *a, const size_t *na, int32_t *const *b, const size_t *nb,
                       const char *what)
{
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        if (!a[k] != !b[k] || na[k] != nb[k]
            || (a[k] && na[k] && memcmp(a[k], b[k], na[k] * sizeof *a[k]) != 0)) {
            fprintf(stderr, "lead %s: %zu vs %zu samples\n", ef_cs_lead_names[k], na[k], nb[k]);
            diff(what);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ef_cs_ecg a, b;
    ef_error ea, eb;
    int ra, rb;

    ef_error_clear(&ea);
    ef_error_clear(&eb);
    ra = ef_cs_read_mem((const char *)data, size, "fuzz.xml", &a, &ea);
    rb = ef_cs_read_mem_full((const char *)data, size, "fuzz.xml", &b, &eb);
    differ = 0;
    if (ra != rb)
        diff("return code");
    if (ra != EF_OK || rb != EF_OK) {
        if (ea.code != eb.code || ea.line != eb.line || ea.column != eb.column
            || strcmp(ea.file, eb.file) != 0 || strcmp(ea.msg, eb.msg) != 0)
            diff("error");
    }
    same_leads(a.lead, a.nsamples, b.lead, b.nsamples, "StripData leads");
    same_leads(a.median, a.median_nsamples, b.median, b.median_nsamples, "median leads");
    if (!same_d(a.sample_rate, b.sample_rate) || !same_d(a.resolution, b.resolution)
        || strcmp(a.resolution_units, b.resolution_units) != 0
        || a.channel_samples != b.channel_samples)
        diff("StripData scalars");
    if (memcmp(a.lead_line, b.lead_line, sizeof a.lead_line) != 0 || a.strip_line != b.strip_line)
        diff("line numbers");
    if (a.median_n != b.median_n || !same_d(a.median_rate, b.median_rate)
        || !same_d(a.median_resolution, b.median_resolution)
        || a.median_channel_samples != b.median_channel_samples
        || a.first_valid != b.first_valid || a.last_valid != b.last_valid)
        diff("median scalars");
    for (int m = 0; m < EF_CS_NMEAS; m++)
        if (!same_d(a.meas[m], b.meas[m]))
            diff(ef_cs_meas_names[m]);
    if (a.notes != b.notes)
        diff("notes");
    if (differ) {
        fprintf(stderr, "fast path: rc %d %s:%ld:%ld: %s\nfull parse: rc %d %s:%ld:%ld: %s\n", ra,
                ea.file, ea.line, ea.column, ea.msg, rb, eb.file, eb.line, eb.column, eb.msg);
        abort();
    }
    ef_cs_ecg_fini(&a);
    ef_cs_ecg_fini(&b);
    return 0;
}

#ifndef EF_LIBFUZZER
int main(int argc, char **argv)
{
    return fuzz_replay(argc, argv);
}
#endif
