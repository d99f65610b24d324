/* ef_synth_xml.c — the GE CardioSoft XML text of a synthetic resting ECG.
 *
 * Mimics the UKB example (shared/reference/ukb-ecg-example.xml) byte for byte in style:
 * ISO-8859-1 declaration, CRLF, one TAB per depth, element order, empty elements as
 * start+end tags, waveform text wrapped after 301 and then every 300 values with
 * ",\r\n" plus the element's tabs, full disclosure as 1 s lines of 500 values that all end
 * with a comma.  The document is built in one buffer with a hand-written integer
 * formatter and written with one fwrite to "<path>.tmp", then renamed.
 */
#include "config.h"
#include "synth/ef_synth_ecg_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#define FD_N ((long)EF_SYNTH_ECG_FD_SECONDS * EF_SYNTH_ECG_RATE)
#define VL_N EF_SYNTH_ECGI_LAST_VALID   /* VectorLoops samples, as in the example */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_reserve(sbuf *b, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? 2 * b->cap : 4096;
        b->p = ef_xrealloc(b->p, b->cap);
    }
}

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void sb_put(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* Caller has reserved 12 bytes. */
static void sb_int_raw(sbuf *b, long v)
{
    char tmp[24];
    int n = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        b->p[b->len++] = '-';
    while (n)
        b->p[b->len++] = tmp[--n];
}

static void sb_int(sbuf *b, long v)
{
    sb_reserve(b, 24);
    sb_int_raw(b, v);
}

static void sb_tabs(sbuf *b, int depth)
{
    sb_reserve(b, (size_t)depth);
    for (int i = 0; i < depth; i++)
        b->p[b->len++] = '\t';
}

static void crlf(sbuf *b)
{
    sb_putn(b, "\r\n", 2);
}

/* <TAG ATTRS> at DEPTH on its own line. */
static void open_tag(sbuf *b, int depth, const char *tag_and_attrs)
{
    sb_tabs(b, depth);
    sb_put(b, "<");
    sb_put(b, tag_and_attrs);
    sb_put(b, ">");
    crlf(b);
}

static void close_tag(sbuf *b, int depth, const char *tag)
{
    sb_tabs(b, depth);
    sb_put(b, "</");
    sb_put(b, tag);
    sb_put(b, ">");
    crlf(b);
}

/* <TAG ATTRS>TEXT</TAG>; ATTRS is "" or ' units="ms"' and the like. */
static void leaf(sbuf *b, int depth, const char *tag, const char *attrs, const char *text)
{
    sb_tabs(b, depth);
    sb_put(b, "<");
    sb_put(b, tag);
    sb_put(b, attrs);
    sb_put(b, ">");
    sb_put(b, text);
    sb_put(b, "</");
    sb_put(b, tag);
    sb_put(b, ">");
    crlf(b);
}

static void leaf_int(sbuf *b, int depth, const char *tag, const char *attrs, long v)
{
    char t[24];

    snprintf(t, sizeof t, "%ld", v);
    leaf(b, depth, tag, attrs, t);
}

/* A measurement: integer text, or an empty element when not measured. */
static void leaf_meas(sbuf *b, int depth, const char *tag, const char *attrs, double v)
{
    if (isnan(v))
        leaf(b, depth, tag, attrs, "");
    else
        leaf_int(b, depth, tag, attrs, (long)floor(v + 0.5));
}

/* Waveform element: text starts right after the start tag with DEPTH tabs; a line break
 * (",\r\n" + tabs) after value 301 and then every 300 values; no trailing comma. */
static void waveform(sbuf *b, int depth, const char *open, const char *tag, const int32_t *v,
                     int n)
{
    sb_tabs(b, depth);
    sb_put(b, open);
    sb_tabs(b, depth);
    sb_reserve(b, (size_t)n * (13 + (size_t)depth) + 64);
    for (int i = 0; i < n; i++) {
        sb_int_raw(b, v[i]);
        if (i == n - 1)
            break;
        b->p[b->len++] = ',';
        if (i + 1 >= 301 && (i + 1 - 301) % 300 == 0) {
            b->p[b->len++] = '\r';
            b->p[b->len++] = '\n';
            for (int d = 0; d < depth; d++)
                b->p[b->len++] = '\t';
        }
    }
    sb_put(b, "</");
    sb_put(b, tag);
    sb_put(b, ">");
    crlf(b);
}

/* One MeasurementTable row: 12 cells joined by ", ", empty cell when not measured. */
static void table_row(sbuf *b, const char *tag, const char *units,
                      const ef_synth_ecgi_analysis *a, size_t has_off, size_t val_off)
{
    sb_tabs(b, 3);
    sb_put(b, "<");
    sb_put(b, tag);
    sb_put(b, " units=\"");
    sb_put(b, units);
    sb_put(b, "\">");
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        const char *lm = (const char *)&a->lead[k];
        int has = 0;
        double v = 0;

        if (has_off != (size_t)-1) {
            memcpy(&has, lm + has_off, sizeof has);
            memcpy(&v, lm + val_off, sizeof v);
        }
        if (k)
            sb_put(b, ", ");
        if (has)
            sb_int(b, (long)floor(v + 0.5));
    }
    sb_put(b, "</");
    sb_put(b, tag);
    sb_put(b, ">");
    crlf(b);
}

