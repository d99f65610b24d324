/* ef_xgb_lib.h — libxgboost's C API, loaded when an XGBoost model is first
 * fitted or used.
 *
 * Why not linked: a linked libxgboost is loaded, with libgomp and libdmlc,
 * by every ecgfit command at start (2.6 ms of its 11.6 ms: measurable in a
 * 0.15 s preprocess, and in every command a script or the test suite runs),
 * while only XGBoost fits and predictions need it.  Loaded here, it is also
 * no longer a hard run-time dependency: without it only XGBoost fails, with
 * an error that says so. */
#ifndef EF_XGB_LIB_H
#define EF_XGB_LIB_H

#include "core/ef_error.h"

#include <xgboost/c_api.h>

/* The functions ecgfit calls, named without their XG/XGB prefix. */
typedef struct ef_xgb_lib {
    __typeof__(XGBGetLastError) *GetLastError;
    __typeof__(XGBoostVersion) *Version;
    __typeof__(XGDMatrixCreateFromMat) *DMatrixCreateFromMat;
    __typeof__(XGDMatrixCreateFromMat_omp) *DMatrixCreateFromMat_omp;
    __typeof__(XGDMatrixSetFloatInfo) *DMatrixSetFloatInfo;
    __typeof__(XGDMatrixFree) *DMatrixFree;
    __typeof__(XGBoosterCreate) *BoosterCreate;
    __typeof__(XGBoosterFree) *BoosterFree;
    __typeof__(XGBoosterSetParam) *BoosterSetParam;
    __typeof__(XGBoosterUpdateOneIter) *BoosterUpdateOneIter;
    __typeof__(XGBoosterPredict) *BoosterPredict;
    __typeof__(XGBoosterFeatureScore) *BoosterFeatureScore;
    __typeof__(XGBoosterSaveModelToBuffer) *BoosterSaveModelToBuffer;
    __typeof__(XGBoosterLoadModelFromBuffer) *BoosterLoadModelFromBuffer;
} ef_xgb_lib;

/* libxgboost, loaded once per process, thread-safe: the file named by
 * ECGFIT_LIBXGBOOST if set (a name or a path), else EF_XGBOOST_SONAME (the
 * library configure linked against).  The table, or NULL with err set
 * (EF_EUNSUP) when the library or one of its functions cannot be found.  A
 * process that linked libxgboost itself (test_gbt) gets the same copy. */
const ef_xgb_lib *ef_xgb_lib_load(ef_error *err);

#endif
