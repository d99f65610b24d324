/* test_synth_ecg.c — synthetic UKB resting ECGs: signal physiology, device-like
 * measurements, and the CardioSoft XML (layout, libxml2 parse, the UKB example's
 * skeleton when ../shared is present). */
#include "config.h"
#include "tap.h"
#include "synth/ef_synth_ecg.h"
#include "synth/ef_synth_ecg_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int32_t sig[12][5000];

/* ---- an R-peak detector independent of the library's: lead II only, moving-average
 * high-pass, largest |deflection| per 300 ms, threshold from 2-s maxima -------------- */
static int r_peaks(const int32_t *x, int n, int *pk, int max)
{
    double *y = malloc((size_t)n * sizeof *y), seg[16], th;
    int nseg = 0, np = 0;

    for (int i = 0; i < n; i++) {
        double acc = 0;
        int c = 0;

        for (int d = -40; d <= 40; d++)
            if (i + d >= 0 && i + d < n) {
                acc += x[i + d];
                c++;
            }
        y[i] = fabs(x[i] - acc / c);
    }
    for (int i0 = 0; i0 < n && nseg < 16; i0 += 1000) {
        double mx = 0;

        for (int i = i0; i < i0 + 1000 && i < n; i++)
            mx = fmax(mx, y[i]);
        seg[nseg++] = mx;
    }
    for (int i = 1; i < nseg; i++)
        for (int j = i; j > 0 && seg[j - 1] > seg[j]; j--) {
            double t = seg[j];

            seg[j] = seg[j - 1];
            seg[j - 1] = t;
        }
    th = 0.45 * seg[nseg / 2];
    for (int i = 1; i < n - 1; i++) {
        if (y[i] < th || y[i] < y[i - 1] || y[i] < y[i + 1])
            continue;
        if (np > 0 && i - pk[np - 1] < 150) {
            if (y[i] > y[pk[np - 1]])
                pk[np - 1] = i;
            continue;
        }
        if (np < max)
            pk[np++] = i;
    }
    free(y);
    return np;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

    return (x > y) - (x < y);
}

static double rate_from_peaks(const int *pk, int np)
{
    return 60000.0 / ((pk[np - 1] - pk[0]) * 2.0 / (np - 1));
}

static void test_params(void)
{
    ef_synth_ecg_params p;
    ef_synth_ecg_targets t;
    ef_error err;

    ef_synth_ecg_params_default(&p);
    is_int(ef_synth_ecg_targets_draw(&p, &t, &err), EF_OK, "default parameters are valid");
    ok(t.qt_ms > 380 && t.qt_ms < 480, "default QT target %.0f ms is adult-normal", t.qt_ms);
    is_rel(t.qt_ms, t.qtc_f_ms * cbrt(t.rr_ms / 1000), 1e-12, "QT = QTcF * RR^(1/3)");
    p.hr_bpm = 10;
    is_int(ef_synth_ecg_targets_draw(&p, &t, &err), EF_EINVAL, "heart rate 10 bpm rejected");
    like(err.msg, "heart rate", "error names the heart rate");
    ef_synth_ecg_params_default(&p);
    p.sex = 2;
    is_int(ef_synth_ecg_synthesise(&p, sig, NULL, &err), EF_EINVAL, "sex 2 rejected");
    ef_synth_ecg_params_default(&p);
    p.age = NAN;
    is_int(ef_synth_ecg_write_cardiosoft("/nonexistent/x.xml", &p, &err), EF_EINVAL, "NaN age rejected");
}