#define ROW(tag, units, hasf, valf) \
    table_row(b, tag, units, a, offsetof(ef_synth_ecgi_lead_meas, hasf), \
              offsetof(ef_synth_ecgi_lead_meas, valf))
#define EMPTY_ROW(tag, units) table_row(b, tag, units, a, (size_t)-1, 0)

static void person(sbuf *b, int depth, const char *tag)
{
    open_tag(b, depth, tag);
    leaf(b, depth + 1, "FamilyName", "", "");
    leaf(b, depth + 1, "GivenName", "", "");
    leaf(b, depth + 1, "PersonID", "", "");
    close_tag(b, depth, tag);
}

static void header(sbuf *b, const ef_synth_ecg_params *p)
{
    sb_put(b, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\r\n<CardiologyXML>\r\n");
    leaf(b, 1, "ObservationType", "", "RestECG");
    /* Scrubbed like the UKB example: dates and identifiers carry no information. */
    open_tag(b, 1, "ObservationDateTime");
    leaf(b, 2, "Hour", "", "1");
    leaf(b, 2, "Minute", "", "1");
    leaf(b, 2, "Second", "", "1");
    leaf(b, 2, "Day", "", "1");
    leaf(b, 2, "Month", "", "1");
    leaf(b, 2, "Year", "", "2001");
    close_tag(b, 1, "ObservationDateTime");
    open_tag(b, 1, "UID");
    leaf(b, 2, "DICOMStudyUID", "", "1");
    close_tag(b, 1, "UID");
    open_tag(b, 1, "ClinicalInfo");
    leaf(b, 2, "ReasonForStudy", "", "");
    person(b, 2, "Technician");
    leaf(b, 2, "ObservationComment", "", "");
    open_tag(b, 2, "DeviceInfo");
    leaf(b, 3, "Desc", "", "CardioSoft");
    leaf(b, 3, "SoftwareVer", "", "V6.73");
    leaf(b, 3, "AnalysisVer", "", "12SL V21");
    close_tag(b, 2, "DeviceInfo");
    close_tag(b, 1, "ClinicalInfo");
    open_tag(b, 1, "PatientVisit");
    leaf(b, 2, "PatientClass", "", "O");
    open_tag(b, 2, "AssignedPatientLocation");
    leaf(b, 3, "Facility", "", "");
    leaf(b, 3, "LocationNumber", "", "0");
    leaf(b, 3, "LocationName", "", "* 0 *");
    close_tag(b, 2, "AssignedPatientLocation");
    leaf(b, 2, "PatientRoom", "", "");
    leaf(b, 2, "AdmissionType", "", "ROUT");
    person(b, 2, "OrderingProvider");
    person(b, 2, "AttendingDoctor");
    person(b, 2, "ReferringDoctor");
    open_tag(b, 2, "ServicingFacility");
    leaf(b, 3, "Name", "", "");
    open_tag(b, 3, "Address");
    leaf(b, 4, "Street1", "", "");
    leaf(b, 4, "City", "", "");
    close_tag(b, 3, "Address");
    close_tag(b, 2, "ServicingFacility");
    leaf(b, 2, "SysBP", " units=\"mmHg\"", "");
    leaf(b, 2, "DiaBP", " units=\"mmHg\"", "");
    open_tag(b, 2, "MedicalHistory");
    leaf(b, 3, "MedicalHistoryText", "", "");
    close_tag(b, 2, "MedicalHistory");
    leaf(b, 2, "OrderNumber", "", "");
    open_tag(b, 2, "Medications");
    leaf(b, 3, "Drug", "", "");
    leaf(b, 3, "Dosage", "", "");
    close_tag(b, 2, "Medications");
    open_tag(b, 2, "ExtraQuestions");
    for (int i = 0; i < 2; i++) {
        leaf(b, 3, "Label", " Type=\"Text\"", "");
        leaf(b, 3, "Content", "", "");
    }
    close_tag(b, 2, "ExtraQuestions");
    close_tag(b, 1, "PatientVisit");
    open_tag(b, 1, "PatientInfo");
    leaf(b, 2, "PID", "", "1");
    open_tag(b, 2, "Name");
    leaf(b, 3, "FamilyName", "", "1");
    leaf(b, 3, "GivenName", "", "SYNTHETIC");
    close_tag(b, 2, "Name");
    leaf(b, 2, "Age", " units=\"YEARS\"", "1");
    open_tag(b, 2, "BirthDateTime");
    leaf(b, 3, "Day", "", "1");
    leaf(b, 3, "Month", "", "1");
    leaf(b, 3, "Year", "", "1900");
    close_tag(b, 2, "BirthDateTime");
    leaf(b, 2, "Gender", "", p->sex == 0 ? "FEMALE" : "MALE");
    leaf(b, 2, "Race", "", "UNKNOWN");
    leaf(b, 2, "Height", " units=\"CENTIMETERS\"", "1");
    leaf(b, 2, "Weight", " units=\"KILOGRAMS\"", "1.0");
    leaf(b, 2, "PaceMaker", "", "no");
    close_tag(b, 1, "PatientInfo");
    open_tag(b, 1, "FilterSetting");
    leaf(b, 2, "CubicSpline", "", "No");
    leaf(b, 2, "Filter50Hz", "", "Yes");
    leaf(b, 2, "Filter60Hz", "", "No");
    leaf(b, 2, "LowPass", " units=\"Hz\"", "100");
    leaf(b, 2, "HighPass", " units=\"Hz\"", "0.01");
    close_tag(b, 1, "FilterSetting");
    leaf(b, 1, "Device-Type", "", "2");
}

/* 12SL-like statements from the measurements (a plausible subset, not the real rules). */
static int statements(const ef_synth_ecgi_analysis *a, const ef_synth_ecg_params *p, int fd_qrs,
                      char lines[][64])
{
    const ef_synth_ecg_measurements *m = &a->m;
    int n = 0, abnormal = 0, borderline = 0, sinus_normal = 0;
    double jmax = 0;
    static const int er_leads[] = { 1, 5, 9, 10, 11 };

    if (m->vent_rate < 50) {
        snprintf(lines[n++], 64, "Marked sinus bradycardia");
        borderline = 1;
    } else if (m->vent_rate < 60) {
        snprintf(lines[n++], 64, "Sinus bradycardia");
    } else if (m->vent_rate > 100) {
        snprintf(lines[n++], 64, "Sinus tachycardia");
        borderline = 1;
    } else {
        snprintf(lines[n++], 64, "Normal sinus rhythm");
        sinus_normal = 1;
    }
    if (!isnan(m->pq) && m->pq > 210) {
        snprintf(lines[n++], 64, "with 1st degree A-V block");
        abnormal = 1;
    }
    if (m->r_axis < -30) {
        snprintf(lines[n++], 64, "Left axis deviation");
        abnormal = 1;
    } else if (m->r_axis > 90) {
        snprintf(lines[n++], 64, "Right axis deviation");
        abnormal = 1;
    }
    if (m->qrs >= 120) {
        snprintf(lines[n++], 64, "Nonspecific intraventricular block");
        abnormal = 1;
    }
    if (a->sokolow_mv >= 3.5) {
        snprintf(lines[n++], 64, "Minimal voltage criteria for LVH, may be normal variant");
        borderline = 1;
    }
    for (size_t i = 0; i < sizeof er_leads / sizeof er_leads[0]; i++)
        jmax = fmax(jmax, a->lead[er_leads[i]].j_amp);
    if (jmax >= 100) {
        snprintf(lines[n++], 64, "ST elevation, probably early repolarization");
        borderline = 1;
    }
    if (m->qtc > (p->sex == 0 ? 470 : 450)) {
        snprintf(lines[n++], 64, "Prolonged QT");
        abnormal = 1;
    }
    snprintf(lines[n++], 64, "%s", abnormal ? "Abnormal ECG" : borderline ? "Borderline ECG"
                                   : sinus_normal ? "Normal ECG" : "Otherwise normal ECG");
    snprintf(lines[n++], 64, "---");
    snprintf(lines[n++], 64, "Arrhythmia results of the full-disclosure ECG");
    snprintf(lines[n++], 64, "   QRS Complexes: %d", fd_qrs);
    return n;
}

static void interpretation(sbuf *b, const ef_synth_ecgi_analysis *a, const ef_synth_ecg_params *p,
                           int fd_qrs)
{
    char lines[16][64];
    int n = statements(a, p, fd_qrs, lines);

    open_tag(b, 1, "Interpretation");
    open_tag(b, 2, "Diagnosis");
    for (int i = 0; i < n; i++)
        leaf(b, 3, "DiagnosisText", "", lines[i]);
    close_tag(b, 2, "Diagnosis");
    open_tag(b, 2, "Conclusion");
    for (int i = 0; i < n; i++)
        leaf(b, 3, "ConclusionText", "", lines[i]);
    close_tag(b, 2, "Conclusion");
    close_tag(b, 1, "Interpretation");
}

static void measurements(sbuf *b, const ef_synth_ecgi_analysis *a)
{
    const ef_synth_ecg_measurements *m = &a->m;
    char sok[32];

    open_tag(b, 1, "RestingECGMeasurements");
    leaf(b, 2, "DiagnosisVersion", "", "12SL V21");
    leaf_meas(b, 2, "VentricularRate", " units=\"BPM\"", m->vent_rate);
    leaf_meas(b, 2, "PQInterval", " units=\"ms\"", m->pq);
    leaf_meas(b, 2, "PDuration", " units=\"ms\"", m->p_dur);
    leaf_meas(b, 2, "QRSDuration", " units=\"ms\"", m->qrs);
    leaf_meas(b, 2, "QTInterval", " units=\"ms\"", m->qt);
    leaf_meas(b, 2, "QTCInterval", " units=\"ms\"", m->qtc);
    leaf_meas(b, 2, "RRInterval", " units=\"ms\"", m->rr);
    leaf_meas(b, 2, "PPInterval", " units=\"ms\"", m->pp);
    ef_snprintf(sok, sizeof sok, "%.2f", a->sokolow_mv);
    leaf(b, 2, "SokolovLVHIndex", " units=\"mV\"", sok);
    leaf_meas(b, 2, "PAxis", " units=\"degrees\"", m->p_axis);
    leaf_meas(b, 2, "RAxis", " units=\"degrees\"", m->r_axis);
    leaf_meas(b, 2, "TAxis", " units=\"degrees\"", m->t_axis);
    leaf(b, 2, "QTDispersion", " units=\"ms\"", "");
    leaf(b, 2, "QTDispersionBazett", " units=\"ms\"", "");
    leaf_int(b, 2, "QRSNum", "", a->nbeats);
    open_tag(b, 2, "MeasurementTable Creation=\"12SL\"");
    leaf(b, 3, "LeadOrder", "", "I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6");
    ROW("QDuration", "ms", has_q, q_dur);
    ROW("RDuration", "ms", has_r, r_dur);
    ROW("SDuration", "ms", has_s, s_dur);
    EMPTY_ROW("RpDuration", "ms");
    ROW("PAmplitude", "uV", has_p, p_amp);
    ROW("QAmplitude", "uV", has_q, q_amp);
    ROW("RAmplitude", "uV", has_r, r_amp);
    ROW("SAmplitude", "uV", has_s, s_amp);
    EMPTY_ROW("R1Amplitude", "uV");
    EMPTY_ROW("S1Amplitude", "uV");
    ROW("JAmplitude", "uV", has_t, j_amp);
    EMPTY_ROW("JXAmplitude", "uV");
    ROW("TAmplitude", "uV", has_t, t_amp);
    EMPTY_ROW("JXSlope", "uV/s");
    EMPTY_ROW("R1Duration", "ms");
    EMPTY_ROW("P1Amplitude", "uV");
    EMPTY_ROW("JXEAmplitude", "uV");
    EMPTY_ROW("T1Amplitude", "uV");
    close_tag(b, 2, "MeasurementTable");
    leaf_meas(b, 2, "POnset", " units=\"ms\"", a->has_p ? a->p_on : NAN);
    leaf_meas(b, 2, "POffset", " units=\"ms\"", a->has_p ? a->p_off : NAN);
    leaf_meas(b, 2, "QOnset", " units=\"ms\"", a->q_on);
    leaf_meas(b, 2, "QOffset", " units=\"ms\"", a->q_off);
    leaf_meas(b, 2, "TOffset", " units=\"ms\"", a->t_off);
    open_tag(b, 2, "MedianSamples");
    leaf(b, 3, "NumberOfLeads", "", "12");
    leaf(b, 3, "SampleRate", " units=\"Hz\"", "500");
    leaf(b, 3, "ChannelSampleCountTotal", "", "600");
    leaf(b, 3, "Resolution", " units=\"uVperLsb\"", "5");
    leaf(b, 3, "FirstValid", " units=\"Sample\"", "0");
    leaf_int(b, 3, "LastValid", " units=\"Sample\"", EF_SYNTH_ECGI_LAST_VALID);
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        char open[48];

        snprintf(open, sizeof open, "<WaveformData lead=\"%s\">", ef_synth_ecg_lead_names[k]);
        waveform(b, 3, open, "WaveformData", a->median[k], EF_SYNTH_ECG_MEDIAN_N);
    }
    close_tag(b, 2, "MedianSamples");
    close_tag(b, 1, "RestingECGMeasurements");
}

