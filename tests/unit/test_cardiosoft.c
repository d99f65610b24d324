/* test_cardiosoft.c — the CardioSoft XML reader: the waveform tokenizer, the
 * real UKB example (checked against an independent scan and, when available,
 * Debian python's ElementTree + numpy), synthetic files against the counts
 * synthesised, and every kind of bad input with its message and line. */
#include "config.h"
#include "tap.h"
#include "ecg/ef_cardiosoft.h"
#include "ecg/ef_cardiosoft_int.h"
#include "synth/ef_synth_ecg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------------------ */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? 2 * b->cap : 4096;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_printf(sbuf *b, const char *fmt, ...) EF_PRINTF(2, 3);

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_add(b, tmp, (size_t)n);
}

static char *path_in_tmp(const char *name)
{
    static char path[8][1024];
    static int i;

    i = (i + 1) % 8;
    snprintf(path[i], sizeof path[i], "%s/%s", tap_tmpdir(), name);
    return path[i];
}

static void write_file(const char *path, const char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        diag("cannot write %s: %s", path, strerror(errno));
        exit(99);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* 1-based line of byte offset OFF. */
static long line_of(const char *buf, size_t off)
{
    long line = 1;

    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* Line of the first occurrence of NEEDLE (0 if absent). */
static long line_of_str(const char *buf, const char *needle)
{
    const char *p = strstr(buf, needle);

    return p ? line_of(buf, (size_t)(p - buf)) : 0;
}

/* The same after the first occurrence of SECTION. */
static long line_in(const char *buf, const char *section, const char *needle)
{
    const char *s = strstr(buf, section), *p = s ? strstr(s, needle) : NULL;

    return p ? line_of(buf, (size_t)(p - buf)) : 0;
}

/* S with line ends shown as \n, for test descriptions. */
static const char *vis(const char *s)
{
    static char out[256];
    size_t n = 0;

    for (; *s && n < sizeof out - 3; s++) {
        if (*s == '\n' || *s == '\r') {
            out[n++] = '\\';
            out[n++] = *s == '\n' ? 'n' : 'r';
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    return out;
}

static int leads_all_null(const ef_cs_ecg *e)
{
    for (int k = 0; k < EF_CS_NLEADS; k++)
        if (e->lead[k] || e->median[k])
            return 0;
    return 1;
}

/* ---- the tokenizer ------------------------------------------------------------------- */

static int tok_all(const char *s, int32_t *v, size_t max, size_t *n, ef_cs_tok *t)
{
    int rc;

    memset(t, 0, sizeof *t);
    ef_cs_tok_begin(t, 4, 1);
    rc = ef_cs_tok_feed(t, s, strlen(s));
    if (rc == EF_CS_TOK_OK)
        rc = ef_cs_tok_end(t);
    *n = t->n;
    for (size_t i = 0; i < t->n && i < max; i++)
        v[i] = t->v[i];
    return rc;
}

static void test_tokenizer(void)
{
    ef_cs_tok t;
    int32_t v[64];
    size_t n;
    int rc;
    double d;
    long l;

    rc = tok_all("1,-2,+3,0,-0", v, 64, &n, &t);
    ok(rc == EF_CS_TOK_OK && n == 5 && v[0] == 1 && v[1] == -2 && v[2] == 3 && v[3] == 0
       && v[4] == 0, "1,-2,+3,0,-0");
    ef_cs_tok_free(&t);
    rc = tok_all("\t\t21,21,\r\n\t\t-20,\r\n\t\t7", v, 64, &n, &t);
    ok(rc == EF_CS_TOK_OK && n == 4 && v[2] == -20 && v[3] == 7, "tabs, CRLF between values");
    is_int(t.line, 3, "two LF counted");
    ef_cs_tok_free(&t);
    rc = tok_all(",,5,,,6,,", v, 64, &n, &t);
    ok(rc == EF_CS_TOK_OK && n == 2 && v[0] == 5 && v[1] == 6, "empty tokens ignored");
    ef_cs_tok_free(&t);
    rc = tok_all("12\r\n\t\t34,5 6", v, 64, &n, &t);
    ok(rc == EF_CS_TOK_OK && n == 2 && v[0] == 1234 && v[1] == 56,
       "white space is removed before splitting (a number wrapped mid-digits joins)");
    ef_cs_tok_free(&t);
    rc = tok_all("", v, 64, &n, &t);
    ok(rc == EF_CS_TOK_OK && n == 0, "empty text: no values");
    ef_cs_tok_free(&t);
    rc = tok_all("2147483647,-2147483648,0000000000012", v, 64, &n, &t);
    ok(rc == EF_CS_TOK_OK && n == 3 && v[0] == INT32_MAX && v[1] == INT32_MIN && v[2] == 12,
       "int32 limits and leading zeros");
    ef_cs_tok_free(&t);

    static const struct { const char *text; int why; const char *tok; long line; } bad[] = {
        { "1,2147483648,3", EF_CS_TOK_RANGE, "2147483648", 1 },
        { "-2147483649", EF_CS_TOK_RANGE, "-2147483649", 1 },
        { "1,\n99999999999", EF_CS_TOK_RANGE, "99999999999", 2 },
        { "1,\n\n99999999999999999999999999,2", EF_CS_TOK_RANGE, "99999999999999999999999999", 3 },
        { "1,12a,3", EF_CS_TOK_NOTINT, "12a", 1 },
        { "1,\n  x,3", EF_CS_TOK_NOTINT, "x", 2 },
        { "-", EF_CS_TOK_NOTINT, "-", 1 },
        { "1-2", EF_CS_TOK_NOTINT, "1-2", 1 },
        { "--5", EF_CS_TOK_NOTINT, "--5", 1 },
        { "5.0", EF_CS_TOK_NOTINT, "5.0", 1 },
        { "1e3", EF_CS_TOK_NOTINT, "1e3", 1 },
        { "0x10", EF_CS_TOK_NOTINT, "0x10", 1 },
        { "1;2", EF_CS_TOK_NOTINT, "1;2", 1 },
        { "NaN", EF_CS_TOK_NOTINT, "NaN", 1 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rc = tok_all(bad[i].text, v, 64, &n, &t);
        ok(rc == bad[i].why && strcmp(t.text, bad[i].tok) == 0 && t.tok_line == bad[i].line,
           "bad token in \"%s\": reason %d, text \"%s\", line %ld", vis(bad[i].text), rc, t.text,
           t.tok_line);
        ef_cs_tok_free(&t);
    }

    /* Random text fed whole and in random pieces: same values, same lines. */
    {
        sbuf b = { NULL, 0, 0 };
        int32_t *ref = malloc(20000 * sizeof *ref);
        uint64_t s = 12345;
        size_t nref = 0, same = 1;
        long lines = 1;

        for (int i = 0; i < 20000; i++) {
            int32_t x;

            s = s * 6364136223846793005u + 1442695040888963407u;
            x = (int32_t)(s >> 33) % (i % 7 == 0 ? 2147483647 : 600);
            if ((s >> 20) & 1)
                x = -x;
            ref[nref++] = x;
            sb_printf(&b, "%s%d,", (s >> 13) % 5 == 0 ? " " : "", x);
            if ((s >> 17) % 13 == 0) {
                sb_add(&b, "\r\n\t\t", 4);
                lines++;
            }
            if ((s >> 27) % 50 == 0)
                sb_add(&b, ",,", 2);
        }
        for (int pass = 0; pass < 3; pass++) {
            size_t off = 0;

            memset(&t, 0, sizeof t);
            ef_cs_tok_begin(&t, pass == 2 ? 20000 : 16, 1);
            while (off < b.len) {
                size_t piece;

                s = s * 6364136223846793005u + 1442695040888963407u;
                piece = pass == 0 ? b.len : 1 + (size_t)((s >> 40) % (pass == 1 ? 3 : 700));
                if (piece > b.len - off)
                    piece = b.len - off;
                if (ef_cs_tok_feed(&t, b.p + off, piece) != EF_CS_TOK_OK)
                    same = 0;
                off += piece;
            }
            if (ef_cs_tok_end(&t) != EF_CS_TOK_OK || t.n != nref || t.line != lines)
                same = 0;
            for (size_t i = 0; same && i < nref; i++)
                same = t.v[i] == ref[i];
            ok(same, "20,000 random values fed %s: same values and %ld lines",
               pass == 0 ? "whole" : pass == 1 ? "in 1-3 byte pieces" : "in pieces up to 700",
               lines);
            ef_cs_tok_free(&t);
        }
        /* A bad token split across pieces keeps its text and line. */
        memset(&t, 0, sizeof t);
        ef_cs_tok_begin(&t, 16, 10);
        ef_cs_tok_feed(&t, "1,2,\n3", 6);
        ef_cs_tok_feed(&t, "4", 1);
        rc = ef_cs_tok_feed(&t, "q5,6", 4);
        ok(rc == EF_CS_TOK_NOTINT && strcmp(t.text, "34q5") == 0 && t.tok_line == 11,
           "bad token across pieces: \"%s\" at line %ld", t.text, t.tok_line);
        ef_cs_tok_free(&t);
        free(ref);
        free(b.p);
    }

    ok(ef_cs_parse_real("500", 3, &d) == 0 && d == 500, "real: 500");
    ok(ef_cs_parse_real(" \r\n 4.88\t", 9, &d) == 0 && d == 4.88, "real: 4.88 with blanks");
    ok(ef_cs_parse_real("-0.01", 5, &d) == 0 && d == -0.01, "real: -0.01");
    ok(ef_cs_parse_real("  ", 2, &d) == 0 && isnan(d), "real: blank is NaN");
    ok(ef_cs_parse_real("abc", 3, &d) != 0, "real: abc rejected");
    ok(ef_cs_parse_real("1e3", 3, &d) != 0, "real: exponent rejected");
    ok(ef_cs_parse_real("-", 1, &d) != 0 && ef_cs_parse_real(".", 1, &d) != 0,
       "real: sign or dot alone rejected");
    ok(ef_cs_parse_real("1.2.3", 5, &d) != 0, "real: two dots rejected");
    ok(ef_cs_parse_long("5000", 4, &l) == 0 && l == 5000, "long: 5000");
    ok(ef_cs_parse_long(" -1 ", 4, &l) == 0 && l == -1, "long: -1");
    ok(ef_cs_parse_long("", 0, &l) == 1 && l == -1, "long: empty");
    ok(ef_cs_parse_long("5000.0", 6, &l) < 0, "long: 5000.0 rejected");
    ok(ef_cs_parse_long("99999999999", 11, &l) < 0, "long: too big rejected");
}

/* ---- hand-made documents ---------------------------------------------------------------- */

typedef struct docopt {
    const char *nl;          /* line end */
    int n;                   /* samples per strip lead */
    const char *count;       /* ChannelSampleCountTotal text (NULL: omitted) */
    const char *rate;        /* SampleRate text (NULL: omitted) */
    const char *res;         /* Resolution text (NULL: omitted) */
    const char *lead[16];    /* lead names in file order */
    int nlead;
    int poison_lead, poison_at;  /* replace sample poison_at of lead index poison_lead */
    const char *poison;
    int self_closed;         /* empty elements as <X/> */
    const char *prolog;      /* after the XML declaration */
    const char *decl;        /* XML declaration (NULL: the UKB one) */
    const char *diag_text;   /* DiagnosisText content */
    const char *strip_extra; /* inside StripData before the leads */
    int no_strip;
    size_t fd_bytes;         /* size of a FullDisclosure text block */
} docopt;

static void docopt_default(docopt *o)
{
    memset(o, 0, sizeof *o);
    o->nl = "\r\n";
    o->n = 50;
    o->count = "50";
    o->rate = "500";
    o->res = "5";
    for (int k = 0; k < EF_CS_NLEADS; k++)
        o->lead[k] = ef_cs_lead_names[k];
    o->nlead = EF_CS_NLEADS;
    o->poison_lead = -1;
    o->diag_text = "Normal sinus rhythm";
}

static int32_t sample_value(int k, int j)
{
    return (int32_t)(((k + 1) * 37 + j * 13) % 401) - 200;
}

static void empty_el(sbuf *b, const docopt *o, const char *tabs, const char *name,
                     const char *attrs)
{
    if (o->self_closed)
        sb_printf(b, "%s<%s%s/>%s", tabs, name, attrs, o->nl);
    else
        sb_printf(b, "%s<%s%s></%s>%s", tabs, name, attrs, name, o->nl);
}

static void wave(sbuf *b, const docopt *o, const char *tabs, const char *lead, int k, int n,
                 int poison)
{
    sb_printf(b, "%s<WaveformData lead=\"%s\">%s", tabs, lead, tabs);
    for (int j = 0; j < n; j++) {
        if (poison && j == o->poison_at)
            sb_printf(b, "%s", o->poison);
        else
            sb_printf(b, "%d", sample_value(k, j));
        if (j < n - 1)
            sb_printf(b, ",%s", (j + 1) % 10 == 0 ? "" : "");
        if (j < n - 1 && (j + 1) % 10 == 0)
            sb_printf(b, "%s%s", o->nl, tabs);
    }
    sb_printf(b, "</WaveformData>%s", o->nl);
}

static char *make_doc(const docopt *o, size_t *len)
{
    sbuf b = { NULL, 0, 0 };
    const char *nl = o->nl;

    sb_printf(&b, "%s%s", o->decl ? o->decl : "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>",
              nl);
    if (o->prolog)
        sb_printf(&b, "%s%s", o->prolog, nl);
    sb_printf(&b, "<CardiologyXML>%s\t<ObservationType>RestECG</ObservationType>%s", nl, nl);
    sb_printf(&b, "\t<Device-Type>2</Device-Type>%s", nl);
    sb_printf(&b, "\t<Interpretation>%s\t\t<Diagnosis>%s\t\t\t<DiagnosisText>%s</DiagnosisText>%s"
              "\t\t</Diagnosis>%s\t</Interpretation>%s", nl, nl, o->diag_text, nl, nl, nl);
    sb_printf(&b, "\t<RestingECGMeasurements>%s", nl);
    sb_printf(&b, "\t\t<VentricularRate units=\"BPM\">61</VentricularRate>%s", nl);
    empty_el(&b, o, "\t\t", "PQInterval", " units=\"ms\"");
    sb_printf(&b, "\t\t<PDuration units=\"ms\">96</PDuration>%s", nl);
    sb_printf(&b, "\t\t<QRSDuration units=\"ms\">88</QRSDuration>%s", nl);
    sb_printf(&b, "\t\t<QTInterval units=\"ms\">402</QTInterval>%s", nl);
    sb_printf(&b, "\t\t<QTCInterval units=\"ms\">405</QTCInterval>%s", nl);
    sb_printf(&b, "\t\t<RRInterval units=\"ms\">983</RRInterval>%s", nl);
    sb_printf(&b, "\t\t<PPInterval units=\"ms\">980</PPInterval>%s", nl);
    sb_printf(&b, "\t\t<PAxis units=\"degrees\">-12</PAxis>%s", nl);
    sb_printf(&b, "\t\t<RAxis units=\"degrees\">45</RAxis>%s", nl);
    empty_el(&b, o, "\t\t", "TAxis", " units=\"degrees\"");
    sb_printf(&b, "\t\t<MedianSamples>%s\t\t\t<SampleRate units=\"Hz\">500</SampleRate>%s", nl, nl);
    sb_printf(&b, "\t\t\t<ChannelSampleCountTotal>20</ChannelSampleCountTotal>%s", nl);
    sb_printf(&b, "\t\t\t<Resolution units=\"uVperLsb\">5</Resolution>%s", nl);
    sb_printf(&b, "\t\t\t<FirstValid units=\"Sample\">1</FirstValid>%s", nl);
    sb_printf(&b, "\t\t\t<LastValid units=\"Sample\">18</LastValid>%s", nl);
    for (int k = 0; k < EF_CS_NLEADS; k++)
        wave(&b, o, "\t\t\t", ef_cs_lead_names[k], k + 20, 20, 0);
    sb_printf(&b, "\t\t</MedianSamples>%s\t</RestingECGMeasurements>%s", nl, nl);
    sb_printf(&b, "\t<VectorLoops>%s\t\t<Frontal Lead=\"X\">1,2,3</Frontal>%s\t</VectorLoops>%s",
              nl, nl, nl);
    if (!o->no_strip) {
        sb_printf(&b, "\t<StripData>%s\t\t<NumberOfLeads>12</NumberOfLeads>%s", nl, nl);
        if (o->rate)
            sb_printf(&b, "\t\t<SampleRate units=\"Hz\">%s</SampleRate>%s", o->rate, nl);
        if (o->count)
            sb_printf(&b, "\t\t<ChannelSampleCountTotal>%s</ChannelSampleCountTotal>%s", o->count,
                      nl);
        if (o->res && !*o->res)
            empty_el(&b, o, "\t\t", "Resolution", " units=\"uVperLsb\"");
        else if (o->res)
            sb_printf(&b, "\t\t<Resolution units=\"uVperLsb\">%s</Resolution>%s", o->res, nl);
        if (o->strip_extra)
            sb_printf(&b, "%s%s", o->strip_extra, nl);
        for (int i = 0; i < o->nlead; i++)
            wave(&b, o, "\t\t", o->lead[i], i, o->n, i == o->poison_lead);
        sb_printf(&b, "\t\t<ArrhythmiaResults>%s\t\t\t<Time units=\"ms\">610</Time>%s"
                  "\t\t</ArrhythmiaResults>%s\t</StripData>%s", nl, nl, nl, nl);
    }
    sb_printf(&b, "\t<FullDisclosure>%s\t\t<FullDisclosureData>%s", nl, nl);
    for (size_t w = 0; w < o->fd_bytes; w += 2000) {
        for (int j = 0; j < 400; j++)
            sb_add(&b, "-12,", 4);
        sb_printf(&b, "%s", nl);
    }
    sb_printf(&b, "\t\t\t<SampleCountTotal>0</SampleCountTotal>%s\t\t</FullDisclosureData>%s"
              "\t</FullDisclosure>%s", nl, nl, nl);
    empty_el(&b, o, "\t", "Export", "");
    sb_printf(&b, "</CardiologyXML>%s", nl);
    *len = b.len;
    return b.p;
}

/* Parse DOC from memory; returns the status. */
static int parse_doc(const docopt *o, ef_cs_ecg *e, ef_error *err, char **text, size_t *tlen)
{
    size_t len;
    char *doc = make_doc(o, &len);
    int rc;

    ef_error_clear(err);
    rc = ef_cs_read_mem(doc, len, "1234567_20205_2_0.xml", e, err);
    if (text) {
        *text = doc;
        *tlen = len;
    } else {
        free(doc);
    }
    return rc;
}

static int strip_values_ok(const ef_cs_ecg *e, int n)
{
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        if (!e->lead[k] || e->nsamples[k] != (size_t)n)
            return 0;
        for (int j = 0; j < n; j++)
            if (e->lead[k][j] != sample_value(k, j))
                return 0;
    }
    return 1;
}

static void test_handmade(void)
{
    docopt o;
    ef_cs_ecg e, e2;
    ef_error err;
    char *doc, *doc2;
    size_t len, len2;
    int rc;

    ef_cs_ecg_init(&e);
    ef_cs_ecg_init(&e2);

    /* The baseline document, CRLF and LF. */
    docopt_default(&o);
    rc = parse_doc(&o, &e, &err, &doc, &len);
    is_int(rc, EF_OK, "hand-made document reads");
    ok(strip_values_ok(&e, 50), "12 leads x 50 values as written");
    is_abs(e.sample_rate, 500, 0, "SampleRate");
    is_abs(e.resolution, 5, 0, "Resolution");
    is_str(e.resolution_units, "uVperLsb", "Resolution units");
    is_int(e.channel_samples, 50, "ChannelSampleCountTotal");
    is_int(e.notes, 0, "no notes");
    is_int(e.strip_line, line_of_str(doc, "<StripData>"), "StripData line %ld", e.strip_line);
    is_int(e.lead_line[11], line_in(doc, "<StripData>", "<WaveformData lead=\"V6\">"),
           "lead V6 start line %ld", e.lead_line[11]);
    is_int(e.median_n, 20, "20 median samples");
    ok(e.median[3] && e.median[3][0] == sample_value(23, 0) && e.median[3][19] == sample_value(23, 19),
       "median aVR values");
    is_int(e.first_valid, 1, "FirstValid");
    is_int(e.last_valid, 18, "LastValid");
    is_abs(e.median_rate, 500, 0, "median SampleRate");
    is_abs(e.median_resolution, 5, 0, "median Resolution");
    is_int(e.median_channel_samples, 20, "median ChannelSampleCountTotal");
    is_abs(e.meas[EF_CS_VENT_RATE], 61, 0, "VentricularRate");
    ok(isnan(e.meas[EF_CS_PQ]), "empty PQInterval is NaN");
    is_abs(e.meas[EF_CS_P_DUR], 96, 0, "PDuration");
    is_abs(e.meas[EF_CS_QRS], 88, 0, "QRSDuration");
    is_abs(e.meas[EF_CS_QT], 402, 0, "QTInterval");
    is_abs(e.meas[EF_CS_QTC], 405, 0, "QTCInterval");
    is_abs(e.meas[EF_CS_RR], 983, 0, "RRInterval");
    is_abs(e.meas[EF_CS_PP], 980, 0, "PPInterval");
    is_abs(e.meas[EF_CS_P_AXIS], -12, 0, "PAxis (negative)");
    is_abs(e.meas[EF_CS_R_AXIS], 45, 0, "RAxis");
    ok(isnan(e.meas[EF_CS_T_AXIS]), "empty TAxis is NaN");
    ef_cs_ecg_fini(&e);
    ok(leads_all_null(&e) && isnan(e.sample_rate), "fini leaves an empty record");
    free(doc);

    o.nl = "\n";
    rc = parse_doc(&o, &e2, &err, &doc2, &len2);
    ok(rc == EF_OK && strip_values_ok(&e2, 50) && e2.median_n == 20
       && e2.lead_line[5] == line_in(doc2, "<StripData>", "<WaveformData lead=\"aVF\">"),
       "LF line ends: same values and lines");
    ef_cs_ecg_fini(&e2);
    free(doc2);

    /* A non-numeric sample, CRLF and LF: file, line, lead, text. */
    for (int pass = 0; pass < 2; pass++) {
        docopt_default(&o);
        o.nl = pass ? "\n" : "\r\n";
        o.poison_lead = 7;
        o.poison_at = 33;
        o.poison = "12x";
        rc = parse_doc(&o, &e, &err, &doc, &len);
        is_int(rc, EF_EPARSE, "non-numeric sample (%s): EF_EPARSE", pass ? "LF" : "CRLF");
        is_int(err.line, line_of_str(doc, ",12x,"), "... at its line %ld", err.line);
        is_str(err.file, "1234567_20205_2_0.xml", "... names the file");
        like(err.msg, "lead V2, sample 34:", "... names the lead and the sample: %s", err.msg);
        like(err.msg, "\"12x\"", "... quotes the text");
        like(err.msg, "not an integer", "... says why");
        ok(leads_all_null(&e), "... no leads left after the failure");
        free(doc);
    }
    /* Bad first token right after the start tag; bad last token before the end tag. */
    docopt_default(&o);
    o.poison_lead = 0;
    o.poison_at = 0;
    o.poison = "?";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EPARSE && err.line == line_of_str(doc, "<WaveformData lead=\"I\">\t\t?"),
       "bad first sample: line %ld", err.line);
    free(doc);
    o.poison_lead = 11;
    o.poison_at = 49;
    o.poison = "7 7 b";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EPARSE && err.line == line_of_str(doc, "7 7 b</Wave") && strstr(err.msg, "\"77b\"")
       && strstr(err.msg, "V6"), "bad last sample: line %ld, %s", err.line, err.msg);
    free(doc);

    /* Out of int32. */
    docopt_default(&o);
    o.poison_lead = 2;
    o.poison_at = 17;
    o.poison = "99999999999";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    is_int(rc, EF_EPARSE, "out-of-range sample: EF_EPARSE");
    is_int(err.line, line_of_str(doc, "99999999999"), "... at its line %ld", err.line);
    like(err.msg, "99999999999", "... quotes it: %s", err.msg);
    like(err.msg, "lead III", "... names the lead");
    like(err.msg, "range", "... says why");
    free(doc);
    o.poison = "-2147483648";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.lead[2][17] == INT32_MIN, "INT32_MIN is in range");
    ef_cs_ecg_fini(&e);

    /* Counts. */
    docopt_default(&o);
    o.n = 4999;
    o.count = "5000";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 4999) && e.channel_samples == 5000
       && (e.notes & EF_CS_NOTE_COUNT_MISMATCH), "4,999 samples: read, count-mismatch noted");
    ef_cs_ecg_fini(&e);
    o.n = 10000;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 10000) && (e.notes & EF_CS_NOTE_COUNT_MISMATCH),
       "10,000 samples (announced 5000): all read, count-mismatch noted");
    ef_cs_ecg_fini(&e);
    o.count = "10000";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 10000) && e.notes == 0,
       "10,000 samples announced as such: no note");
    ef_cs_ecg_fini(&e);
    o.count = NULL;
    o.n = 37;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 37) && e.channel_samples == -1 && e.notes == 0,
       "no ChannelSampleCountTotal: -1, any count accepted");
    ef_cs_ecg_fini(&e);
    o.count = "5000.5";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EPARSE && err.line == line_of_str(doc, "<ChannelSampleCountTotal>5000.5")
       && strstr(err.msg, "ChannelSampleCountTotal") && strstr(err.msg, "5000.5"),
       "ChannelSampleCountTotal 5000.5: EF_EPARSE at line %ld: %s", err.line, err.msg);
    free(doc);

    /* Rate and resolution. */
    docopt_default(&o);
    o.rate = "250";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.sample_rate == 250 && strip_values_ok(&e, 50),
       "SampleRate 250: read as is (QC decides)");
    ef_cs_ecg_fini(&e);
    o.rate = NULL;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && isnan(e.sample_rate), "SampleRate missing: NaN");
    ef_cs_ecg_fini(&e);
    o.rate = "fast";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EPARSE && err.line == line_of_str(doc, ">fast<") && strstr(err.msg, "SampleRate")
       && strstr(err.msg, "\"fast\""), "SampleRate \"fast\": EF_EPARSE at line %ld: %s",
       err.line, err.msg);
    free(doc);
    docopt_default(&o);
    o.res = NULL;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && isnan(e.resolution) && e.resolution_units[0] == '\0',
       "Resolution missing: NaN, no units");
    ef_cs_ecg_fini(&e);
    o.res = "0";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.resolution == 0 && !strcmp(e.resolution_units, "uVperLsb"),
       "Resolution 0: read as 0 (QC decides)");
    ef_cs_ecg_fini(&e);
    o.res = "";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && isnan(e.resolution) && !strcmp(e.resolution_units, "uVperLsb"),
       "Resolution empty: NaN");
    ef_cs_ecg_fini(&e);
    o.res = "4.88";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.resolution == 4.88, "Resolution 4.88");
    ef_cs_ecg_fini(&e);
    o.res = "5 uV";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EPARSE && err.line == line_of_str(doc, ">5 uV<") && strstr(err.msg, "Resolution"),
       "Resolution \"5 uV\": EF_EPARSE at line %ld: %s", err.line, err.msg);
    free(doc);

    /* Leads: missing, duplicated, case, unknown, self-closed. */
    docopt_default(&o);
    for (int i = 8; i < 11; i++)
        o.lead[i] = o.lead[i + 1];
    o.nlead = 11;  /* V3 missing */
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.lead[8] == NULL && e.nsamples[8] == 0 && e.lead_line[8] == 0
       && e.lead[9] && e.lead[11] && e.lead[9][0] == sample_value(8, 0) && e.notes == 0,
       "missing lead V3: NULL, the others read (QC decides)");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.lead[12] = "V3";
    o.nlead = 13;  /* V3 twice, the second with other values */
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && (e.notes & EF_CS_NOTE_DUP_LEAD) && e.lead[8][0] == sample_value(8, 0)
       && e.lead[8][1] == sample_value(8, 1), "duplicated lead: the first kept, noted");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.lead[3] = "AVR";
    o.lead[6] = "v1";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.notes == EF_CS_NOTE_LEAD_CASE && strip_values_ok(&e, 50),
       "lead names AVR, v1: matched ignoring case, noted");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.lead[12] = "V7";
    o.lead[13] = "";
    o.nlead = 14;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.notes == EF_CS_NOTE_UNKNOWN_LEAD && strip_values_ok(&e, 50),
       "lead names V7 and \"\": ignored, noted");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.lead[0] = "V&#49;";  /* a character reference in the attribute */
    o.lead[6] = "I";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.lead[6][0] == sample_value(0, 0) && e.lead[0][0] == sample_value(6, 0),
       "lead=\"V&#49;\" is V1");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.self_closed = 1;
    o.res = "";
    o.strip_extra = "\t\t<WaveformData lead=\"V6\"/>";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && isnan(e.meas[EF_CS_PQ]) && isnan(e.meas[EF_CS_T_AXIS]) && isnan(e.resolution)
       && e.lead[11] && e.nsamples[11] == 0 && (e.notes & EF_CS_NOTE_DUP_LEAD)
       && e.meas[EF_CS_QRS] == 88, "self-closed elements: empty values (<WaveformData/> = 0 samples)");
    ef_cs_ecg_fini(&e);

    /* Structure. */
    docopt_default(&o);
    o.no_strip = 1;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_EDATA && strstr(err.msg, "no StripData") && !strcmp(err.file, "1234567_20205_2_0.xml"),
       "missing StripData: EF_EDATA: %s", err.msg);
    docopt_default(&o);
    o.nlead = 0;
    o.strip_extra = "\t\t<Strip>\r\n\t\t\t<WaveformData lead=\"I\">1,2</WaveformData>\r\n\t\t</Strip>";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EDATA && strstr(err.msg, "no WaveformData") && strstr(err.msg, "6025")
       && err.line == line_of_str(doc, "<StripData>"),
       "StripData/Strip/WaveformData (exercise ECG): EF_EDATA at line %ld: %s", err.line, err.msg);
    free(doc);

    /* Malformed XML: mismatched end tag; the line is the bad tag's. */
    for (int pass = 0; pass < 2; pass++) {
        char *p;

        docopt_default(&o);
        o.nl = pass ? "\n" : "\r\n";
        doc = make_doc(&o, &len);
        p = strstr(doc, "</QRSDuration>");
        memcpy(p, "</QRSDuratiom>", 14);
        rc = ef_cs_read_mem(doc, len, "m.xml", &e, &err);
        ok(rc == EF_EPARSE && err.line == line_of_str(doc, "</QRSDuratiom>")
           && strstr(err.msg, "malformed XML") && strstr(err.msg, "QRSDuration")
           && !strstr(err.msg, "truncated")
           && !strcmp(err.file, "m.xml"),
           "mismatched tag (%s): EF_EPARSE at line %ld: %s", pass ? "LF" : "CRLF", err.line,
           err.msg);
        ok(leads_all_null(&e), "... no leads kept");
        free(doc);
    }
    docopt_default(&o);
    doc = make_doc(&o, &len);
    {
        char *p = strstr(doc, "<PDuration units=\"ms\">");

        p[10] = '\'';  /* unbalanced quote in an attribute */
        rc = ef_cs_read_mem(doc, len, "q.xml", &e, &err);
        ok(rc == EF_EPARSE && err.line == line_of_str(doc, "<PDuration"),
           "broken attribute quoting: EF_EPARSE at line %ld: %s", err.line, err.msg);
    }
    free(doc);
    docopt_default(&o);
    o.fd_bytes = 2000;
    doc = make_doc(&o, &len);
    {
        char *p = strstr(doc, "-12,-12,") + 3;

        *p = '<';  /* damage inside FullDisclosure is still found */
        rc = ef_cs_read_mem(doc, len, "fd.xml", &e, &err);
        ok(rc == EF_EPARSE, "damage inside FullDisclosure: EF_EPARSE (line %ld)", err.line);
    }
    free(doc);

    /* Entities, declarations, DOCTYPE. */
    docopt_default(&o);
    o.diag_text = "ST &amp; T wave abnormality &lt;&gt; &quot;&apos; &#181;V";
    o.rate = "5&#48;0";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && e.sample_rate == 500 && strip_values_ok(&e, 50),
       "predefined entities and character references decoded");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.diag_text = "\xb5V: 12SL \xe9";  /* ISO-8859-1 bytes: libxml2 transcodes */
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 50) && e.meas[EF_CS_QT] == 402,
       "ISO-8859-1 bytes > 127 in a text element");
    ef_cs_ecg_fini(&e);
    o.decl = "<?xml version=\"1.0\" encoding=\"ISO8859-1\"?>";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 50), "encoding label ISO8859-1 with bytes > 127");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.decl = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 50), "UTF-8 with a BOM");
    ef_cs_ecg_fini(&e);
    docopt_default(&o);
    o.decl = "<?xml version=\"1.0\"?><!-- exported -->";
    o.diag_text = "<![CDATA[a < b]]> and <!-- comment --> <?pi x?>";
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 50), "comments, CDATA, processing instructions");
    ef_cs_ecg_fini(&e);

    /* A DOCTYPE with an external DTD and an external entity: neither is fetched.
     * The DTD exists and would change the rate and add a lead if it were read. */
    {
        char *dtd = path_in_tmp("cardio.dtd"), *ent = path_in_tmp("secret.txt");
        char prolog[3000];
        const char *d = "<!ENTITY rate \"250\">\n<!ATTLIST WaveformData lead CDATA \"V6\">\n";
        int fd, so;
        char tmpl[1100];
        struct stat sb;

        write_file(dtd, d, strlen(d));
        write_file(ent, "999", 3);
        snprintf(prolog, sizeof prolog,
                 "<!DOCTYPE CardiologyXML SYSTEM \"file://%s\" [\n"
                 "<!ENTITY secret SYSTEM \"file://%s\">\n"
                 "<!ENTITY remote SYSTEM \"http://127.0.0.1:9/x.txt\">\n]>", dtd, ent);
        docopt_default(&o);
        o.prolog = prolog;
        o.nlead = 11;
        o.rate = "&rate;";
        o.diag_text = "&remote;";
        o.strip_extra = "\t\t<Interp>&secret;</Interp>";
        /* libxml2 must not print either: stderr goes to a file meanwhile. */
        snprintf(tmpl, sizeof tmpl, "%s", path_in_tmp("stderr.txt"));
        fflush(stderr);
        so = dup(2);
        fd = open(tmpl, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
        close(fd);
        rc = parse_doc(&o, &e, &err, NULL, NULL);
        fflush(stderr);
        dup2(so, 2);
        close(so);
        ok(rc == EF_OK && isnan(e.sample_rate) && e.lead[11] == NULL && e.lead[10] != NULL,
           "DOCTYPE with external DTD/entities: parsed, nothing fetched (rate %g)", e.sample_rate);
        ok(stat(tmpl, &sb) == 0 && sb.st_size == 0, "libxml2 printed nothing");
        ef_cs_ecg_fini(&e);
        /* And the malformed case prints nothing either. */
        docopt_default(&o);
        doc = make_doc(&o, &len);
        doc[len / 2] = '&';
        fflush(stderr);
        so = dup(2);
        fd = open(tmpl, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
        close(fd);
        rc = ef_cs_read_mem(doc, len, "x.xml", &e, NULL);
        fflush(stderr);
        dup2(so, 2);
        close(so);
        ok(rc == EF_EPARSE && stat(tmpl, &sb) == 0 && sb.st_size == 0,
           "malformed file, err NULL: EF_EPARSE, nothing printed");
        free(doc);
        remove(tmpl);
        remove(dtd);
        remove(ent);
    }

    /* Internal entities are not expanded (no billion laughs): a document using
     * one is refused with the entity named, like an undeclared one. */
    docopt_default(&o);
    o.prolog = "<!DOCTYPE CardiologyXML [\n<!ENTITY r \"500\">\n]>";
    o.rate = "&r;";
    rc = parse_doc(&o, &e, &err, &doc, &len);
    ok(rc == EF_EPARSE && strstr(err.msg, "'r'") && err.line == line_of_str(doc, "&r;"),
       "internal entity: refused at line %ld: %s", err.line, err.msg);
    free(doc);

    /* Another root, not XML at all. */
    {
        static const char *const other[][3] = {
            { "<?xml version=\"1.0\"?>\r\n<html><body>x</body></html>\r\n", "root element is <html>", "2" },
            { "\r\n\r\n<svg/>", "root element is <svg>", "3" },
            { "\"eid\",\"31-0.0\"\r\n\"1000001\",\"1\"\r\n", "not an XML file", "1" },
            { "\n\n  eid,31-0.0\n", "not an XML file", "3" },
            { "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image", "1" },
            { "%PDF-1.4\n", "PDF", "1" },
            { "PK\x03\x04\x14\0", "zip", "1" },
            { " \r\n\t", "only white space", "0" },
            { "<", "malformed XML", "1" },
        };
        static const size_t other_len[] = { 0, 0, 0, 0, 16, 0, 6, 0, 0 };

        for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
            size_t n = other_len[i] ? other_len[i] : strlen(other[i][0]);
            char *path = path_in_tmp("1000001_20205_2_0.xml");

            write_file(path, other[i][0], n);
            ef_error_clear(&err);
            rc = ef_cs_read_file(path, &e, &err);
            ok(rc < 0 && strstr(err.msg, other[i][1]) && err.line == atol(other[i][2])
               && !strcmp(err.file, path),
               "file named like an ECG holding %s: %s (line %ld): %s", other[i][1],
               ef_strerror(rc), err.line, err.msg);
            remove(path);
        }
    }

    /* A large FullDisclosure (12 MB, beyond libxml2's 10 MB lookup limit) parses. */
    docopt_default(&o);
    o.fd_bytes = 12u << 20;
    rc = parse_doc(&o, &e, &err, NULL, NULL);
    ok(rc == EF_OK && strip_values_ok(&e, 50), "12 MB FullDisclosure: read (%s)", err.msg);
    ef_cs_ecg_fini(&e);

    /* The FullDisclosure fast path gives what the full parse gives (cases
     * found by tests/fuzz/cardiosoft_diff_fuzz.c).  "<FullDisclosure>" in a
     * CDATA section is text, not the element: StripData after it is read. */
    {
        static const char cdata[] = "<CardiologyXML><Note><![CDATA[<FullDisclosure>]]></Note>"
                                    "<StripData><WaveformData lead=\"I\">1,2,3</WaveformData>"
                                    "</StripData><FullDisclosure>4</FullDisclosure></CardiologyXML>";
        /* A comment inside FullDisclosure holding its end tag, and "-->" in
         * a later one: the measurements between are read. */
        static const char cmt[] = "<CardiologyXML><StripData><WaveformData lead=\"I\">1,2,3"
                                  "</WaveformData></StripData>\n<FullDisclosure><Y><!-- "
                                  "</FullDisclosure> --></Y></FullDisclosure>\n"
                                  "<RestingECGMeasurements><VentricularRate>61</VentricularRate>"
                                  "</RestingECGMeasurements>\n<FullDisclosure><Y>--></Y>"
                                  "</FullDisclosure></CardiologyXML>";
        /* FullDisclosure before StripData: line numbers after it hold. */
        static const char first[] = "<CardiologyXML>\r\n<FullDisclosure>\r\n1,2\r\n3\n"
                                    "</FullDisclosure>\r\n<StripData>\r\n<WaveformData "
                                    "lead=\"I\">1,2,3</WaveformData></StripData></CardiologyXML>";

        rc = ef_cs_read_mem(cdata, sizeof cdata - 1, "c.xml", &e, &err);
        ok(rc == EF_OK && e.nsamples[0] == 3 && e.lead[0][2] == 3,
           "\"<FullDisclosure>\" in CDATA before StripData: lead I read (%zu samples)",
           e.nsamples[0]);
        ef_cs_ecg_fini(&e);
        rc = ef_cs_read_mem(cmt, sizeof cmt - 1, "m.xml", &e, &err);
        ok(rc == EF_OK && e.meas[EF_CS_VENT_RATE] == 61,
           "comment holding </FullDisclosure>: the measurements after it read (%g)",
           e.meas[EF_CS_VENT_RATE]);
        ef_cs_ecg_fini(&e);
        rc = ef_cs_read_mem(first, sizeof first - 1, "f.xml", &e, &err);
        ok(rc == EF_OK && e.strip_line == 6 && e.lead_line[0] == 7,
           "FullDisclosure before StripData: StripData line %ld, lead I line %ld", e.strip_line,
           e.lead_line[0]);
        ef_cs_ecg_fini(&e);
    }
}

