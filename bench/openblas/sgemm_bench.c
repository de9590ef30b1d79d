/*
 * OpenBLAS sgemm reference figure for bench/RESULTS.md: C = op(A)·op(B), row-major, any shape, reporting GFLOP/s per wall second, per second of process CPU time (the latter is what the
 * library achieves while it holds the cores, useful on a shared machine) and of the fastest single call (the least disturbed by
 * other jobs on a loaded machine).
 * Build and run: see bench/gemm-vs-openblas.sh. Threads: OPENBLAS_NUM_THREADS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Declared here so no -dev package is needed; the ABI is the standard CBLAS one. */
enum { CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
char *openblas_get_corename(void);
int openblas_get_num_threads(void);

static double now(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: sgemm_bench NN|NT|TN|TT m n k [seconds]\n");
        return 2;
    }
    int ta = argv[1][0] == 'T', tb = argv[1][1] == 'T';
    int m = atoi(argv[2]), n = atoi(argv[3]), k = atoi(argv[4]);
    double seconds = argc > 5 ? atof(argv[5]) : 3.0;
    int lda = ta ? m : k, ldb = tb ? k : n;
    int opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
    float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
    unsigned s = 42;
    for (long i = 0; i < (long) m * k; i++) {
        s = s * 1664525u + 1013904223u;
        a[i] = (s >> 8) / 16777216.0f - 0.5f;
    }
    for (long i = 0; i < (long) k * n; i++) {
        s = s * 1664525u + 1013904223u;
        b[i] = (s >> 8) / 16777216.0f - 0.5f;
    }
    double warm = now(CLOCK_MONOTONIC) + seconds * 0.3;
    while (now(CLOCK_MONOTONIC) < warm) cblas_sgemm(CblasRowMajor, opa, opb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
    long reps = 0;
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID), end = w0 + seconds, best = 1e30, t = w0;
    do {
        cblas_sgemm(CblasRowMajor, opa, opb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
        reps++;
        double t1 = now(CLOCK_MONOTONIC);
        if (t1 - t < best) best = t1 - t;
        t = t1;
    } while (t < end);
    double wall = now(CLOCK_MONOTONIC) - w0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    double gflop = reps * 2.0 * m * n * k * 1e-9;
    printf("openblas(%s, %d threads) %s %dx%dx%d: %.1f GFLOP/s wall, %.1f GFLOP/s per CPU-second, %.1f GFLOP/s fastest call (%ld reps)\n",
           openblas_get_corename(), openblas_get_num_threads(), argv[1], m, n, k, gflop / wall, gflop / cpu,
           2.0 * m * n * k * 1e-9 / best, reps);
    free(a);
    free(b);
    free(c);
    return 0;
}
