/* ef_cardiosoft.c — the CardioSoft resting-ECG reader: libxml2 SAX2 over the
 * whole file in memory.
 *
 * SAX rather than a tree or xmlTextReader because nothing is built: text
 * outside the few elements we want is passed over as it is scanned, and
 * waveform text goes straight from the parser's buffer into the tokenizer.
 * FullDisclosure's text (72 % of a file, never read) is checked with a vector
 * scan and left out of what libxml2 scans, its tags kept; the rest of the
 * document is parsed in full, so a truncated or malformed file is caught
 * wherever the damage is, and on any error the whole file is parsed again for
 * libxml2's own message and line.
 *
 * Safety: no DTD or external entity is loaded (no DTDLOAD/NOENT, NONET, no
 * externalSubset/getEntity handlers: only the five predefined entities and
 * character references are expanded).  libxml2 reports through our
 * structured-error handler, never to stderr. */
#include "config.h"
#include "ecg/ef_cardiosoft.h"
#include "ecg/ef_cardiosoft_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/ef_alloc.h"

const char *const ef_cs_lead_names[EF_CS_NLEADS] = {
    "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"
};

const char *const ef_cs_meas_names[EF_CS_NMEAS] = {
    "vent_rate", "pq", "p_dur", "qrs", "qt", "qtc", "rr", "pp", "p_axis", "r_axis", "t_axis"
};

/* RestingECGMeasurements element of each ef_cs_meas. */
static const char *const meas_elements[EF_CS_NMEAS] = {
    "VentricularRate", "PQInterval", "PDuration", "QRSDuration", "QTInterval", "QTCInterval",
    "RRInterval", "PPInterval", "PAxis", "RAxis", "TAxis"
};

#define MAX_DEPTH 64
#define SCALAR_MAX 64

/* What an open element is, for deciding about its children. */
enum kind { K_DOC, K_ROOT, K_STRIP, K_MEAS, K_MEDIAN, K_OTHER };

/* Scalars captured (element text up to SCALAR_MAX bytes). */
enum scalar {
    S_STRIP_RATE, S_STRIP_RES, S_STRIP_COUNT, S_MED_RATE, S_MED_RES, S_MED_COUNT,
    S_FIRST_VALID, S_LAST_VALID, S_MEAS0
};

typedef struct cs_state {
    xmlParserCtxtPtr ctxt;
    const char *name;
    ef_cs_ecg *out;
    ef_error *err;
    int rc;                       /* first failure found by a callback */
    int depth;
    unsigned char kind[MAX_DEPTH];
    /* capture: text of the element open at cap_depth */
    int cap_depth;                /* 0: none */
    int cap_wave;                 /* 1: waveform (tok), 0: scalar (sbuf) */
    int cap_id;                   /* lead index or enum scalar */
    int cap_median;               /* the waveform is a median */
    ef_cs_tok tok;
    char sbuf[SCALAR_MAX];
    size_t slen;
    int sovf;
    long sline;
    int seen_strip, seen_strip_strip;
    long strip_nlead;
    /* first fatal (else first) libxml2 error */
    int xml_seen, xml_fatal;
    long xml_line, xml_col;
    char xml_msg[300];
} cs_state;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

void ef_cs_ecg_init(ef_cs_ecg *e)
{
    memset(e, 0, sizeof *e);
    e->sample_rate = NAN;
    e->resolution = NAN;
    e->channel_samples = -1;
    e->median_rate = NAN;
    e->median_resolution = NAN;
    e->median_channel_samples = -1;
    e->first_valid = e->last_valid = -1;
    for (int i = 0; i < EF_CS_NMEAS; i++)
        e->meas[i] = NAN;
}

void ef_cs_ecg_fini(ef_cs_ecg *e)
{
    if (!e)
        return;
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        free(e->lead[k]);
        free(e->median[k]);
    }
    ef_cs_ecg_init(e);
}

static long cur_line(cs_state *st)
{
    return (long)xmlSAX2GetLineNumber(st->ctxt);
}

/* Record the first failure and stop the parser. */
static void fail(cs_state *st, int code, long line, const char *fmt, ...) EF_PRINTF(4, 5);