static void vector_loops(sbuf *b, const ef_synth_ecgi_analysis *a)
{
    /* Inverse Dower of the median beat; columns V1..V6, I, II. */
    static const int col_lead[8] = { 6, 7, 8, 9, 10, 11, 0, 1 };
    static const struct { const char *plane; const char *lead; int axis, sign; } loops[6] = {
        { "Frontal", "X", 0, 1 }, { "Frontal", "-Y", 1, -1 },
        { "Horizontal", "X", 0, 1 }, { "Horizontal", "Z", 2, 1 },
        { "Sagittal", "-Z", 2, -1 }, { "Sagittal", "-Y", 1, -1 },
    };
    int32_t (*v)[VL_N] = ef_xmalloc(sizeof(int32_t[3][VL_N]));

    for (int ax = 0; ax < 3; ax++)
        for (int j = 0; j < VL_N; j++) {
            double s = 0;

            for (int c = 0; c < 8; c++)
                s += ef_synth_ecgi_inv_dower[ax][c] * a->median[col_lead[c]][j];
            v[ax][j] = (int32_t)floor(s + 0.5);
        }
    open_tag(b, 1, "VectorLoops Creation=\"Inverse Dower\"");
    leaf(b, 2, "Resolution", " units=\"uVperLsb\"", "5");
    leaf_int(b, 2, "ChannelSampleCountTotal", "", VL_N);
    leaf_meas(b, 2, "POnset", " units=\"sample\"", a->has_p ? a->p_on / 2 : NAN);
    leaf_meas(b, 2, "POffset", " units=\"sample\"", a->has_p ? a->p_off / 2 : NAN);
    leaf_meas(b, 2, "QOnset", " units=\"sample\"", a->q_on / 2);
    leaf_meas(b, 2, "QOffset", " units=\"sample\"", a->q_off / 2);
    leaf_meas(b, 2, "TOffset", " units=\"sample\"", a->t_off / 2);
    for (int l = 0; l < 6; l++) {
        char open[48], tag[16];
        int32_t *tmp = ef_xmalloc(VL_N * sizeof *tmp);

        for (int j = 0; j < VL_N; j++)
            tmp[j] = loops[l].sign * v[loops[l].axis][j];
        snprintf(open, sizeof open, "<%s Lead=\"%s\">", loops[l].plane, loops[l].lead);
        snprintf(tag, sizeof tag, "%s", loops[l].plane);
        waveform(b, 2, open, tag, tmp, VL_N);
        free(tmp);
    }
    close_tag(b, 1, "VectorLoops");
    free(v);
}

