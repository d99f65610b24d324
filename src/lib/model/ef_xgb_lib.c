/* ef_xgb_lib.c — loads libxgboost on first use (see ef_xgb_lib.h). */
#include "config.h"
#include "model/ef_xgb_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EF_XGBOOST_SONAME
#define EF_XGBOOST_SONAME "libxgboost.so"
#endif

static const struct {
    const char *name;
    size_t offset;
} symbols[] = {
#define SYM(prefix, f) { prefix #f, offsetof(ef_xgb_lib, f) }
    SYM("XGB", GetLastError),
    SYM("XGBoost", Version),
    SYM("XG", DMatrixCreateFromMat),
    SYM("XG", DMatrixCreateFromMat_omp),
    SYM("XG", DMatrixSetFloatInfo),
    SYM("XG", DMatrixFree),
    SYM("XG", BoosterCreate),
    SYM("XG", BoosterFree),
    SYM("XG", BoosterSetParam),
    SYM("XG", BoosterUpdateOneIter),
    SYM("XG", BoosterPredict),
    SYM("XG", BoosterFeatureScore),
    SYM("XG", BoosterSaveModelToBuffer),
    SYM("XG", BoosterLoadModelFromBuffer),
#undef SYM
};

/* dlsym's object pointers are stored into function pointers as POSIX allows. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function and object pointers differ in size");
_Static_assert(sizeof symbols / sizeof symbols[0] == sizeof(ef_xgb_lib) / sizeof(void (*)(void)),
               "every member of ef_xgb_lib is looked up");

static pthread_once_t once = PTHREAD_ONCE_INIT;
static ef_xgb_lib lib;
static int loaded;
static char why[512];

static const char *lib_name(void)
{
    const char *e = getenv("ECGFIT_LIBXGBOOST");

    return e && *e ? e : EF_XGBOOST_SONAME;
}

static void load(void)
{
    const char *name = lib_name(), *e;
    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    size_t i;

    if (!h) {
        e = dlerror();
        snprintf(why, sizeof why, "%s", e ? e : name);
        return;
    }
    for (i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        void *f = dlsym(h, symbols[i].name);

        if (!f) {
            snprintf(why, sizeof why, "%s has no %s (not libxgboost, or one too old?)", name,
                     symbols[i].name);
            dlclose(h);
            memset(&lib, 0, sizeof lib);
            return;
        }
        memcpy((char *)&lib + symbols[i].offset, &f, sizeof f);
    }
    loaded = 1;   /* the handle stays open for the life of the process */
}

const ef_xgb_lib *ef_xgb_lib_load(ef_error *err)
{
    pthread_once(&once, load);
    if (!loaded) {
        ef_error_set(err, EF_EUNSUP, "XGBoost needs libxgboost, which cannot be loaded: %s", why);
        return NULL;
    }
    return &lib;
}