static void fail(cs_state *st, int code, long line, const char *fmt, ...)
{
    char msg[EF_ERROR_MSG_MAX];
    va_list ap;

    if (st->rc != EF_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    st->rc = ef_error_set_at(st->err, code, st->name, line, 0, "%s", msg);
    xmlStopParser(st->ctxt);
}

static int name_is(const xmlChar *a, const char *b)
{
    return strcmp((const char *)a, b) == 0;
}

/* Lead index of NAME (exact match first, then ignoring case), or -1. */
static int lead_index(const char *name, size_t len, unsigned *notes)
{
    for (int k = 0; k < EF_CS_NLEADS; k++)
        if (strlen(ef_cs_lead_names[k]) == len && memcmp(ef_cs_lead_names[k], name, len) == 0)
            return k;
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        const char *ref = ef_cs_lead_names[k];
        size_t i;

        if (strlen(ref) != len)
            continue;
        for (i = 0; i < len; i++) {
            char a = name[i], b = ref[i];

            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (char)(b - 'A' + 'a');
            if (a != b)
                break;
        }
        if (i == len) {
            *notes |= EF_CS_NOTE_LEAD_CASE;
            return k;
        }
    }
    return -1;
}

static void start_scalar(cs_state *st, int id)
{
    st->cap_depth = st->depth;
    st->cap_wave = 0;
    st->cap_id = id;
    st->slen = 0;
    st->sovf = 0;
    st->sline = cur_line(st);
}

static void start_wave(cs_state *st, int median, int nattr, const xmlChar **attr)
{
    ef_cs_ecg *e = st->out;
    const char *val = NULL;
    size_t len = 0, cap;
    long expect;
    int k;

    for (int i = 0; i < nattr; i++)
        if (name_is(attr[5 * i], "lead") && !attr[5 * i + 1]) {
            val = (const char *)attr[5 * i + 3];
            len = (size_t)(attr[5 * i + 4] - attr[5 * i + 3]);
            break;
        }
    k = val ? lead_index(val, len, &e->notes) : -1;
    if (k < 0) {
        e->notes |= EF_CS_NOTE_UNKNOWN_LEAD;
        return;
    }
    if (median ? e->median[k] != NULL : e->lead[k] != NULL) {
        e->notes |= EF_CS_NOTE_DUP_LEAD;
        return;
    }
    /* Preallocate the announced count (when sane), grow past it if needed. */
    expect = median ? e->median_channel_samples : e->channel_samples;
    cap = expect > 0 && expect <= 1000000 ? (size_t)expect : median ? 600 : 5000;
    st->cap_depth = st->depth;
    st->cap_wave = 1;
    st->cap_id = k;
    st->cap_median = median;
    ef_cs_tok_begin(&st->tok, cap, cur_line(st));
    if (!median) {
        e->lead_line[k] = cur_line(st);
        st->strip_nlead++;
    }
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cs_state *st = ctx;
    int parent = st->depth < MAX_DEPTH ? st->kind[st->depth] : K_OTHER;
    int kind = K_OTHER;

    (void)prefix;
    (void)uri;
    (void)nb_namespaces;
    (void)namespaces;
    (void)nb_defaulted;
    if (st->rc != EF_OK)
        return;
    st->depth++;
    if (st->cap_depth) {
        /* a child inside a captured element: its text is not ours */
    } else if (parent == K_DOC) {
        if (!name_is(localname, "CardiologyXML")) {
            fail(st, EF_EDATA, cur_line(st),
                 "root element is <%.64s>, not <CardiologyXML>: not a CardioSoft ECG",
                 (const char *)localname);
            return;
        }
        kind = K_ROOT;
    } else if (parent == K_ROOT) {
        if (name_is(localname, "StripData")) {
            kind = K_STRIP;
            if (!st->seen_strip)
                st->out->strip_line = cur_line(st);
            st->seen_strip = 1;
        } else if (name_is(localname, "RestingECGMeasurements")) {
            kind = K_MEAS;
        }
    } else if (parent == K_STRIP) {
        if (name_is(localname, "WaveformData"))
            start_wave(st, 0, nb_attributes, attributes);
        else if (name_is(localname, "SampleRate"))
            start_scalar(st, S_STRIP_RATE);
        else if (name_is(localname, "Resolution")) {
            start_scalar(st, S_STRIP_RES);
            for (int i = 0; i < nb_attributes; i++)
                if (name_is(attributes[5 * i], "units") && !st->out->resolution_units[0]) {
                    size_t n = (size_t)(attributes[5 * i + 4] - attributes[5 * i + 3]);

                    if (n >= sizeof st->out->resolution_units)
                        n = sizeof st->out->resolution_units - 1;
                    memcpy(st->out->resolution_units, attributes[5 * i + 3], n);
                    st->out->resolution_units[n] = '\0';
                }
        } else if (name_is(localname, "ChannelSampleCountTotal"))
            start_scalar(st, S_STRIP_COUNT);
        else if (name_is(localname, "Strip"))
            st->seen_strip_strip = 1;
    } else if (parent == K_MEAS) {
        if (name_is(localname, "MedianSamples"))
            kind = K_MEDIAN;
        else
            for (int m = 0; m < EF_CS_NMEAS; m++)
                if (name_is(localname, meas_elements[m])) {
                    start_scalar(st, S_MEAS0 + m);
                    break;
                }
    } else if (parent == K_MEDIAN) {
        if (name_is(localname, "WaveformData"))
            start_wave(st, 1, nb_attributes, attributes);
        else if (name_is(localname, "SampleRate"))
            start_scalar(st, S_MED_RATE);
        else if (name_is(localname, "Resolution"))
            start_scalar(st, S_MED_RES);
        else if (name_is(localname, "ChannelSampleCountTotal"))
            start_scalar(st, S_MED_COUNT);
        else if (name_is(localname, "FirstValid"))
            start_scalar(st, S_FIRST_VALID);
        else if (name_is(localname, "LastValid"))
            start_scalar(st, S_LAST_VALID);
    }
    if (st->depth < MAX_DEPTH)
        st->kind[st->depth] = (unsigned char)kind;
}

