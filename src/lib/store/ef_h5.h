/* ef_h5.h — helpers shared by the files that include hdf5.h (the store, its
 * virtual-dataset extension, the Keras reader and writer).  Not public: the
 * rest of the library never sees HDF5 types. */
#ifndef EF_H5_H
#define EF_H5_H

#include <stdarg.h>
#include <hdf5.h>
#include "core/ef_error.h"
#include "store/ef_store.h"

/* HDF5 prints its error stack to stderr by default; the library never
 * prints.  Cheap and idempotent: call before HDF5 work. */
void ef_h5_quiet(void);

/* Record code and message about file in err, with HDF5's innermost error
 * description appended when its error stack has one, and clear the stack.
 * Call right after the failing HDF5 call.  Returns code. */
int ef_h5_failv(ef_error *err, int code, const char *file, const char *fmt, va_list ap);

/* The HDF5 file of an open store (the private copy while updating). */
hid_t ef_store_file_id(const ef_store *s);

/* Close any id this code opens (dataset, dataspace, datatype, attribute,
 * property list, group or object); a negative id is skipped, so cleanup
 * paths need no checks. */
void ef_h5_close(hid_t id);
/* End of a call: close its ids (negative ones are skipped), drop what
 * HDF5's error stack still holds, free p (its normalised object path). */
void ef_h5_release(char *p, hid_t a, hid_t b, hid_t c);
/* Variable-length UTF-8 strings (h5py reads them as str); close it. */
hid_t ef_h5_vlen_utf8(void);
/* Dataset creation properties: attributes listed in creation order. */
hid_t ef_h5_dcpl(void);
/* Shuffle + deflate at level on a chunked dcpl (level 0 or no zlib: none). */
void ef_h5_deflate(hid_t dcpl, int level);

#endif