static void test_dower(void)
{
    double worst = 0;
    int32_t iii, avr, avl, avf;

    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            double s = 0;

            for (int k = 0; k < 8; k++) {
                /* inverse columns are V1..V6, I, II; forward rows are I, II, V1..V6 */
                int row = k < 6 ? k + 2 : k - 6;

                s += ef_synth_ecgi_inv_dower[r][k] * ef_synth_ecgi_dower[row][c];
            }
            worst = fmax(worst, fabs(s - (r == c)));
        }
    ok(worst < 0.002, "inverse Dower x Dower = identity (worst %.4f)", worst);
    /* values from the UKB example's full disclosure: I -92, II 52 */
    ef_synth_ecgi_derive_limb(-92, 52, &iii, &avr, &avl, &avf);
    ok(iii == 144 && avr == 20 && avl == -118 && avf == 98,
       "limb derivation reproduces the device (144 20 -118 98: %d %d %d %d)", iii, avr, avl, avf);
    ef_synth_ecgi_derive_limb(3, 0, &iii, &avr, &avl, &avf);
    ok(avr == -1 && avl == 3 && avf == -1, "odd halves round up like the device");
}

static int limb_identities_hold(void)
{
    for (int j = 0; j < 5000; j++) {
        int32_t i = sig[0][j], ii = sig[1][j];

        if (sig[2][j] != ii - i || 2 * sig[3][j] + i + ii < 0 || 2 * sig[3][j] + i + ii > 1
            || 2 * sig[4][j] - 2 * i + ii < 0 || 2 * sig[4][j] - 2 * i + ii > 1
            || 2 * sig[5][j] - 2 * ii + i < 0 || 2 * sig[5][j] - 2 * ii + i > 1)
            return 0;
    }
    return 1;
}

static void test_signal(void)
{
    static const double rates[] = { 50, 60, 90 };
    int all_limb = 1, all_int16 = 1, bad_count = 0, bad_rate = 0, bad_hr = 0;
    int bad_qtc = 0, runs = 0;
    ef_error err;

    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++)
        for (uint64_t seed = 1; seed <= 8; seed++) {
            ef_synth_ecg_params p;
            ef_synth_ecg_measurements m;
            int pk[64], np;
            double want = rates[r] * 10 / 60;

            ef_synth_ecg_params_default(&p);
            p.hr_bpm = rates[r];
            p.seed = seed;
            p.sex = (int)(seed % 2);
            if (ef_synth_ecg_synthesise(&p, sig, &m, &err) != EF_OK) {
                ok(0, "synthesise hr %g seed %d: %s", rates[r], (int)seed, err.msg);
                continue;
            }
            runs++;
            all_limb &= limb_identities_hold();
            for (int k = 0; k < 12; k++)
                for (int j = 0; j < 5000; j++)
                    all_int16 &= sig[k][j] >= -32768 && sig[k][j] <= 32767;
            np = r_peaks(sig[1], 5000, pk, 64);
            if (fabs(np - want) > 1) {
                bad_count++;
                diag("hr %g seed %d: %d R peaks in II, want %.1f +- 1", rates[r], (int)seed, np,
                     want);
            }
            if (np >= 2 && fabs(m.vent_rate - rate_from_peaks(pk, np)) > 2) {
                bad_rate++;
                diag("hr %g seed %d: VentricularRate %g vs %.1f from R peaks", rates[r],
                     (int)seed, m.vent_rate, rate_from_peaks(pk, np));
            }
            bad_hr += fabs(m.vent_rate - rates[r]) > 3;
            bad_qtc += fabs(m.qtc - m.qt / sqrt(m.rr / 1000)) > 1.5;
        }
    is_int(runs, 24, "24 strips synthesised");
    ok(all_limb, "III = II - I, aVR = -(I+II)/2, aVL = I - II/2, aVF = II - I/2 in counts");
    ok(all_int16, "counts are int16-range");
    is_int(bad_count, 0, "R peaks in II over 10 s = hr/6 +- 1 (50, 60, 90 bpm)");
    is_int(bad_rate, 0, "VentricularRate = rate from detected R peaks +- 2 bpm");
    is_int(bad_hr, 0, "VentricularRate = hr_bpm +- 3 bpm");
    is_int(bad_qtc, 0, "QTc = QT / sqrt(RR) (Bazett) from the reported values");
}

