/* ef_import.h — `import`: embeddings and labels made elsewhere, into the
 * project store.
 *
 * Embeddings: the seed's CSV (eid,pclr_output_0,...) or ml4h's TSV
 * (sample_id<TAB>latent_0...), delimiter from the header line.  Written as
 * the embed stage's fold writes them (ef_emb_parts.h): /embeddings/NAME/eid
 * int64 [n] sorted, /embeddings/NAME/values float32 [n, k] — here a plain
 * dataset in the store, not a virtual one — with attributes name,
 * output_size, source_file, format, imported = 1 and the provenance stamp
 * (stage "import"); no encoder_sha256 (the encoder is unknown).  So
 * `export embeddings`, `train` and `replicate` read them like embedded
 * ones.
 *
 * Labels: a CSV with eid first and one or more value columns (the seed's
 * `eid,30038-1.0` label files); each value column becomes
 * /participants/<header name> (float64, NaN for empty / NA / nan cells)
 * aligned with /participants/eid, replacing a column of that name, with
 * attributes source_file, imported = 1 and the stamp.  Only participants
 * already in /participants get values; the file's other eids are counted
 * as unmatched.
 *
 * Errors name FILE:LINE (and the column): malformed numbers or eids,
 * ragged rows, duplicate eids (with the line of the first). */
#ifndef EF_IMPORT_H
#define EF_IMPORT_H

#include <stddef.h>
#include "core/ef_error.h"

typedef struct ef_import_emb_summary {
    char name[64];
    const char *format;          /* "csv" or "tsv" */
    size_t n, k;                 /* embeddings, values each */
    size_t in_participants;      /* of n, eids in /participants (0 if none) */
    int replaced;                /* an earlier /embeddings/NAME was replaced */
} ef_import_emb_summary;

/* name NULL: the file's base name without extension (ef_emb_name_from_path). */
int ef_import_embeddings(const char *store_path, const char *file, const char *name,
                         ef_import_emb_summary *sum, ef_error *err);

typedef struct ef_import_labels_summary {
    size_t rows;                 /* data rows in the file */
    size_t matched, unmatched;   /* rows whose eid is / is not in /participants */
    size_t ncols;
    char **cols;                 /* the columns written */
    size_t replaced;             /* of those, columns that existed before */
} ef_import_labels_summary;

int ef_import_labels(const char *store_path, const char *file, ef_import_labels_summary *sum, ef_error *err);
void ef_import_labels_summary_fini(ef_import_labels_summary *sum);

#endif
