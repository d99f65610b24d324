/* ef_cardiosoft.h — reading UK Biobank resting-ECG XML files (field 20205,
 * GE CardioSoft export): StripData (the 10 s rhythm the pipeline uses),
 * MedianSamples and RestingECGMeasurements.  The FullDisclosure block (72 %
 * of the file) is skipped without being built in memory.
 *
 * The reader handles what real files do (ukb-data.md §1): ISO-8859-1
 * declaration, CRLF, waveform text wrapped mid-list with tabs and line
 * breaks, empty measurement elements, hyphenated element names, raw ADC
 * counts with their Resolution.  Errors name the file and line. */
#ifndef EF_CARDIOSOFT_H
#define EF_CARDIOSOFT_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

#define EF_CS_NLEADS 12
/* Largest file accepted (real files are ~1 MB). */
#define EF_CS_MAX_BYTES (64u << 20)

/* PCLR lead order, also StripData's: I, II, III, aVR, aVL, aVF, V1..V6. */
extern const char *const ef_cs_lead_names[EF_CS_NLEADS];

/* RestingECGMeasurements scalars, in this order. */
enum ef_cs_meas {
    EF_CS_VENT_RATE, EF_CS_PQ, EF_CS_P_DUR, EF_CS_QRS, EF_CS_QT, EF_CS_QTC, EF_CS_RR, EF_CS_PP,
    EF_CS_P_AXIS, EF_CS_R_AXIS, EF_CS_T_AXIS, EF_CS_NMEAS
};
/* Store names of the measurements: "vent_rate", "pq", "p_dur", ... */
extern const char *const ef_cs_meas_names[EF_CS_NMEAS];

/* Reader notes that are not fatal (the caller decides about QC). */
enum ef_cs_note {
    EF_CS_NOTE_DUP_LEAD = 1u << 0,      /* a lead appeared twice (first kept) */
    EF_CS_NOTE_UNKNOWN_LEAD = 1u << 1,  /* a lead name outside the 12 (ignored) */
    EF_CS_NOTE_LEAD_CASE = 1u << 2,     /* a lead matched only ignoring case */
    EF_CS_NOTE_COUNT_MISMATCH = 1u << 3, /* a lead's sample count != ChannelSampleCountTotal */
    EF_CS_NOTE_BAD_MEAS = 1u << 4,      /* a measurement's text is not a number (NaN kept) */
    EF_CS_NOTE_MEDIAN_COUNT = 1u << 5   /* median leads differ in length or from their count */
};

typedef struct ef_cs_ecg {
    /* StripData */
    int32_t *lead[EF_CS_NLEADS];  /* ADC counts in PCLR order; NULL when the lead is missing */
    size_t nsamples[EF_CS_NLEADS];
    double sample_rate;           /* Hz; NaN when absent */
    double resolution;            /* uV per LSB; NaN when absent */
    char resolution_units[16];    /* "uVperLsb" as in the file */
    long channel_samples;         /* ChannelSampleCountTotal, -1 when absent */
    long lead_line[EF_CS_NLEADS]; /* line of each lead's start tag (0: missing), for messages */
    long strip_line;              /* line of <StripData> */
    /* MedianSamples (may be absent: median_n == 0) */
    int32_t *median[EF_CS_NLEADS];
    size_t median_n;              /* shortest median lead present (all 600 in real files) */
    size_t median_nsamples[EF_CS_NLEADS];
    double median_rate;           /* NaN when absent, as median_resolution */
    double median_resolution;
    long median_channel_samples;  /* -1 when absent, as first_valid and last_valid */
    long first_valid, last_valid;
    /* RestingECGMeasurements; NaN = empty or absent */
    double meas[EF_CS_NMEAS];
    unsigned notes;               /* enum ef_cs_note */
} ef_cs_ecg;

/* Empty record (no leads, NaN scalars, -1 counts); fini frees the leads and
 * leaves E initialised. */
void ef_cs_ecg_init(ef_cs_ecg *e);
void ef_cs_ecg_fini(ef_cs_ecg *e);

/* Read a file.  Fails (EF_EIO / EF_EPARSE / EF_EDATA, err naming path:line)
 * for: unreadable, empty, gzip-compressed or larger than EF_CS_MAX_BYTES
 * files, or not XML (a CSV, PNG, ...); malformed or truncated XML; a root
 * other than CardiologyXML; no StripData, or one without WaveformData (an
 * exercise ECG); a non-numeric or out-of-int32-range sample; a non-numeric
 * SampleRate, Resolution, ChannelSampleCountTotal, FirstValid or LastValid;
 * a user-defined entity (never expanded).  A missing lead is
 * not an error here (lead[k] == NULL); QC decides.  Neither are a count,
 * rate or resolution the pipeline does not expect: they are reported as read.
 * OUT is initialised here (it must not hold leads: fini it between reads);
 * after a failure it holds no leads.  Thread-safe (libxml2's per-thread
 * error handlers are restored on return); no DTD or external entity is ever
 * fetched and libxml2 never prints. */
int ef_cs_read_file(const char *path, ef_cs_ecg *out, ef_error *err);
/* The same on a buffer; name is used in messages. */
int ef_cs_read_mem(const char *buf, size_t len, const char *name, ef_cs_ecg *out, ef_error *err);

#endif