static const char *wave_where(const cs_state *st)
{
    return st->cap_median ? "MedianSamples" : "StripData";
}

static void tok_failed(cs_state *st, int why)
{
    const ef_cs_tok *t = &st->tok;
    const char *lead = ef_cs_lead_names[st->cap_id];

    if (why == EF_CS_TOK_RANGE)
        fail(st, EF_EPARSE, t->tok_line,
             "%s lead %s, sample %zu: %s is outside the 32-bit integer range", wave_where(st),
             lead, t->n + 1, t->text);
    else
        fail(st, EF_EPARSE, t->tok_line, "%s lead %s, sample %zu: \"%s\" is not an integer",
             wave_where(st), lead, t->n + 1, t->text);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    cs_state *st = ctx;

    if (!st->cap_depth || st->depth != st->cap_depth || st->rc != EF_OK)
        return;
    if (st->cap_wave) {
        int why = ef_cs_tok_feed(&st->tok, (const char *)ch, (size_t)len);

        if (why != EF_CS_TOK_OK)
            tok_failed(st, why);
        return;
    }
    if (st->slen + (size_t)len > sizeof st->sbuf) {
        st->sovf = 1;
        return;
    }
    memcpy(st->sbuf + st->slen, ch, (size_t)len);
    st->slen += (size_t)len;
}

static const char *const scalar_names[S_MEAS0] = {
    "StripData/SampleRate", "StripData/Resolution", "StripData/ChannelSampleCountTotal",
    "MedianSamples/SampleRate", "MedianSamples/Resolution",
    "MedianSamples/ChannelSampleCountTotal", "MedianSamples/FirstValid",
    "MedianSamples/LastValid"
};