static void strip_data(sbuf *b, const ef_synth_ecgi_analysis *a, int32_t *const lead[EF_SYNTH_ECG_NLEADS])
{
    open_tag(b, 1, "StripData");
    leaf(b, 2, "NumberOfLeads", "", "12");
    leaf(b, 2, "SampleRate", " units=\"Hz\"", "500");
    leaf(b, 2, "ChannelSampleCountTotal", "", "5000");
    leaf(b, 2, "Resolution", " units=\"uVperLsb\"", "5");
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        char open[48];

        snprintf(open, sizeof open, "<WaveformData lead=\"%s\">", ef_synth_ecg_lead_names[k]);
        waveform(b, 2, open, "WaveformData", lead[k], EF_SYNTH_ECG_STRIP_N);
    }
    open_tag(b, 2, "ArrhythmiaResults");
    for (int i = 0; i < a->nbeats; i++) {
        leaf_int(b, 3, "Time", " units=\"ms\"", a->beat[i] * 1000L / EF_SYNTH_ECG_RATE);
        leaf(b, 3, "BeatClass", "", "dominant");
    }
    close_tag(b, 2, "ArrhythmiaResults");
    close_tag(b, 1, "StripData");
}

/* Full disclosure: line k holds second k/12 of lead k%12; the arrhythmia program learns
 * on the beats after 8 s ("L" events, then "QRSL") and counts the complexes it analysed
 * (those up to 26 s), as in the example. */
