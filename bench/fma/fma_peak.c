/*
 * The machine's FMA peak: independent chains of vector fused multiply-adds, GFLOP/s on 1 and 2 threads.
 *
 *   gcc -O2 -pthread -o fma_peak bench/fma/fma_peak.c && ./fma_peak [seconds per run, default 0.3]
 *
 * Each thread keeps CHAINS accumulators in registers and updates each with one FMA per iteration; the
 * chains do not depend on one another, so the core can have as many FMAs in flight as it has pipes times
 * the FMA latency (2 x 4 on AMD Zen 4/5 and recent Intel cores; 16 chains leave room). 512-bit vectors
 * (16 floats, 32 flops per FMA) where the CPU has AVX-512F, else 256-bit AVX2+FMA (12 chains: only 16
 * registers). Each figure is the best of 5 runs. Prints "fma c <metric> <value>" lines (bench/torch/README.md's
 * contract) and '#' comments; exit code 3 on a CPU with neither instruction set, 2 for a bad argument.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 5

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* acc = acc * m + a: m slightly below 1 and a small keep every value finite and normal forever. */
#define STEP16(op) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define STEP12(op) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

__attribute__((target("avx512f")))
static float chains512(long iters, float seed) {
    __m512 m = _mm512_set1_ps(1.0f - seed * 1e-7f), a = _mm512_set1_ps(seed * 1e-3f);
    __m512 acc[16];
    for (int i = 0; i < 16; i++) acc[i] = _mm512_set1_ps(seed + (float) i);
    /* Written out so that every accumulator is its own register variable. */
    __m512 c0 = acc[0], c1 = acc[1], c2 = acc[2], c3 = acc[3], c4 = acc[4], c5 = acc[5], c6 = acc[6], c7 = acc[7];
    __m512 c8 = acc[8], c9 = acc[9], c10 = acc[10], c11 = acc[11], c12 = acc[12], c13 = acc[13], c14 = acc[14], c15 = acc[15];
    for (long it = 0; it < iters; it++) {
#define X(i) c##i = _mm512_fmadd_ps(c##i, m, a);
        STEP16(0)
#undef X
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                             _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)),
                                       _mm512_add_ps(_mm512_add_ps(c12, c13), _mm512_add_ps(c14, c15))));
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma")))
static float chains256(long iters, float seed) {
    __m256 m = _mm256_set1_ps(1.0f - seed * 1e-7f), a = _mm256_set1_ps(seed * 1e-3f);
    __m256 c0 = _mm256_set1_ps(seed), c1 = _mm256_set1_ps(seed + 1), c2 = _mm256_set1_ps(seed + 2);
    __m256 c3 = _mm256_set1_ps(seed + 3), c4 = _mm256_set1_ps(seed + 4), c5 = _mm256_set1_ps(seed + 5);
    __m256 c6 = _mm256_set1_ps(seed + 6), c7 = _mm256_set1_ps(seed + 7), c8 = _mm256_set1_ps(seed + 8);
    __m256 c9 = _mm256_set1_ps(seed + 9), c10 = _mm256_set1_ps(seed + 10), c11 = _mm256_set1_ps(seed + 11);
    for (long it = 0; it < iters; it++) {
#define X(i) c##i = _mm256_fmadd_ps(c##i, m, a);
        STEP12(0)
#undef X
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                             _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}

static int use512;
static int chains;
static int lanes;

typedef struct {
    long iters;
    float seed;
    float sink;
} job_t;

static void *work(void *p) {
    job_t *j = p;
    j->sink = use512 ? chains512(j->iters, j->seed) : chains256(j->iters, j->seed);
    return NULL;
}

/* Wall seconds for `threads` threads each running `iters` iterations at once. */
static double timed(int threads, long iters, float seed) {
    pthread_t tid[2];
    job_t jobs[2];
    double t0 = now();
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job_t) {iters, seed + t, 0};
        if (pthread_create(&tid[t], NULL, work, &jobs[t]) != 0) { perror("fma_peak: pthread_create"); exit(1); }
    }
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    double dt = now() - t0;
    /* Use the results, so the loops cannot be dropped. */
    if (jobs[0].sink == 12345.678f) fprintf(stderr, "#\n");
    return dt;
}

static void cpu_line(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512], family[64] = "?", model[64] = "?", name[256] = "?";
    if (f == NULL) { printf("# CPU: /proc/cpuinfo not readable\n"); return; }
    while (fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        if (colon == NULL) continue;
        char *value = colon + 2 <= line + strlen(line) ? colon + 2 : colon + 1;
        value[strcspn(value, "\n")] = 0;
        if (strncmp(line, "cpu family", 10) == 0 && family[0] == '?') snprintf(family, sizeof family, "%s", value);
        else if (strncmp(line, "model name", 10) == 0 && name[0] == '?') snprintf(name, sizeof name, "%s", value);
        else if (strncmp(line, "model\t", 6) == 0 && model[0] == '?') snprintf(model, sizeof model, "%s", value);
    }
    fclose(f);
    printf("# CPU: family %s, model %s, model name %s\n", family, model, name);
}

int main(int argc, char **argv) {
    double seconds = 0.3;
    if (argc > 2 || (argc == 2 && ((seconds = atof(argv[1])) <= 0 || seconds > 60))) {
        fprintf(stderr, "fma_peak: the only argument is the seconds per run, in (0, 60], got '%s'\n", argv[1]);
        return 2;
    }
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        use512 = 1, chains = 16, lanes = 16;
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        use512 = 0, chains = 12, lanes = 8;
    } else {
        fprintf(stderr, "fma_peak: this CPU has neither AVX-512F nor AVX2+FMA\n");
        return 3;
    }
    cpu_line();
    printf("# fma c: %d independent chains of %d-bit FMAs per thread (%d flops each), best of %d runs of ~%.2f s\n",
           chains, lanes * 32, 2 * lanes, RUNS, seconds);
    /* Size the runs: iterations per second on one thread, from a short run after a warm-up. */
    timed(1, 1000000, 1.0f);
    long probe = 4000000;
    double rate = probe / timed(1, probe, 1.0f);
    long iters = (long) (rate * seconds);
    for (int threads = 1; threads <= 2; threads++) {
        double best = 0;
        for (int r = 0; r < RUNS; r++) {
            double dt = timed(threads, iters, 1.0f + r);
            double gflops = (double) threads * iters * chains * lanes * 2 / dt / 1e9;
            if (gflops > best) best = gflops;
        }
        printf("fma c gflops_%d%s %.1f\n", threads, threads == 1 ? "thread" : "threads", best);
        fflush(stdout);
    }
    return 0;
}