static void end_scalar(cs_state *st)
{
    ef_cs_ecg *e = st->out;
    int id = st->cap_id, bad, integer;
    double d = NAN;
    long l = -1;

    if (id >= S_MEAS0) {
        bad = st->sovf || ef_cs_parse_real(st->sbuf, st->slen, &d) != 0;
        if (bad)
            e->notes |= EF_CS_NOTE_BAD_MEAS;
        else if (isnan(e->meas[id - S_MEAS0]))
            e->meas[id - S_MEAS0] = d;
        return;
    }
    integer = id == S_STRIP_COUNT || id == S_MED_COUNT || id == S_FIRST_VALID
              || id == S_LAST_VALID;
    if (integer)
        bad = st->sovf || ef_cs_parse_long(st->sbuf, st->slen, &l) < 0;
    else
        bad = st->sovf || ef_cs_parse_real(st->sbuf, st->slen, &d) != 0;
    if (bad) {
        fail(st, EF_EPARSE, st->sline, "%s: \"%.*s%s\" is not %s", scalar_names[id],
             st->sovf ? 24 : (int)st->slen, st->sbuf, st->sovf ? "..." : "",
             integer ? "an integer" : "a number");
        return;
    }
    /* First occurrence wins, as for leads. */
    switch (id) {
    case S_STRIP_RATE: if (isnan(e->sample_rate)) e->sample_rate = d; break;
    case S_STRIP_RES: if (isnan(e->resolution)) e->resolution = d; break;
    case S_STRIP_COUNT: if (e->channel_samples < 0) e->channel_samples = l; break;
    case S_MED_RATE: if (isnan(e->median_rate)) e->median_rate = d; break;
    case S_MED_RES: if (isnan(e->median_resolution)) e->median_resolution = d; break;
    case S_MED_COUNT: if (e->median_channel_samples < 0) e->median_channel_samples = l; break;
    case S_FIRST_VALID: if (e->first_valid < 0) e->first_valid = l; break;
    case S_LAST_VALID: if (e->last_valid < 0) e->last_valid = l; break;
    default: break;
    }
}

static void end_wave(cs_state *st)
{
    ef_cs_ecg *e = st->out;
    int why = ef_cs_tok_end(&st->tok), k = st->cap_id;

    if (why != EF_CS_TOK_OK) {
        tok_failed(st, why);
        return;
    }
    if (st->cap_median)
        e->median[k] = ef_cs_tok_take(&st->tok, &e->median_nsamples[k]);
    else
        e->lead[k] = ef_cs_tok_take(&st->tok, &e->nsamples[k]);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    cs_state *st = ctx;

    (void)localname;
    (void)prefix;
    (void)uri;
    if (st->rc != EF_OK)
        return;
    if (st->cap_depth == st->depth) {
        if (st->cap_wave)
            end_wave(st);
        else
            end_scalar(st);
        st->cap_depth = 0;
    }
    st->depth--;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    cs_state *st = ctx;
    int fatal;
    size_t n;

    if (!e || e->level < XML_ERR_ERROR)
        return;
    /* Keep the first fatal error (the one that broke well-formedness; only
     * those fail a file), else the first error. */
    fatal = e->level == XML_ERR_FATAL;
    if (st->xml_seen && (st->xml_fatal || !fatal))
        return;
    st->xml_seen = 1;
    st->xml_fatal = fatal;
    st->xml_line = e->line;
    st->xml_col = e->int2;
    snprintf(st->xml_msg, sizeof st->xml_msg, "%s", e->message ? e->message : "unknown error");
    n = strlen(st->xml_msg);
    while (n && (st->xml_msg[n - 1] == '\n' || st->xml_msg[n - 1] == ' '))
        st->xml_msg[--n] = '\0';
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Cheap checks on the bytes before libxml2 sees them. */
static int sniff(const char *buf, size_t len, const char *name, ef_error *err)
{
    size_t i = 0;
    char shown[40];
    size_t k = 0;

    if (len == 0)
        return ef_error_set_at(err, EF_EDATA, name, 0, 0, "empty file (0 bytes)");
    if (len > EF_CS_MAX_BYTES)
        return ef_error_set_at(err, EF_EDATA, name, 0, 0, "file too large (%zu bytes; cap %u MB)",
                               len, EF_CS_MAX_BYTES >> 20);
    if (len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b)
        return ef_error_set_at(err, EF_EDATA, name, 0, 0,
                               "gzip-compressed file: decompress it first (gunzip)");
    if (len >= 4 && memcmp(buf, "\x89PNG", 4) == 0)
        return ef_error_set_at(err, EF_EDATA, name, 1, 0,
                               "a PNG image, not a CardioSoft XML ECG");
    if (len >= 4 && memcmp(buf, "%PDF", 4) == 0)
        return ef_error_set_at(err, EF_EDATA, name, 1, 0, "a PDF document, not a CardioSoft XML ECG");
    if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
        return ef_error_set_at(err, EF_EDATA, name, 1, 0,
                               "a zip archive, not a CardioSoft XML ECG: extract it first");
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    if (i == len)
        return ef_error_set_at(err, EF_EDATA, name, 0, 0, "file holds only white space");
    if (buf[i] == '<')
        return EF_OK;
    for (size_t j = i; j < len && k < sizeof shown - 1 && buf[j] != '\r' && buf[j] != '\n'; j++)
        shown[k++] = buf[j] >= 32 && buf[j] < 127 ? buf[j] : '?';
    shown[k] = '\0';
    {
        long line = 1;

        for (size_t j = 0; j < i; j++)
            line += buf[j] == '\n';
        return ef_error_set_at(err, EF_EDATA, name, line, 0,
                               "not an XML file (starts with \"%s\"): not a CardioSoft ECG", shown);
    }
}

/* Every byte in 1..127?  Then every ASCII-compatible declared encoding reads
 * the same as UTF-8 and libxml2 can skip transcoding (a quarter of the parse
 * time for ISO-8859-1).  NUL excluded: UTF-16 text is "ASCII" bytewise. */
static int plain_ascii(const char *buf, size_t len)
{
    const uint64_t hi = 0x8080808080808080u, lo = 0x0101010101010101u;
    uint64_t bad = 0;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, buf + i, 8);
        bad |= (w | ((w - lo) & ~w)) & hi;
    }
    for (; i < len; i++)
        bad |= (unsigned char)buf[i] == 0 || (unsigned char)buf[i] > 127;
    return bad == 0;
}