/* Lead II amplitude about its median level (the electrode offset), over 60 people at
 * the centre of §5.4: the QRS gain and the axis vary between people, so a few percent
 * have a low-voltage lead II, as in real cohorts; none is implausible. */
static void test_amplitude(void)
{
    int inside = 0, n = 60;
    double lo = 1e9, hi = 0, sum = 0;
    ef_error err;

    for (int s = 0; s < n; s++) {
        ef_synth_ecg_params p;
        int32_t tmp[5000];
        double med, amp = 0;

        ef_synth_ecg_params_default(&p);
        p.seed = 500 + (uint64_t)s;
        p.sex = s % 2;
        ef_synth_ecg_synthesise(&p, sig, NULL, &err);
        memcpy(tmp, sig[1], sizeof tmp);
        qsort(tmp, 5000, sizeof tmp[0], cmp_i32);
        med = tmp[2500];
        for (int j = 0; j < 5000; j++)
            amp = fmax(amp, fabs(sig[1][j] - med) * 5 / 1000);
        inside += amp >= 0.5 && amp <= 3;
        lo = fmin(lo, amp);
        hi = fmax(hi, amp);
        sum += amp;
    }
    diag("max |II| over %d people: %.2f..%.2f mV, mean %.2f", n, lo, hi, sum / n);
    ok(inside >= n * 9 / 10, "max |II| between 0.5 and 3 mV in %d of %d people", inside, n);
    ok(lo > 0.2 && hi < 3, "max |II| always between 0.2 and 3 mV");
    ok(sum / n > 0.7 && sum / n < 1.5, "mean max |II| %.2f mV (R in II ~ 1 mV)", sum / n);
}

/* Same person (seed), different rate or trait: the measurements move as §5.4 says. */
static void test_physiology(void)
{
    double dqt = 0, dpr = 0, dqrs = 0, daxis = 0, qt_err = 0;
    int n = 8;
    ef_error err;

    for (uint64_t seed = 11; seed < 11 + (uint64_t)n; seed++) {
        ef_synth_ecg_params p;
        ef_synth_ecg_measurements slow, fast, ref, fem, fat;
        ef_synth_ecg_targets t;

        ef_synth_ecg_params_default(&p);
        p.seed = seed;
        p.hr_bpm = 50;
        ef_synth_ecg_synthesise(&p, sig, &slow, &err);
        ef_synth_ecg_targets_draw(&p, &t, &err);
        qt_err = fmax(qt_err, fabs(slow.qt - t.qt_ms));
        p.hr_bpm = 90;
        ef_synth_ecg_synthesise(&p, sig, &fast, &err);
        dqt += fast.qt - slow.qt;
        dpr += fast.pq - slow.pq;
        p.hr_bpm = 60;
        ef_synth_ecg_synthesise(&p, sig, &ref, &err);
        p.sex = 0;
        ef_synth_ecg_synthesise(&p, sig, &fem, &err);
        dqrs += fem.qrs - ref.qrs;
        p.sex = 1;
        p.bmi = 38;
        ef_synth_ecg_synthesise(&p, sig, &fat, &err);
        daxis += fat.r_axis - ref.r_axis;
    }
    ok(dqt / n < -40, "QT shortens from 50 to 90 bpm (mean %.0f ms)", dqt / n);
    ok(dpr / n < -5, "PR shortens with rate (mean %.1f ms)", dpr / n);
    ok(dqrs / n < -4, "women have a narrower QRS (mean %.1f ms)", dqrs / n);
    ok(daxis / n < -5, "the QRS axis turns left with BMI (mean %.1f deg)", daxis / n);
    ok(qt_err < 15, "measured QT within 15 ms of the model's QT (worst %.1f)", qt_err);
}

/* ---- the XML document -------------------------------------------------------------- */

static xmlNode *child(xmlNode *n, const char *name, int nth)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0
            && nth-- == 0)
            return c;
    return NULL;
}

static int text_is(xmlNode *n, const char *want)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    int r = t && strcmp((const char *)t, want) == 0;

    xmlFree(t);
    return r;
}