static int analysed_beat(int sample)
{
    return sample >= 8 * EF_SYNTH_ECG_RATE && sample < 26 * EF_SYNTH_ECG_RATE;
}

static void full_disclosure(sbuf *b, int32_t *const fd[EF_SYNTH_ECG_NLEADS], const int *beats, int nb)
{
    int nq = 0, nev = 0;

    open_tag(b, 1, "FullDisclosure");
    leaf(b, 2, "NumberOfChannels", "", "12");
    leaf(b, 2, "SampleRate", " units=\"Hz\"", "500");
    leaf(b, 2, "Resolution", " units=\"uVperLsb\"", "5");
    leaf(b, 2, "LeadOrder", "", "I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6");
    open_tag(b, 2, "FullDisclosureData");
    sb_reserve(b, (size_t)FD_N * EF_SYNTH_ECG_NLEADS * 13 + 1024);
    for (int s = 0; s < EF_SYNTH_ECG_FD_SECONDS; s++)
        for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
            const int32_t *x = fd[k] + (long)s * EF_SYNTH_ECG_RATE;

            for (int i = 0; i < EF_SYNTH_ECG_RATE; i++) {
                sb_int_raw(b, x[i]);
                b->p[b->len++] = ',';
            }
            b->p[b->len++] = '\r';
            b->p[b->len++] = '\n';
        }
    leaf_int(b, 3, "SampleCountTotal", "", FD_N * EF_SYNTH_ECG_NLEADS);
    close_tag(b, 2, "FullDisclosureData");
    open_tag(b, 2, "EventList");
    for (int i = 0; i < nb; i++) {
        long tenths = (long)beats[i] * 10 / EF_SYNTH_ECG_RATE;
        char sec[24];

        if (!analysed_beat(beats[i]))
            continue;
        nq++;
        if (nev > 10)
            continue;
        leaf(b, 3, "Event", "", nev < 10 ? "L" : "QRSL");
        nev++;
        open_tag(b, 3, "Time");
        leaf_int(b, 4, "Minute", "", tenths / 600);
        snprintf(sec, sizeof sec, "%ld.%ld", tenths % 600 / 10, tenths % 10);
        leaf(b, 4, "Second", "", sec);
        close_tag(b, 3, "Time");
    }
    close_tag(b, 2, "EventList");
    open_tag(b, 2, "ArrhythmiaResults");
    leaf_int(b, 3, "QRS", "", nq);
    close_tag(b, 2, "ArrhythmiaResults");
    close_tag(b, 1, "FullDisclosure");
}