/* Line libxml2 gives to the end of BUF: an error there suggests truncation. */
static long last_line(const char *buf, size_t len)
{
    long n = 1;

    for (const char *p = buf; (p = memchr(p, '\n', len - (size_t)(p - buf))) != NULL; p++)
        n++;
    return n;
}

static void finish_checks(cs_state *st)
{
    ef_cs_ecg *e = st->out;
    size_t mn = 0;
    int nmed = 0;

    if (!st->seen_strip) {
        fail(st, EF_EDATA, 0, "no StripData element: not a CardioSoft resting ECG");
        return;
    }
    if (st->strip_nlead == 0) {
        fail(st, EF_EDATA, e->strip_line, "StripData holds no WaveformData lead%s",
             st->seen_strip_strip ? " (StripData/Strip: an exercise ECG, field 6025?)" : "");
        return;
    }
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        if (e->lead[k] && e->channel_samples >= 0 && e->nsamples[k] != (size_t)e->channel_samples)
            e->notes |= EF_CS_NOTE_COUNT_MISMATCH;
        if (!e->median[k])
            continue;
        if (nmed && e->median_nsamples[k] != mn)
            e->notes |= EF_CS_NOTE_MEDIAN_COUNT;
        if (e->median_channel_samples >= 0
            && e->median_nsamples[k] != (size_t)e->median_channel_samples)
            e->notes |= EF_CS_NOTE_MEDIAN_COUNT;
        if (!nmed || e->median_nsamples[k] < mn)
            mn = e->median_nsamples[k];
        nmed++;
    }
    e->median_n = mn;
}

/* One SAX pass over BUF into OUT (initialised); ascii: BUF is plain ASCII. */
static int parse_mem(const char *buf, size_t len, const char *name, int ascii, ef_cs_ecg *out,
                     ef_error *err)
{
    xmlSAXHandler sax;
    xmlSAXHandlerPtr old_sax;
    xmlParserCtxtPtr ctxt;
    xmlGenericErrorFunc old_generic;
    xmlStructuredErrorFunc old_structured;
    void *old_generic_ctx, *old_structured_ctx;
    cs_state *st;
    int rc;

    pthread_once(&init_once, init_libxml);

    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text;
    sax.serror = on_error;

    /* (libxml2 2.9 copies BUF here; its no-copy "static" input buffer
     * mis-parses documents this size, so the copy stays.) */
    ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
    if (!ctxt)
        return ef_error_set_at(err, EF_ENOMEM, name, 0, 0, "cannot create an XML parser");
    st = ef_xcalloc(1, sizeof *st);
    st->ctxt = ctxt;
    st->name = name;
    st->out = out;
    st->err = err;
    old_sax = ctxt->sax;
    ctxt->sax = &sax;
    ctxt->userData = st;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING | (ascii ? XML_PARSE_IGNORE_ENC : 0));

    /* Errors raised without the context (rare) would go to these per-thread
     * handlers: route them to us for the duration. */
    old_generic = xmlGenericError;
    old_generic_ctx = xmlGenericErrorContext;
    old_structured = xmlStructuredError;
    old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(st, on_error);

    xmlParseDocument(ctxt);

    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);

    rc = st->rc;
    if (rc == EF_OK && (!ctxt->wellFormed || st->xml_fatal)) {
        int trunc = st->xml_line > 0 && st->xml_line == last_line(buf, len);

        rc = ef_error_set_at(err, EF_EPARSE, name, st->xml_line, st->xml_col,
                             "malformed XML%s: %s", trunc ? " (truncated file?)" : "",
                             st->xml_msg[0] ? st->xml_msg : "not well-formed");
    }
    if (rc == EF_OK)
        finish_checks(st);
    rc = st->rc != EF_OK ? st->rc : rc;

    ctxt->sax = old_sax;
    ctxt->userData = ctxt;
    xmlFreeParserCtxt(ctxt);
    ef_cs_tok_free(&st->tok);
    free(st);
    if (rc != EF_OK)
        ef_cs_ecg_fini(out);
    return rc;
}