/* ---- files: empty, gzip, huge, truncated ------------------------------------------------ */

static void test_files(void)
{
    ef_cs_ecg e;
    ef_error err;
    char *path = path_in_tmp("2000002_20205_2_0.xml");
    int rc, fd;
    struct timespec t0, t1;
    double ms;
    /* gzip of "<CardiologyXML/>\n" (gzip -9n) */
    static const unsigned char gz[] = {
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xb3, 0x71, 0x4e, 0x2c, 0x4a,
        0xc9, 0xcc, 0xcf, 0xc9, 0x4f, 0xaf, 0x8c, 0xf0, 0xf5, 0xd1, 0xb7, 0xe3, 0x02, 0x00, 0xa7,
        0x89, 0x48, 0xc2, 0x11, 0x00, 0x00, 0x00
    };

    write_file(path, "", 0);
    rc = ef_cs_read_file(path, &e, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "empty") && !strcmp(err.file, path),
       "empty file: EF_EDATA: %s", err.msg);
    rc = ef_cs_read_mem("", 0, "mem", &e, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "empty"), "empty buffer: EF_EDATA");

    write_file(path, (const char *)gz, sizeof gz);
    rc = ef_cs_read_file(path, &e, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "gzip-compressed") && strstr(err.msg, "gunzip"),
       "gzip-compressed file: EF_EDATA: %s", err.msg);

    /* > cap: a sparse file, refused from its size before any reading. */
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ok(fd >= 0 && ftruncate(fd, (off_t)EF_CS_MAX_BYTES + 1) == 0, "sparse %u-byte file",
       EF_CS_MAX_BYTES + 1);
    close(fd);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = ef_cs_read_file(path, &e, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    ok(rc == EF_EDATA && strstr(err.msg, "file too large (67108865 bytes; cap 64 MB)"),
       "huge file: EF_EDATA: %s", err.msg);
    ok(ms < 100, "... refused in %.2f ms (not read)", ms);
    remove(path);

    rc = ef_cs_read_file(path, &e, &err);
    ok(rc == EF_EIO && strstr(err.msg, "cannot open") && !strcmp(err.file, path),
       "missing file: EF_EIO: %s", err.msg);
    rc = ef_cs_read_file(tap_tmpdir(), &e, &err);
    ok(rc == EF_EIO && strstr(err.msg, "directory"), "a directory: EF_EIO: %s", err.msg);
    ok(ef_cs_read_file(NULL, &e, &err) == EF_EINVAL, "NULL path: EF_EINVAL");
}

