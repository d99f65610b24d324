/* ef_ecg_view.h — what an ECG viewer reads: the participants with an ECG
 * (a list small enough to hold: an eid, a state and QC flags each), and
 * one participant's ECG at a time, never the whole ECG store.
 *
 * The list comes from the store once per store generation: /participants
 * (eid, has_ecg: who has an ECG file), /ecg/eid and /ecg/qc (preprocessed),
 * /ecg/failures/eid (failed).  80,000 participants are ~2 MB of reads and
 * 1.3 MB held; a viewer pages through it (ef_ecg_list_filter gives the rows
 * of a filter once, a page is then a slice of that array).
 *
 * One ECG comes either from the store, its row of /ecg/signal (a virtual
 * dataset: HDF5 reads the row from its part file in ecg-data/) with its QC
 * flags and device measurements, or raw from the participant's CardioSoft
 * XML (StripData in millivolts: counts x Resolution / 1000).
 *
 * Uses HDF5 through the store: one thread at a time (ef_store.h). */
#ifndef EF_ECG_VIEW_H
#define EF_ECG_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "ecg/ef_cardiosoft.h"

/* Where a participant's ECG stands. */
enum ef_ecg_state {
    EF_ECG_OK,        /* preprocessed, no QC flag */
    EF_ECG_FLAGGED,   /* preprocessed with QC flags */
    EF_ECG_FAILED,    /* preprocess could not use the file (/ecg/failures) */
    EF_ECG_PENDING,   /* an ECG file, not preprocessed yet */
    EF_ECG_NSTATES
};
/* "ok", "QC flags", "failed", "not preprocessed" */
const char *ef_ecg_state_name(int state);

typedef struct ef_ecg_list {
    size_t n;
    int64_t *eid;           /* sorted, unique */
    uint8_t *state;         /* enum ef_ecg_state */
    uint32_t *qc;           /* QC flags (enum ef_qc_flag); 0 unless OK or FLAGGED */
    int32_t *row;           /* row in /ecg (OK, FLAGGED) or /ecg/failures (FAILED); else -1 */
    size_t count[EF_ECG_NSTATES];
    int from_participants;  /* the eids came from /participants/has_ecg */
    int preprocessed;       /* the store has /ecg */
    char units[8];          /* /ecg's units ("mv", "seed"); "" without /ecg */
    int ecg_instance;       /* the instance preprocess read (2 unless /ecg says) */
} ef_ecg_list;

/* Read the list from the store at store_path.  A store without
 * /participants and /ecg gives an empty list (EF_OK); EF_ENOTFOUND when
 * the store file is absent. */
int ef_ecg_list_read(const char *store_path, ef_ecg_list *l, ef_error *err);
void ef_ecg_list_fini(ef_ecg_list *l);
/* Index of eid in l, or (size_t)-1. */
size_t ef_ecg_list_find(const ef_ecg_list *l, int64_t eid);

/* Filters of the list. */
enum ef_ecg_filter {
    EF_ECG_SHOW_ALL,
    EF_ECG_SHOW_QC,        /* QC flags (any of mask; 0: any) or failed */
    EF_ECG_SHOW_CLEAN,     /* preprocessed without a flag */
    EF_ECG_SHOW_PENDING,   /* not preprocessed yet */
    EF_ECG_NFILTERS
};
/* "all", "QC flagged or failed", "clean", "not preprocessed" */
const char *ef_ecg_filter_name(int filter);
/* The list indices that pass filter, in eid order, into idx (room for
 * l->n); returns how many.  O(n): run once per filter or list change. */
size_t ef_ecg_list_filter(const ef_ecg_list *l, int filter, uint32_t mask, size_t *idx);

/* One participant's ECG. */
typedef struct ef_ecg_one {
    int64_t eid;
    int raw;                    /* 1: from the XML; 0: preprocessed, from the store */
    float *v;                   /* v[i * 12 + k]: sample i of lead k (PCLR order); NaN: none */
    size_t samples;
    double rate_hz;             /* samples per second (preprocessed: samples / 10 s) */
    unsigned leads;             /* bit k: lead k present */
    char units[16];             /* "mV", or "counts/1000" (seed units, or no Resolution) */
    double meas[EF_CS_NMEAS];   /* the device's measurements; NaN: missing */
    int have_qc;                /* qc and state are known (the store's list) */
    uint32_t qc;
    int state;                  /* enum ef_ecg_state, EF_ECG_PENDING if unknown */
    char *source;               /* the file read (XML, or store) */
    char *message;              /* preprocess's failure message, or NULL */
} ef_ecg_one;

void ef_ecg_one_init(ef_ecg_one *e);
void ef_ecg_one_fini(ef_ecg_one *e);

/* The preprocessed ECG of eid, with its QC flags and measurements, from
 * the store (l: the list read from it, for the row).  EF_ENOTFOUND with a
 * message saying why (not preprocessed, failed: preprocess's message) when
 * the store has no signal for eid; a row that reads as all NaN (its part
 * file is missing) is EF_EIO naming ecg-data/. */
int ef_ecg_read_preprocessed(const char *store_path, const ef_ecg_list *l, int64_t eid,
                             ef_ecg_one *out, ef_error *err);

/* Finding a participant's XML in the ECG folder: the file name
 * {eid}_20205_{instance}_0.xml directly in dir, in dir/<first two digits>/
 * (the RAP's Bulk layout), else by a scan of dir and two levels of
 * sub-folders made once and kept. */
typedef struct ef_ecg_xml_finder {
    char *dir;
    int instance;
    int scanned;
    int64_t *eids;
    char **paths;
    size_t n;
} ef_ecg_xml_finder;

void ef_ecg_xml_finder_init(ef_ecg_xml_finder *f, const char *dir, int instance);
void ef_ecg_xml_finder_fini(ef_ecg_xml_finder *f);
/* A new string; EF_ENOTFOUND naming the folder when there is no file. */
int ef_ecg_xml_find(ef_ecg_xml_finder *f, int64_t eid, char **path, ef_error *err);

/* The raw ECG of eid from its XML: StripData in mV (counts x Resolution /
 * 1000; counts / 1000 and units "counts/1000" without a Resolution), the
 * file's rate (samples / 10 s without one), missing leads NaN, the
 * measurements as the file has them.  QC stays unknown (have_qc 0) unless
 * l is given. */
int ef_ecg_read_raw(ef_ecg_xml_finder *f, const ef_ecg_list *l, int64_t eid, ef_ecg_one *out,
                    ef_error *err);

#endif
