/* ef_error.c — the error record (see ef_error.h). */
#include "config.h"
#include "ef_error.h"
#include "ef_numfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ef_error_clear(ef_error *err)
{
    if (!err)
        return;
    err->code = EF_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->msg[0] = '\0';
}

static void set_msg(ef_error *err, int code, const char *fmt, va_list ap)
{
    err->code = code;
    ef_vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int ef_error_set(ef_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    set_msg(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int ef_error_set_at(ef_error *err, int code, const char *file, long line, long column,
                    const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_start(ap, fmt);
    set_msg(err, code, fmt, ap);
    va_end(ap);
    return code;
}

const char *ef_strerror(int code)
{
    switch (code) {
    case EF_OK: return "success";
    case EF_CONTINUE: return "in progress";
    case EF_DONE: return "done";
    case EF_EIO: return "I/O error";
    case EF_EPARSE: return "parse error";
    case EF_EINVAL: return "invalid argument";
    case EF_ENOTFOUND: return "not found";
    case EF_EDATA: return "unusable data";
    case EF_ENOMEM: return "out of memory";
    case EF_EUNSUP: return "not supported";
    case EF_ECANCELED: return "cancelled";
    case EF_EBUSY: return "busy";
    case EF_EUSAGE: return "usage error";
    default: return "unknown error";
    }
}

const char *ef_error_format(const ef_error *err, char *buf, size_t size)
{
    const char *msg;

    if (!buf || size == 0)
        return "";
    if (!err) {
        snprintf(buf, size, "unknown error");
        return buf;
    }
    msg = err->msg[0] ? err->msg : ef_strerror(err->code);
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}