/* ---- synthetic files ---------------------------------------------------------------------- */

static void test_synthetic(void)
{
    static int32_t counts[12][5000];
    static const double hr[] = { 48, 72, 131 };
    ef_synth_ecg_params p;
    ef_synth_ecg_measurements m;
    ef_cs_ecg e;
    ef_error err;
    char *text, *path = path_in_tmp("3000003_20205_2_0.xml");
    size_t len;
    int rc;

    for (int s = 0; s < 3; s++) {
        int same = 1;

        ef_synth_ecg_params_default(&p);
        p.seed = 700 + (uint64_t)s;
        p.hr_bpm = hr[s];
        p.sex = s % 2;
        if (ef_synth_ecg_synthesise(&p, counts, &m, &err) != EF_OK
            || ef_synth_ecg_write_cardiosoft(path, &p, &err) != EF_OK) {
            ok(0, "synthesise and write seed %d: %s", s, err.msg);
            continue;
        }
        rc = ef_cs_read_file(path, &e, &err);
        is_int(rc, EF_OK, "synthetic file %d (%.0f bpm) reads", s, hr[s]);
        if (rc != EF_OK)
            continue;
        for (int k = 0; k < 12 && same; k++) {
            same = e.lead[k] && e.nsamples[k] == 5000;
            for (int j = 0; same && j < 5000; j++)
                same = e.lead[k][j] == counts[k][j];
        }
        ok(same, "... 12 x 5000 counts read back equal the counts synthesised");
        ok(e.sample_rate == 500 && e.resolution == 5 && e.channel_samples == 5000 && e.notes == 0
           && !strcmp(e.resolution_units, "uVperLsb"), "... rate, resolution, count, no notes");
        ok(e.median_n == 600 && e.first_valid == 0 && e.last_valid > 500 && e.last_valid < 600,
           "... 600-sample medians, valid %ld..%ld", e.first_valid, e.last_valid);
        {
            const double mv[EF_CS_NMEAS] = { m.vent_rate, m.pq, m.p_dur, m.qrs, m.qt, m.qtc, m.rr,
                                            m.pp, m.p_axis, m.r_axis, m.t_axis };
            int mok = 1;

            for (int i = 0; i < EF_CS_NMEAS; i++)
                if (!(isnan(mv[i]) ? isnan(e.meas[i]) : e.meas[i] == floor(mv[i] + 0.5)))
                    mok = 0;
            ok(mok, "... the 11 measurements written (rate %g, QRS %g, QTc %g)",
               e.meas[EF_CS_VENT_RATE], e.meas[EF_CS_QRS], e.meas[EF_CS_QTC]);
        }
        ef_cs_ecg_fini(&e);
    }

    /* Truncated: cut the last synthetic file at half and a few other places. */
    rc = ef_synth_ecg_cardiosoft_render(&p, &text, &len, NULL, &err);
    if (rc != EF_OK) {
        ok(0, "render: %s", err.msg);
        return;
    }
    {
        static const double cut[] = { 0.5, 0.2, 0.9, 0.999 };

        for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
            size_t n = (size_t)((double)len * cut[i]);
            long lines = line_of(text, n);

            write_file(path, text, n);
            rc = ef_cs_read_file(path, &e, &err);
            ok(rc == EF_EPARSE && strstr(err.msg, "truncated") && err.line == lines
               && !strcmp(err.file, path) && leads_all_null(&e),
               "file cut at %.1f %% of its bytes: EF_EPARSE at line %ld (last line %ld): %s",
               100 * cut[i], err.line, lines, err.msg);
        }
        write_file(path, text, len - 3);  /* only "\r\n" and a ">" missing */
        rc = ef_cs_read_file(path, &e, &err);
        ok(rc == EF_EPARSE, "last 3 bytes missing: EF_EPARSE: %s", err.msg);
    }
    /* The whole document from memory equals the file. */
    rc = ef_cs_read_mem(text, len, "synthetic", &e, &err);
    ok(rc == EF_OK && e.nsamples[0] == 5000, "render read from memory");
    ef_cs_ecg_fini(&e);
    free(text);
    remove(path);
}