static int attr_is(xmlNode *n, const char *name, const char *want)
{
    xmlChar *t = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    int r = t && strcmp((const char *)t, want) == 0;

    xmlFree(t);
    return r;
}

/* Tokenise like ml4h/the seed: drop whitespace, split on commas, skip empty tokens. */
static int parse_ints(xmlNode *n, int32_t *out, int max)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = (const char *)t;
    int cnt = 0;

    while (s && *s) {
        char *end;
        long v;

        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == ',')
            s++;
        if (!*s)
            break;
        v = strtol(s, &end, 10);
        if (end == s) {
            cnt = -1;
            break;
        }
        if (cnt < max)
            out[cnt] = (int32_t)v;
        cnt++;
        s = end;
    }
    xmlFree(t);
    return cnt;
}

static double num(xmlNode *n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    double v = t && *t ? atof((const char *)t) : NAN;

    xmlFree(t);
    return v;
}

/* Names of the element children, comma-joined. */
static void child_names(xmlNode *n, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = 0;
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            int w = snprintf(buf + len, size - len, "%s%s", len ? "," : "",
                             (const char *)c->name);

            if (w < 0 || (size_t)w >= size - len)
                return;
            len += (size_t)w;
        }
}

static void test_layout(const char *x, size_t len)
{
    static const char decl[] =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\r\n<CardiologyXML>\r\n";
    int crlf_ok = 1, ascii = 1, indent_ok = 1, nlines = 0;
    const char *p, *q;
    int per_line[32], nl = 0, vals = 0;

    ok(len > strlen(decl) && memcmp(x, decl, strlen(decl)) == 0,
       "declaration and root as in the example");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)x[i];

        ascii &= c < 128;
        if (c == '\n')
            crlf_ok &= i > 0 && x[i - 1] == '\r';
        if (c == '\r')
            crlf_ok &= i + 1 < len && x[i + 1] == '\n';
        if (i == 0 || x[i - 1] == '\n') {
            size_t j = i;

            nlines++;
            while (j < len && x[j] == '\t')
                j++;
            if (j < len && !(x[j] == '<' || x[j] == '-' || (x[j] >= '0' && x[j] <= '9')))
                indent_ok = 0;
        }
    }
    ok(crlf_ok, "every line ends with CRLF");
    ok(ascii, "pure ASCII");
    ok(indent_ok, "lines are indented with TABs only (%d lines)", nlines);
    ok(len >= 2 && x[len - 2] == '\r' && x[len - 1] == '\n', "file ends with CRLF");
    /* The lead I strip: text right after the tag with two tabs; 301, 300 x 15, 199 values. */
    p = strstr(x, "<StripData>");
    p = p ? strstr(p, "<WaveformData lead=\"I\">") : NULL;
    ok(p && strncmp(p + strlen("<WaveformData lead=\"I\">"), "\t\t", 2) == 0
       && p[strlen("<WaveformData lead=\"I\">") + 2] != '\t', "strip text starts with two TABs");
    q = p ? strstr(p, "</WaveformData>") : NULL;
    for (const char *s = p; s && s < q; s++) {
        if (*s == ',')
            vals++;
        if (*s == '\n') {
            if (nl < 32)
                per_line[nl] = vals;
            nl++;
            vals = 0;
            if (strncmp(s + 1, "\t\t", 2) != 0 || s[3] == '\t')
                indent_ok = 0;
        }
    }
    if (nl < 32)
        per_line[nl] = vals + 1;
    nl++;
    {
        int layout = nl == 17 && per_line[0] == 301 && per_line[16] == 199;

        for (int i = 1; i < 16 && layout; i++)
            layout = per_line[i] == 300;
        ok(layout, "strip lines hold 301, 300 x 15, 199 values (%d lines)", nl);
        ok(indent_ok, "wrapped strip lines continue with two TABs");
    }
    p = strstr(x, "\t\t<FullDisclosureData>\r\n");
    p = p ? p + strlen("\t\t<FullDisclosureData>\r\n") : NULL;
    ok(p && (*p == '-' || (*p >= '0' && *p <= '9')), "full disclosure lines start unindented");
    ok(strstr(x, ",\r\n\t\t\t<SampleCountTotal>162000</SampleCountTotal>\r\n"
                 "\t\t</FullDisclosureData>") != NULL,
       "full disclosure lines end with a comma; SampleCountTotal after the text");
    ok(strstr(x, "\t<Device-Type>2</Device-Type>\r\n") && strstr(x, "\t\t<Facility></Facility>\r\n")
       && strstr(x, "\t<Export>\r\n\t</Export>\r\n"),
       "Device-Type, empty elements as start+end tags");
    ok(strstr(x, "/>") == NULL, "no self-closed elements");
}