#ifdef __SSE2__
#include <emmintrin.h>

/* The text run [p, p + n) to O, returning the end: when nothing in it can
 * make XML text ill-formed (no '&', no ']' of "]]>", no control character
 * but tab, LF and CR, nothing outside ASCII) only its CR and LF bytes, so
 * that every line number after it stays the full parse's; else all of it. */
static char *strip_text(char *o, const char *p, size_t n)
{
    const __m128i c20 = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r'), amp = _mm_set1_epi8('&'), br = _mm_set1_epi8(']');
    char *w = o;
    size_t i = 0;

    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i nl = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
        __m128i ws = _mm_or_si128(nl, _mm_cmpeq_epi8(v, tab));
        __m128i bad = _mm_andnot_si128(ws, _mm_cmplt_epi8(v, c20));   /* signed: >= 0x80 too */
        unsigned m;

        bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, br)));
        if (_mm_movemask_epi8(bad))
            goto copy;
        for (m = (unsigned)_mm_movemask_epi8(nl); m; m &= m - 1)
            *w++ = p[i + (unsigned)__builtin_ctz(m)];
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c == '&' || c == ']' || c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
            goto copy;
        if (c == '\n' || c == '\r')
            *w++ = (char)c;
    }
    return w;
copy:   /* the breaks written so far are overwritten: they are fewer than n */
    memcpy(o, p, n);
    return o + n;
}

/* Only elements (and the XML declaration) before A: a comment, CDATA
 * section, PI or DOCTYPE could hold the text "<FullDisclosure>", and
 * stripping from there would drop the text of real elements. */