int ef_synth_ecg_cardiosoft_render(const ef_synth_ecg_params *p, char **text, size_t *len,
                             ef_synth_ecg_measurements *m, ef_error *err)
{
    const long n = EF_SYNTH_ECG_STRIP_N + FD_N;
    ef_synth_ecgi_model *mo;
    ef_synth_ecgi_analysis *a;
    int32_t *sig, *lead[EF_SYNTH_ECG_NLEADS], *fd[EF_SYNTH_ECG_NLEADS];
    const int32_t *strip[EF_SYNTH_ECG_NLEADS];
    sbuf b = { NULL, 0, 0 };
    int rc, fd_qrs = 0, nfd, *fd_beats;

    if (!text || !len)
        return ef_error_set(err, EF_EINVAL, "CardioSoft render: no output buffer");
    *text = NULL;
    *len = 0;
    mo = ef_xmalloc(sizeof *mo);
    rc = ef_synth_ecgi_model_build(p, mo, err);
    if (rc != EF_OK) {
        free(mo);
        return rc;
    }
    sig = ef_xmalloc((size_t)n * EF_SYNTH_ECG_NLEADS * sizeof *sig);
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        lead[k] = sig + (size_t)k * (size_t)n;
        strip[k] = lead[k];
        fd[k] = lead[k] + EF_SYNTH_ECG_STRIP_N;
    }
    ef_synth_ecgi_render(mo, n, lead);
    a = ef_xmalloc(sizeof *a);
    rc = ef_synth_ecgi_analyse(strip, EF_SYNTH_ECG_STRIP_N, a, err);
    if (rc == EF_OK) {
        /* The interpretation (early in the document) quotes the full-disclosure count. */
        fd_beats = ef_xmalloc(EF_SYNTH_ECGI_MAX_BEATS * sizeof *fd_beats);
        nfd = ef_synth_ecgi_detect_beats((const int32_t *const *)fd, FD_N, fd_beats, EF_SYNTH_ECGI_MAX_BEATS);
        for (int i = 0; i < nfd; i++)
            fd_qrs += analysed_beat(fd_beats[i]);
        sb_reserve(&b, 1100000);
        header(&b, p);
        interpretation(&b, a, p, fd_qrs);
        measurements(&b, a);
        vector_loops(&b, a);
        strip_data(&b, a, lead);
        full_disclosure(&b, fd, fd_beats, nfd);
        free(fd_beats);
        open_tag(&b, 1, "Export");
        close_tag(&b, 1, "Export");
        open_tag(&b, 1, "CSWeb");
        leaf(&b, 2, "a", " href=\"localhost/nowhere\"", "");
        close_tag(&b, 1, "CSWeb");
        sb_put(&b, "</CardiologyXML>\r\n");
        *text = b.p;
        *len = b.len;
        if (m)
            *m = a->m;
    }
    free(a);
    free(sig);
    free(mo);
    return rc;
}

int ef_synth_ecg_write_cardiosoft_m(const char *path, const ef_synth_ecg_params *p, ef_synth_ecg_measurements *m,
                              ef_error *err)
{
    char *text, *tmp;
    size_t len;
    FILE *f;
    int rc, ok;

    if (!path || !*path)
        return ef_error_set(err, EF_EINVAL, "CardioSoft writer: no output path");
    rc = ef_synth_ecg_cardiosoft_render(p, &text, &len, m, err);
    if (rc != EF_OK)
        return rc;
    tmp = ef_xasprintf("%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot create %s: %s", tmp,
                             strerror(errno));
        free(tmp);
        free(text);
        return rc;
    }
    ok = fwrite(text, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write %s: %s", tmp,
                             strerror(errno));
        remove(tmp);
    } else if (rename(tmp, path) != 0) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot rename %s: %s", tmp,
                             strerror(errno));
        remove(tmp);
    }
    free(tmp);
    free(text);
    return rc;
}

int ef_synth_ecg_write_cardiosoft(const char *path, const ef_synth_ecg_params *p, ef_error *err)
{
    return ef_synth_ecg_write_cardiosoft_m(path, p, NULL, err);
}