static void test_document(const char *x, size_t len, const ef_synth_ecg_measurements *m,
                          const ef_synth_ecg_params *p)
{
    xmlDoc *doc = xmlReadMemory(x, (int)len, "synthetic.xml", NULL, XML_PARSE_NONET);
    xmlNode *root, *strip, *meas, *med, *fd;
    static int32_t w[12][5000], med_v[600];
    int names_ok = 1, counts_ok = 1, same_ok = 1, med_ok = 1, zeros_ok = 1, pk[64], np;
    ef_error err;

    ok(doc != NULL, "libxml2 parses the document");
    if (!doc)
        return;
    root = xmlDocGetRootElement(doc);
    ok(root && strcmp((const char *)root->name, "CardiologyXML") == 0, "root is CardiologyXML");
    strip = child(root, "StripData", 0);
    ok(text_is(child(strip, "NumberOfLeads", 0), "12"), "StripData/NumberOfLeads 12");
    ok(text_is(child(strip, "SampleRate", 0), "500")
       && attr_is(child(strip, "SampleRate", 0), "units", "Hz"), "StripData/SampleRate 500 Hz");
    ok(text_is(child(strip, "ChannelSampleCountTotal", 0), "5000"), "ChannelSampleCountTotal 5000");
    ok(text_is(child(strip, "Resolution", 0), "5")
       && attr_is(child(strip, "Resolution", 0), "units", "uVperLsb"), "Resolution 5 uVperLsb");
    ok(child(strip, "WaveformData", 12) == NULL, "exactly 12 strip leads");
    ef_synth_ecg_synthesise(p, sig, NULL, &err);
    for (int k = 0; k < 12; k++) {
        xmlNode *wd = child(strip, "WaveformData", k);

        names_ok &= attr_is(wd, "lead", ef_synth_ecg_lead_names[k]);
        counts_ok &= wd && parse_ints(wd, w[k], 5000) == 5000;
        same_ok &= memcmp(w[k], sig[k], sizeof w[k]) == 0;
    }
    ok(names_ok, "lead names and order I, II, III, aVR, aVL, aVF, V1..V6");
    ok(counts_ok, "5000 integers per strip lead");
    ok(same_ok, "the file's strip is what ef_synth_ecg_synthesise returns");

    meas = child(root, "RestingECGMeasurements", 0);
    med = child(meas, "MedianSamples", 0);
    ok(text_is(child(med, "ChannelSampleCountTotal", 0), "600")
       && text_is(child(med, "SampleRate", 0), "500") && text_is(child(med, "Resolution", 0), "5"),
       "MedianSamples header");
    ok(child(med, "WaveformData", 12) == NULL && child(med, "WaveformData", 11) != NULL,
       "12 median leads");
    for (int k = 0; k < 12; k++) {
        xmlNode *wd = child(med, "WaveformData", k);

        med_ok &= attr_is(wd, "lead", ef_synth_ecg_lead_names[k]) && parse_ints(wd, med_v, 600) == 600;
        for (int j = EF_SYNTH_ECGI_LAST_VALID + 1; j < 600; j++)
            zeros_ok &= med_v[j] == 0;
    }
    ok(med_ok, "600 integers per median lead, same lead order");
    ok(zeros_ok, "median samples after LastValid are 0");
    is_abs(num(child(meas, "VentricularRate", 0)), m->vent_rate, 0, "VentricularRate as returned");
    is_abs(num(child(meas, "QTInterval", 0)), m->qt, 0, "QTInterval as returned");
    is_abs(num(child(meas, "QTCInterval", 0)), m->qtc, 0, "QTCInterval as returned");
    is_abs(num(child(meas, "RAxis", 0)), m->r_axis, 0, "RAxis as returned");
    ok(attr_is(child(meas, "VentricularRate", 0), "units", "BPM"), "VentricularRate units BPM");
    np = r_peaks(w[1], 5000, pk, 64);
    ok(np >= 2 && fabs(num(child(meas, "VentricularRate", 0)) - rate_from_peaks(pk, np)) <= 2,
       "written VentricularRate = rate from R peaks in the written lead II +- 2");
    is_abs(num(child(meas, "QRSNum", 0)), np, 1, "QRSNum = R peaks found in the strip +- 1");
    fd = child(root, "FullDisclosure", 0);
    {
        static int32_t fdv[162000 + 1];
        xmlNode *fdd = child(fd, "FullDisclosureData", 0);
        xmlNode *txt = fdd ? fdd->children : NULL;
        int cnt = 0;

        /* the data is the text before the SampleCountTotal child (mixed content) */
        if (txt && txt->type == XML_TEXT_NODE)
            cnt = parse_ints(txt, fdv, 162001);
        is_int(cnt, 162000, "full disclosure holds 27 s x 12 leads");
        ok(text_is(child(fdd, "SampleCountTotal", 0), "162000"), "SampleCountTotal 162000");
        {
            int einthoven = cnt == 162000;

            /* line k holds second k/12 of lead k%12: lines 0, 1, 2 are I, II, III */
            for (int j = 0; j < 500 && einthoven; j++)
                einthoven = fdv[1000 + j] == fdv[500 + j] - fdv[j];
            ok(einthoven, "full-disclosure line order I, II, III with III = II - I");
        }
    }
    ok(text_is(child(child(root, "PatientInfo", 0), "Gender", 0), p->sex ? "MALE" : "FEMALE"),
       "Gender from the parameters");
    xmlFreeDoc(doc);
}