static int elements_only(const char *buf, const char *a)
{
    const char *p = buf, *lt, *q;

    if (a - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    if (a - p >= 6 && memcmp(p, "<?xml", 5) == 0
        && (p[5] == ' ' || p[5] == '\t' || p[5] == '\r' || p[5] == '\n')) {
        q = memmem(p, (size_t)(a - p), "?>", 2);
        if (!q || memchr(p + 1, '<', (size_t)(q - p - 1)))
            return 0;
        p = q + 2;
    }
    for (; (lt = memchr(p, '<', (size_t)(a - p))) != NULL; p = lt + 1)
        if (lt[1] == '!' || lt[1] == '?')
            return 0;
    return 1;
}

/* The document without FullDisclosure's text (72 % of a UK Biobank file, and
 * read by nothing here): runs of text inside <FullDisclosure> that cannot be
 * ill-formed are left out (but for their line breaks), every tag stays, so
 * libxml2 still checks the element's structure and the rest of the file in
 * full.  NULL when there is no such element, or when markup
 * other than elements (comments, CDATA, PIs, DOCTYPE) comes before its end:
 * there a '<' or '>' need not be a tag's. */
static char *strip_full_disclosure(const char *buf, size_t len, size_t *out_len)
{
    const char *a = memmem(buf, len, "<FullDisclosure>", 16), *end = buf + len, *p;
    char *out, *o;

    if (!a || !elements_only(buf, a))
        return NULL;
    a += 16;
    out = o = ef_xmalloc(len);
    memcpy(o, buf, (size_t)(a - buf));
    o += a - buf;
    for (p = a;;) {   /* text, tag, text, tag ... up to </FullDisclosure> */
        const char *lt = memchr(p, '<', (size_t)(end - p)), *gt;

        if (!lt || lt + 1 == end || lt[1] == '!' || lt[1] == '?')
            break;   /* never closed (the full parse says so), or not a tag */
        o = strip_text(o, p, (size_t)(lt - p));
        if ((size_t)(end - lt) >= 17 && memcmp(lt, "</FullDisclosure>", 17) == 0) {
            memcpy(o, lt, (size_t)(end - lt));
            o += end - lt;
            *out_len = (size_t)(o - out);
            return out;
        }
        gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            break;
        memcpy(o, lt, (size_t)(gt + 1 - lt));
        o += gt + 1 - lt;
        p = gt + 1;
    }
    free(out);
    return NULL;
}
#endif

static int read_mem(const char *buf, size_t len, const char *name, ef_cs_ecg *out, ef_error *err,
                    int lean_ok)
{
    int rc, ascii;

    if (!name)
        name = "(memory)";
    if (!out)
        return ef_error_set(err, EF_EINVAL, "CardioSoft reader: no output record");
    ef_cs_ecg_init(out);
    if (!buf && len)
        return ef_error_set(err, EF_EINVAL, "CardioSoft reader: no buffer");
    rc = sniff(buf, len, name, err);
    if (rc != EF_OK)
        return rc;
    ascii = plain_ascii(buf, len);
#ifdef __SSE2__
    if (ascii && lean_ok) {   /* FullDisclosure's text skipped; on any error, the whole file again */
        size_t slen;
        char *lean = strip_full_disclosure(buf, len, &slen);

        if (lean) {
            rc = parse_mem(lean, slen, name, 1, out, NULL);
            free(lean);
            if (rc == EF_OK)
                return EF_OK;
            ef_cs_ecg_init(out);
        }
    }
#endif
    return parse_mem(buf, len, name, ascii, out, err);
}

int ef_cs_read_mem(const char *buf, size_t len, const char *name, ef_cs_ecg *out, ef_error *err)
{
    return read_mem(buf, len, name, out, err, 1);
}

int ef_cs_read_mem_full(const char *buf, size_t len, const char *name, ef_cs_ecg *out,
                        ef_error *err)
{
    return read_mem(buf, len, name, out, err, 0);
}

int ef_cs_read_file(const char *path, ef_cs_ecg *out, ef_error *err)
{
    struct stat sb;
    char *buf;
    size_t cap, len = 0;
    int fd, rc;

    if (!path || !out)
        return ef_error_set(err, EF_EINVAL, "CardioSoft reader: no path or output record");
    ef_cs_ecg_init(out);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    if (fstat(fd, &sb) != 0) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot stat: %s", strerror(errno));
        close(fd);
        return rc;
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "is a directory, not a file");
    }
    /* Checked before reading: a huge (or sparse) file costs nothing. */
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > EF_CS_MAX_BYTES) {
        close(fd);
        return ef_error_set_at(err, EF_EDATA, path, 0, 0, "file too large (%jd bytes; cap %u MB)",
                               (intmax_t)sb.st_size, EF_CS_MAX_BYTES >> 20);
    }
    cap = S_ISREG(sb.st_mode) && sb.st_size > 0 ? (size_t)sb.st_size + 1 : (size_t)1 << 20;
    buf = ef_xmalloc(cap);
    for (;;) {
        ssize_t r;

        if (len > EF_CS_MAX_BYTES)
            break;   /* grew while reading, or a pipe: sniff() refuses it */
        if (len == cap) {
            cap = cap > EF_CS_MAX_BYTES / 2 ? (size_t)EF_CS_MAX_BYTES + 1 : 2 * cap;
            buf = ef_xrealloc(buf, cap);
        }
        r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
            free(buf);
            close(fd);
            return rc;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (len > EF_CS_MAX_BYTES)
        rc = ef_error_set_at(err, EF_EDATA, path, 0, 0,
                             "file too large (more than %u bytes; cap %u MB)", EF_CS_MAX_BYTES,
                             EF_CS_MAX_BYTES >> 20);
    else
        rc = ef_cs_read_mem(buf, len, path, out, err);
    free(buf);
    return rc;
}
