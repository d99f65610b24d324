/* ef_ukbcol.h — UK Biobank column names in the main-CSV dialects:
 *   ukbconv      31-0.0, 4080-2.1
 *   RAP          p31, p21003_i2, p4080_i2_a0, p22009_a1 (optionally "participant." prefixed)
 *   R (.tab)     f.31.0.0
 * and the eid column (eid, participant.eid, f.eid). */
#ifndef EF_UKBCOL_H
#define EF_UKBCOL_H

typedef struct ef_ukbcol {
    long field;
    int instance;
    int array;
} ef_ukbcol;

/* Parse a header name.  Returns 1 on success, 0 when the name is not a
 * field column (e.g. "eid").  RAP names without _i / _a mean instance 0 /
 * array 0 (the field has no instances or arrays there). */
int ef_ukbcol_parse(const char *name, ef_ukbcol *out);
/* True for the participant id column in any dialect. */
int ef_ukbcol_is_eid(const char *name);
/* "F-I.A" (ukbconv) into buf. */
const char *ef_ukbcol_format(const ef_ukbcol *c, char *buf, unsigned size);

#endif