static void test_skeleton(const char *x, size_t len)
{
    const char *shared = tap_shared();
    char path[1200], a[4096], b[4096];
    xmlDoc *ex, *doc;
    static const char *const paths[][3] = {
        { NULL }, { "StripData", NULL }, { "RestingECGMeasurements", NULL },
        { "RestingECGMeasurements", "MedianSamples", NULL },
        { "RestingECGMeasurements", "MeasurementTable", NULL }, { "PatientInfo", NULL },
        { "PatientVisit", NULL }, { "FilterSetting", NULL }, { "VectorLoops", NULL },
        { "FullDisclosure", NULL }, { "ClinicalInfo", NULL },
    };

    if (!shared) {
        ok(1, "# SKIP ../shared absent: no comparison with the UKB example");
        return;
    }
    snprintf(path, sizeof path, "%s/reference/ukb-ecg-example.xml", shared);
    ex = xmlReadFile(path, NULL, XML_PARSE_NONET);
    doc = xmlReadMemory(x, (int)len, "synthetic.xml", NULL, XML_PARSE_NONET);
    ok(ex && doc, "example and synthetic file parse");
    if (!ex || !doc) {
        xmlFreeDoc(ex);
        xmlFreeDoc(doc);
        return;
    }
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        xmlNode *na = xmlDocGetRootElement(ex), *nb = xmlDocGetRootElement(doc);

        for (int d = 0; paths[i][d]; d++) {
            na = child(na, paths[i][d], 0);
            nb = child(nb, paths[i][d], 0);
        }
        child_names(na, a, sizeof a);
        child_names(nb, b, sizeof b);
        if (!is_str(b, a, "children of /%s%s%s as in the example",
                    paths[i][0] ? paths[i][0] : "", paths[i][0] && paths[i][1] ? "/" : "",
                    paths[i][0] && paths[i][1] ? paths[i][1] : ""))
            diag("example: %s\nsynthetic: %s", a, b);
    }
    {
        xmlNode *sa = child(xmlDocGetRootElement(ex), "StripData", 0);
        xmlNode *sb = child(xmlDocGetRootElement(doc), "StripData", 0);
        int same = 1;

        for (int k = 0; k < 12; k++) {
            xmlChar *la = xmlGetProp(child(sa, "WaveformData", k), (const xmlChar *)"lead");

            same &= la && attr_is(child(sb, "WaveformData", k), "lead", (const char *)la);
            xmlFree(la);
        }
        ok(same, "strip lead attributes as in the example");
    }
    xmlFreeDoc(ex);
    xmlFreeDoc(doc);
}