/* ---- two threads at once (the preprocess stage uses both cores) ------------------------ */

typedef struct thr_job {
    const char *buf;
    size_t len;
    const ef_cs_ecg *want;
    int good;
} thr_job;

static void *thr_main(void *arg)
{
    thr_job *j = arg;

    j->good = 1;
    for (int r = 0; r < 6; r++) {
        ef_cs_ecg e;
        ef_error err;
        /* Alternate good and broken input so that error paths run concurrently too. */
        int rc = ef_cs_read_mem(j->buf, r % 2 ? j->len / 3 : j->len, "t.xml", &e, &err);

        if (r % 2) {
            j->good &= rc == EF_EPARSE && err.line > 0;
            continue;
        }
        j->good &= rc == EF_OK;
        for (int k = 0; rc == EF_OK && k < EF_CS_NLEADS; k++)
            j->good &= e.nsamples[k] == j->want->nsamples[k]
                       && !memcmp(e.lead[k], j->want->lead[k], e.nsamples[k] * sizeof(int32_t));
        ef_cs_ecg_fini(&e);
    }
    return NULL;
}

static void test_threads(void)
{
    ef_synth_ecg_params p;
    ef_cs_ecg want;
    ef_error err;
    char *text;
    size_t len;
    pthread_t th[2];
    thr_job job[2];

    ef_synth_ecg_params_default(&p);
    p.seed = 9;
    if (ef_synth_ecg_cardiosoft_render(&p, &text, &len, NULL, &err) != EF_OK
        || ef_cs_read_mem(text, len, "t.xml", &want, &err) != EF_OK) {
        ok(0, "render and read for the thread test: %s", err.msg);
        return;
    }
    for (int i = 0; i < 2; i++) {
        job[i].buf = text;
        job[i].len = len;
        job[i].want = &want;
        pthread_create(&th[i], NULL, thr_main, &job[i]);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ok(job[0].good && job[1].good, "two threads reading at once (good and truncated input)");
    ef_cs_ecg_fini(&want);
    free(text);
}

/* ---- the real UKB example ------------------------------------------------------------------ */

/* Independent scan: the text of <TAG ...> following SECTION in BUF. */
static const char *after_tag(const char *buf, const char *section, const char *tag)
{
    const char *p = strstr(buf, section);

    if (!p)
        return NULL;
    p = strstr(p, tag);
    return p ? strchr(p, '>') + 1 : NULL;
}

/* First and last 3 values of a WaveformData element by plain string scanning. */
static int scan_wave(const char *buf, const char *section, const char *lead, long first[3],
                     long last[3])
{
    char tag[64];
    const char *p, *end, *q;
    int i;

    snprintf(tag, sizeof tag, "<WaveformData lead=\"%s\">", lead);
    p = after_tag(buf, section, tag);
    if (!p)
        return 0;
    end = strstr(p, "</WaveformData>");
    for (i = 0, q = p; i < 3; i++) {
        char *e;

        while (*q == '\t' || *q == '\r' || *q == '\n' || *q == ',')
            q++;
        first[i] = strtol(q, &e, 10);
        q = e;
    }
    for (i = 2, q = end; i >= 0; i--) {
        while (q > p && (q[-1] == '\t' || q[-1] == '\r' || q[-1] == '\n' || q[-1] == ','))
            q--;
        while (q > p && (q[-1] == '-' || (q[-1] >= '0' && q[-1] <= '9')))
            q--;
        last[i] = strtol(q, NULL, 10);
    }
    return 1;
}

static double scan_number(const char *buf, const char *section, const char *tag)
{
    const char *p = after_tag(buf, section, tag);

    return p && *p != '<' ? strtod(p, NULL) : NAN;
}

/* Compare with Debian python's ElementTree + numpy.fromstring (the seed's way). */
static void python_crosscheck(const char *xml, const ef_cs_ecg *e)
{
    const char *py = getenv("PYTHON3");
    char cmd[4096], *out = path_in_tmp("py_values.txt");
    FILE *f;
    long total = 0, mismatch = 0, nleads = 0;
    char name[16];
    size_t n;

    if (!py || !*py || access(py, X_OK) != 0) {
        ok(1, "# SKIP PYTHON3 not set: no python cross-check");
        return;
    }
    snprintf(cmd, sizeof cmd,
             "'%s' -c '\n"
             "import sys, xml.etree.ElementTree as ET\n"
             "import numpy as np\n"
             "r = ET.parse(sys.argv[1]).getroot()\n"
             "with open(sys.argv[2], \"w\") as f:\n"
             "    for path in (\"./StripData/WaveformData\", \"./RestingECGMeasurements/MedianSamples/WaveformData\"):\n"
             "        for w in r.findall(path):\n"
             "            v = np.fromstring(w.text.strip(), sep=\",\", dtype=np.float64).astype(np.int64)\n"
             "            f.write(\"%%s %%d %%s\\n\" %% (w.get(\"lead\"), v.size, \" \".join(map(str, v))))\n"
             "' '%s' '%s' 2>/dev/null",
             py, xml, out);
    if (system(cmd) != 0 || !(f = fopen(out, "r"))) {
        ok(1, "# SKIP %s with numpy could not run: no python cross-check", py);
        return;
    }
    while (fscanf(f, "%15s %zu", name, &n) == 2) {
        int k = -1, med = nleads >= 12;

        for (int i = 0; i < EF_CS_NLEADS; i++)
            if (!strcmp(name, ef_cs_lead_names[i]))
                k = i;
        nleads++;
        if (k < 0 || n != (med ? e->median_nsamples[k] : e->nsamples[k])) {
            mismatch++;
            break;
        }
        for (size_t j = 0; j < n; j++) {
            long v;

            if (fscanf(f, "%ld", &v) != 1 || v != (med ? e->median[k][j] : e->lead[k][j]))
                mismatch++;
            total++;
        }
    }
    fclose(f);
    remove(out);
    ok(nleads == 24 && total == 60000 + 7200 && mismatch == 0,
       "python ElementTree + numpy agree on all %ld strip and median values (%ld leads, %ld differ)",
       total, nleads, mismatch);
}

static void test_example(void)
{
    const char *shared = tap_shared();
    char path[1200], *buf, *lf;
    size_t len, lflen;
    ef_cs_ecg e, e2;
    ef_error err;
    int rc, same;
    long first[3], last[3];
    struct timespec t0, t1;
    double s;
    const int reps = 20;
    char tag[64];

    if (!shared) {
        ok(1, "# SKIP ../shared absent: no UKB example");
        return;
    }
    snprintf(path, sizeof path, "%s/reference/ukb-ecg-example.xml", shared);
    buf = slurp(path, &len);
    if (!buf) {
        ok(1, "# SKIP %s absent", path);
        return;
    }
    is_int((long long)len, 954239, "the example is the 954,239-byte file");
    rc = ef_cs_read_file(path, &e, &err);
    is_int(rc, EF_OK, "the UKB example reads (%s)", rc ? err.msg : "ok");
    if (rc != EF_OK) {
        free(buf);
        return;
    }
    same = 1;
    for (int k = 0; k < EF_CS_NLEADS; k++)
        same &= e.lead[k] != NULL && e.nsamples[k] == 5000;
    ok(same, "12 leads x 5000 samples");
    is_abs(e.sample_rate, 500, 0, "SampleRate 500");
    is_abs(e.resolution, 5, 0, "Resolution 5");
    is_str(e.resolution_units, "uVperLsb", "units uVperLsb");
    is_int(e.channel_samples, 5000, "ChannelSampleCountTotal 5000");
    is_int(e.notes, 0, "no notes");
    for (int w = 0; w < 2; w++) {
        int k = w ? 11 : 0;
        const char *lead = ef_cs_lead_names[k];

        if (!scan_wave(buf, "<StripData>", lead, first, last)) {
            ok(0, "scan lead %s", lead);
            continue;
        }
        ok(e.lead[k][0] == first[0] && e.lead[k][1] == first[1] && e.lead[k][2] == first[2],
           "lead %s starts %ld,%ld,%ld as in the file", lead, first[0], first[1], first[2]);
        ok(e.lead[k][4997] == last[0] && e.lead[k][4998] == last[1] && e.lead[k][4999] == last[2],
           "lead %s ends %ld,%ld,%ld as in the file", lead, last[0], last[1], last[2]);
        snprintf(tag, sizeof tag, "<WaveformData lead=\"%s\">", lead);
        is_int(e.lead_line[k], line_in(buf, "<StripData>", tag), "lead %s starts on line %ld", lead,
               e.lead_line[k]);
    }
    /* The element in the middle of a wrapped line: value 301 is the first of line 2. */
    {
        const char *p = after_tag(buf, "<StripData>", "<WaveformData lead=\"II\">");
        const char *nl = strchr(p, '\n');

        ok(e.lead[1][301] == strtol(nl + 1 + strspn(nl + 1, "\t"), NULL, 10),
           "lead II value 301 (first after a line break) = %d", e.lead[1][301]);
    }
    is_abs(e.meas[EF_CS_VENT_RATE], 75, 0, "VentricularRate 75");
    is_abs(e.meas[EF_CS_QRS], 76, 0, "QRSDuration 76");
    is_abs(e.meas[EF_CS_QT], 378, 0, "QTInterval 378");
    is_abs(e.meas[EF_CS_QTC], 422, 0, "QTCInterval 422");
    is_abs(e.meas[EF_CS_RR], 804, 0, "RRInterval 804");
    ok(isnan(e.meas[EF_CS_PQ]) && isnan(e.meas[EF_CS_P_DUR]), "PQInterval and PDuration empty: NaN");
    is_abs(e.meas[EF_CS_PP], scan_number(buf, "<RestingECGMeasurements>", "<PPInterval"), 0,
           "PPInterval as in the file");
    is_abs(e.meas[EF_CS_R_AXIS], scan_number(buf, "<RestingECGMeasurements>", "<RAxis"), 0,
           "RAxis as in the file");
    is_int(e.median_n, 600, "median: 600 samples");
    is_int(e.first_valid, (long)scan_number(buf, "<MedianSamples>", "<FirstValid"),
           "FirstValid %ld", e.first_valid);
    is_int(e.last_valid, (long)scan_number(buf, "<MedianSamples>", "<LastValid"),
           "LastValid %ld", e.last_valid);
    ok(scan_wave(buf, "<MedianSamples>", "V3", first, last) && e.median[8][0] == first[0]
       && e.median[8][599] == last[2], "median V3 first and last values as in the file");
    same = 1;
    for (int k = 0; k < EF_CS_NLEADS; k++)
        for (long j = e.last_valid + 1; j < 600; j++)
            same &= e.median[k][j] == 0;
    ok(same, "median samples after LastValid are 0 (ukb-data §1.3)");

    python_crosscheck(path, &e);

    /* Memory == file; LF copy: same values, same line numbers. */
    rc = ef_cs_read_mem(buf, len, "example", &e2, &err);
    same = rc == EF_OK;
    for (int k = 0; same && k < EF_CS_NLEADS; k++)
        same = e2.nsamples[k] == 5000 && !memcmp(e.lead[k], e2.lead[k], 5000 * sizeof(int32_t));
    ok(same, "read from memory: the same");
    ef_cs_ecg_fini(&e2);
    lf = malloc(len);
    lflen = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] != '\r')
            lf[lflen++] = buf[i];
    rc = ef_cs_read_mem(lf, lflen, "example-lf", &e2, &err);
    same = rc == EF_OK && lflen == len - 854;
    for (int k = 0; same && k < EF_CS_NLEADS; k++)
        same = e2.nsamples[k] == 5000 && !memcmp(e.lead[k], e2.lead[k], 5000 * sizeof(int32_t))
               && e2.lead_line[k] == e.lead_line[k] && !memcmp(e.median[k], e2.median[k], 2400);
    ok(same, "LF-only copy: same values and lines");
    ef_cs_ecg_fini(&e2);
    free(lf);

    /* Truncated and damaged copies of the real file. */
    rc = ef_cs_read_mem(buf, len / 2, "half.xml", &e2, &err);
    ok(rc == EF_EPARSE && strstr(err.msg, "truncated") && err.line == line_of(buf, len / 2),
       "the example cut in half: EF_EPARSE at line %ld: %s", err.line, err.msg);
    {
        char *copy = malloc(len);
        char *p;

        memcpy(copy, buf, len);
        p = strstr(strstr(copy, "<StripData>"), "<WaveformData lead=\"aVL\">");
        p = strchr(p + 30, ',') + 1;
        *p = 'O';  /* letter O for a zero */
        rc = ef_cs_read_mem(copy, len, "ocr.xml", &e2, &err);
        ok(rc == EF_EPARSE && err.line == line_of(copy, (size_t)(p - copy))
           && strstr(err.msg, "lead aVL"), "a letter in the example's aVL: line %ld: %s",
           err.line, err.msg);
        free(copy);
    }

    /* Speed (informative here; bench/ has the real benchmark). */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < reps; i++) {
        ef_cs_read_mem(buf, len, "example", &e2, &err);
        ef_cs_ecg_fini(&e2);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    diag("example parsed from memory: %.2f ms per file, %.0f files/s (this build)",
         1e3 * s / reps, reps / s);
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
    ok(s / reps < 0.1, "one parse takes %.2f ms (< 100 ms in a debug/sanitiser build)",
       1e3 * s / reps);
#else
    ok(s / reps < 0.01, "one parse takes %.2f ms (< 10 ms)", 1e3 * s / reps);
#endif
    ef_cs_ecg_fini(&e);
    free(buf);
}

int main(void)
{
    ef_cs_ecg e;

    ef_cs_ecg_init(&e);
    ok(!strcmp(ef_cs_lead_names[0], "I") && !strcmp(ef_cs_lead_names[3], "aVR")
       && !strcmp(ef_cs_lead_names[11], "V6"), "lead names in PCLR order");
    ok(!strcmp(ef_cs_meas_names[EF_CS_VENT_RATE], "vent_rate") && !strcmp(ef_cs_meas_names[EF_CS_P_DUR], "p_dur")
       && !strcmp(ef_cs_meas_names[EF_CS_QTC], "qtc") && !strcmp(ef_cs_meas_names[EF_CS_T_AXIS], "t_axis"),
       "measurement names");
    ok(leads_all_null(&e) && isnan(e.sample_rate) && isnan(e.resolution) && e.channel_samples == -1
       && e.median_n == 0 && e.first_valid == -1 && isnan(e.meas[EF_CS_RR]) && e.notes == 0,
       "init: empty record");

    test_tokenizer();
    test_handmade();
    test_files();
    test_synthetic();
    test_threads();
    test_example();
    rmdir(tap_tmpdir());
    return done_testing();
}
