/* ef_blas.h — OpenBLAS's thread count, stated by each code that calls BLAS.
 *
 * OpenBLAS keeps one thread count for the whole process; a per-thread count
 * (openblas_set_num_threads_local) came after 0.3.21, the version Debian 12
 * ships.  So one code that set it and another that called BLAS at the same
 * time -- the network runner and the MLP in two jobs of a TUI -- changed
 * each other's setting, and the runner never put it back.  Every region of
 * BLAS calls now says how many threads it wants between ef_blas_begin and
 * ef_blas_end: regions that want the same count run together; one that
 * wants another waits until they are over; the count the process had before
 * is restored when the last region ends.
 *
 * The network runner and the MLP want 1: they call sgemm from several
 * threads of their own (OpenBLAS's threads on top of them would
 * oversubscribe the cores), or on matrices too small for OpenBLAS's threads
 * to pay.  The linear models' Gram matrices (dsyrk over every training row)
 * want OpenBLAS's own count, as before; inside a region of 1 they would
 * have been computed on one thread. */
#ifndef EF_BLAS_H
#define EF_BLAS_H

/* threads <= 0: OpenBLAS's own count, as the process started (its
 * OPENBLAS_NUM_THREADS or the cores). */
void ef_blas_begin(int threads);
void ef_blas_end(void);
/* OpenBLAS's count now (for tests). */
int ef_blas_threads(void);

#endif