static int file_equals(const char *path, const char *x, size_t len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t got;
    int same;

    if (!f)
        return 0;
    buf = malloc(len + 1);
    got = fread(buf, 1, len + 1, f);
    fclose(f);
    same = got == len && memcmp(buf, x, len) == 0;
    free(buf);
    return same;
}

int main(void)
{
    ef_synth_ecg_params p;
    ef_synth_ecg_measurements m, m2;
    ef_error err;
    char *x = NULL, *y = NULL, path[1024], tmp[1100];
    size_t len = 0, len2 = 0;
    struct stat st;
    struct timespec t0, t1;
    double ms;
    int n = 8;

    xmlInitParser();
    test_params();
    test_dower();
    test_signal();
    test_amplitude();
    test_physiology();

    ef_synth_ecg_params_default(&p);
    p.seed = 42;
    p.hr_bpm = 72;
    p.sex = 0;
    p.age = 58;
    p.bmi = 31;
    p.zf = -0.5;
    is_int(ef_synth_ecg_cardiosoft_render(&p, &x, &len, &m, &err), EF_OK, "render a document");
    ok(len > 500000 && len < 1500000, "document size %zu bytes (~0.7-1 MB like UKB)", len);
    is_int(ef_synth_ecg_cardiosoft_render(&p, &y, &len2, &m2, &err), EF_OK, "render it again");
    ok(len == len2 && memcmp(x, y, len) == 0, "same parameters and seed: identical bytes");
    free(y);
    p.seed = 43;
    ef_synth_ecg_cardiosoft_render(&p, &y, &len2, NULL, &err);
    ok(len != len2 || memcmp(x, y, len) != 0, "another seed: another document");
    free(y);
    p.seed = 42;

    test_layout(x, len);
    test_document(x, len, &m, &p);
    test_skeleton(x, len);

    snprintf(path, sizeof path, "%s/1234567_20205_2_0.xml", tap_tmpdir());
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    is_int(ef_synth_ecg_write_cardiosoft(path, &p, &err), EF_OK, "write the file");
    ok(file_equals(path, x, len), "file bytes = rendered bytes");
    ok(stat(tmp, &st) != 0, "no .tmp left behind");
    is_int(ef_synth_ecg_write_cardiosoft("/nonexistent-dir/x.xml", &p, &err), EF_EIO,
           "unwritable path: EF_EIO");
    like(err.file, "/nonexistent-dir/x.xml", "error names the file");

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        p.seed = 100 + (uint64_t)i;
        ef_synth_ecg_write_cardiosoft(path, &p, &err);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / n;
    diag("%.1f ms per synthesised and written file", ms);
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
    ok(ms < 500, "writing a file takes %.1f ms (< 500 ms in a debug/sanitiser build)", ms);
#else
    ok(ms < 50, "writing a file takes %.1f ms (< 50 ms)", ms);
#endif
    remove(path);
    rmdir(tap_tmpdir());
    free(x);
    xmlCleanupParser();
    return done_testing();
}
