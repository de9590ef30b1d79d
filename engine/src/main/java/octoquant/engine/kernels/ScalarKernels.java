package octoquant.engine.kernels;

/**
 * Plain Java loops: always available, the reference the vector backend is tested against. Each step of
 * a reduction is a multiply then an add (two roundings), in index order.
 */
public final class ScalarKernels implements Kernels {
    private static final int WIDE = 4;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int floatLanes() {
        return 1;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public int gemmWideWidth() {
        return WIDE;
    }

    @Override
    public int gemmNarrowWidth() {
        return 1;
    }

    @Override
    public void gemmMicroKernel(int kc, float[] ap, int apOff, int rs, int ps,
                                float[] bp, int bpOff, boolean narrow, float[] c, int cOff, int ldc, boolean add) {
        if (narrow) {
            microNarrow(kc, ap, apOff, rs, ps, bp, bpOff, c, cOff, ldc, add);
            return;
        }
        int r0 = apOff, r1 = apOff + rs, r2 = apOff + 2 * rs, r3 = apOff + 3 * rs;
        // 4×4 tile in 16 locals so the JIT can keep them in registers.
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int pa = p * ps, bi = bpOff + p * WIDE;
            float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            float a0 = ap[r0 + pa];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            float a1 = ap[r1 + pa];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            float a2 = ap[r2 + pa];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            float a3 = ap[r3 + pa];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        put4(c, cOff, add, c00, c01, c02, c03);
        put4(c, cOff + ldc, add, c10, c11, c12, c13);
        put4(c, cOff + 2 * ldc, add, c20, c21, c22, c23);
        put4(c, cOff + 3 * ldc, add, c30, c31, c32, c33);
    }

    private static void microNarrow(int kc, float[] ap, int apOff, int rs, int ps, float[] bp, int bpOff,
                                    float[] c, int cOff, int ldc, boolean add) {
        int r0 = apOff, r1 = apOff + rs, r2 = apOff + 2 * rs, r3 = apOff + 3 * rs;
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int p = 0; p < kc; p++) {
            int pa = p * ps;
            float b = bp[bpOff + p];
            c0 += ap[r0 + pa] * b;
            c1 += ap[r1 + pa] * b;
            c2 += ap[r2 + pa] * b;
            c3 += ap[r3 + pa] * b;
        }
        c[cOff] = add ? c[cOff] + c0 : c0;
        c[cOff + ldc] = add ? c[cOff + ldc] + c1 : c1;
        c[cOff + 2 * ldc] = add ? c[cOff + 2 * ldc] + c2 : c2;
        c[cOff + 3 * ldc] = add ? c[cOff + 3 * ldc] + c3 : c3;
    }

    private static void put4(float[] c, int at, boolean add, float v0, float v1, float v2, float v3) {
        if (add) {
            c[at] += v0;
            c[at + 1] += v1;
            c[at + 2] += v2;
            c[at + 3] += v3;
        } else {
            c[at] = v0;
            c[at + 1] = v1;
            c[at + 2] = v2;
            c[at + 3] = v3;
        }
    }
}
