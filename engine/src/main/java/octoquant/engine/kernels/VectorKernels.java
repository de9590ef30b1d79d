package octoquant.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API ({@code jdk.incubator.vector}) at the platform's preferred width (16
 * float lanes with AVX-512). Created only by the Vector API provider ({@link VectorizationProvider}), which
 * is loaded once the module is known to be readable, so a JVM without
 * {@code --add-modules jdk.incubator.vector} never touches this class. Reductions use fused multiply-add
 * (one rounding per step).
 */
public final class VectorKernels extends Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vectors per wide micro-kernel row: 4 rows × 4 vectors = 16 accumulators in registers. */
    private static final int NV = 4;
    private static final int WIDE = NV * L;

    /** For the Vector API provider only. */
    public VectorKernels() {}

    /** Bits of the preferred vector shape; the provider refuses the Vector API below 128 (no real SIMD). */
    public static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int floatLanes() {
        return L;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        // Four independent accumulators hide the FMA latency; the order is fixed for a given n.
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int end4 = n - 4 * L; i <= end4; i += 4 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), s3);
        }
        for (int end = n - L; i <= end; i += L) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
        }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int end = n - L; i <= end; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        FloatVector z = FloatVector.zero(S);
        int i = 0;
        for (int end = n - L; i <= end; i += L) FloatVector.fromArray(S, x, i).max(z).intoArray(y, i);
        for (; i < n; i++) y[i] = Math.max(x[i], 0f);
    }

    @Override
    public void reluBackward(float[] x, float[] g, float[] gx, int n) {
        // A compare and a blend instead of the scalar loop's data-dependent branch (random signs mispredict).
        FloatVector z = FloatVector.zero(S);
        int i = 0;
        for (int end = n - L; i <= end; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, gx, i).add(z.blend(FloatVector.fromArray(S, g, i), pos)).intoArray(gx, i);
        }
        for (; i < n; i++) gx[i] += x[i] > 0f ? g[i] : 0f;
    }

    @Override
    public void adamUpdate(float[] g, float[] m, float[] v, float[] delta, int from, int to,
                           float beta1, float beta2, float stepSize, float bc2Sqrt, float eps) {
        // The default's operations lane by lane, in the same order (mul and add, not fma).
        float c1 = 1 - beta1, c2 = 1 - beta2, neg = -stepSize;
        FloatVector vc1 = FloatVector.broadcast(S, c1), vc2 = FloatVector.broadcast(S, c2);
        FloatVector vb2 = FloatVector.broadcast(S, beta2), vneg = FloatVector.broadcast(S, neg);
        FloatVector vbc = FloatVector.broadcast(S, bc2Sqrt), veps = FloatVector.broadcast(S, eps);
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i);
            FloatVector vi = FloatVector.fromArray(S, v, i);
            FloatVector mv = mi.add(vc1.mul(gi.sub(mi)));
            FloatVector vv = vb2.mul(vi).add(vc2.mul(gi).mul(gi));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            vneg.mul(mv).div(vv.lanewise(VectorOperators.SQRT).div(vbc).add(veps)).intoArray(delta, i);
        }
        if (i < to) super.adamUpdate(g, m, v, delta, i, to, beta1, beta2, stepSize, bc2Sqrt, eps);
    }

    @Override
    public int gemmWideWidth() {
        return WIDE;
    }

    @Override
    public int gemmNarrowWidth() {
        return L;
    }

    @Override
    public void gemmMicroKernel(int kc, float[] ap, int apOff, int aRowStride, int aStepStride,
                                float[] bp, int bpOff, boolean narrow, float[] c, int cOff, int ldc) {
        if (narrow) microNarrow(kc, ap, apOff, aRowStride, aStepStride, bp, bpOff, c, cOff, ldc);
        else microWide(kc, ap, apOff, aRowStride, aStepStride, bp, bpOff, c, cOff, ldc);
    }

    /**
     * The full wide tile with each row's four vectors written out: a 512³ product on one thread took 0.98
     * of its time with the rows through {@link #axpy} (docs/decisions.md, session 21). Kept small, in a
     * method of its own, so its adds and stores stay a few nodes of C2's graph whatever is compiled
     * around them (an accumulating copy of {@link #microWide} had its later stores compiled as boxing Java
     * code in some JVMs; session 21).
     */
    @Override
    public void gemmAddTile(float[] tile, int w, int rows, int cols, float[] c, int cOff, int ldc) {
        if (w != WIDE || rows != GEMM_MR || cols != WIDE) {
            super.gemmAddTile(tile, w, rows, cols, c, cOff, ldc);
            return;
        }
        for (int r = 0; r < GEMM_MR; r++) {
            int cr = cOff + r * ldc, tr = r * WIDE;
            FloatVector.fromArray(S, c, cr).add(FloatVector.fromArray(S, tile, tr)).intoArray(c, cr);
            FloatVector.fromArray(S, c, cr + L).add(FloatVector.fromArray(S, tile, tr + L)).intoArray(c, cr + L);
            FloatVector.fromArray(S, c, cr + 2 * L).add(FloatVector.fromArray(S, tile, tr + 2 * L)).intoArray(c, cr + 2 * L);
            FloatVector.fromArray(S, c, cr + 3 * L).add(FloatVector.fromArray(S, tile, tr + 3 * L)).intoArray(c, cr + 3 * L);
        }
    }

    /**
     * 4 rows × 4 vectors: 16 accumulators, 4 B loads and 4 broadcasts per 16 FMAs, stored into C. Only
     * stores: an accumulating GEMM adds the stored tile with {@link #gemmAddTile} (docs/decisions.md,
     * sessions 12 and 21).
     */
    private static void microWide(int kc, float[] ap, int apOff, int rs, int ps, float[] bp, int bpOff,
                                  float[] c, int cOff, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        // Running indices into A and B, not p-based offsets from four row bases: with the latter, JDK 17's
        // C2 kept too many scalars live and copied a third of the accumulators between registers every step.
        int s2 = 2 * rs, s3 = 3 * rs, ia = apOff, ib = bpOff;
        FloatVector a, b0, b1, b2, b3;
        for (int p = 0; p < kc; p++, ia += ps, ib += WIDE) {
            b0 = FloatVector.fromArray(S, bp, ib);
            b1 = FloatVector.fromArray(S, bp, ib + L);
            b2 = FloatVector.fromArray(S, bp, ib + 2 * L);
            b3 = FloatVector.fromArray(S, bp, ib + 3 * L);
            a = FloatVector.broadcast(S, ap[ia]);
            c00 = b0.fma(a, c00); c01 = b1.fma(a, c01); c02 = b2.fma(a, c02); c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(S, ap[ia + rs]);
            c10 = b0.fma(a, c10); c11 = b1.fma(a, c11); c12 = b2.fma(a, c12); c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(S, ap[ia + s2]);
            c20 = b0.fma(a, c20); c21 = b1.fma(a, c21); c22 = b2.fma(a, c22); c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(S, ap[ia + s3]);
            c30 = b0.fma(a, c30); c31 = b1.fma(a, c31); c32 = b2.fma(a, c32); c33 = b3.fma(a, c33);
        }
        // Written out rather than through a helper: a helper that is not inlined (C2's node budget) would
        // box the vectors it takes.
        int r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c02.intoArray(c, cOff + 2 * L);
        c03.intoArray(c, cOff + 3 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
        c33.intoArray(c, r3 + 3 * L);
    }

    /**
     * 4 rows × 1 vector, for the columns after the last wide panel. Four accumulators alone would wait on
     * the FMA latency, so even and odd steps of p go to two sets that are added at the end (a fixed
     * order for a given kc, so still independent of the thread split).
     */
    private static void microNarrow(int kc, float[] ap, int apOff, int rs, int ps, float[] bp, int bpOff,
                                    float[] c, int cOff, int ldc) {
        int a0 = apOff, a1 = apOff + rs, a2 = apOff + 2 * rs, a3 = apOff + 3 * rs;
        FloatVector z = FloatVector.zero(S);
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z, o0 = z, o1 = z, o2 = z, o3 = z;
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            int pa = p * ps, pb = pa + ps;
            FloatVector b = FloatVector.fromArray(S, bp, bpOff + p * L);
            FloatVector bn = FloatVector.fromArray(S, bp, bpOff + p * L + L);
            e0 = b.fma(FloatVector.broadcast(S, ap[a0 + pa]), e0);
            e1 = b.fma(FloatVector.broadcast(S, ap[a1 + pa]), e1);
            e2 = b.fma(FloatVector.broadcast(S, ap[a2 + pa]), e2);
            e3 = b.fma(FloatVector.broadcast(S, ap[a3 + pa]), e3);
            o0 = bn.fma(FloatVector.broadcast(S, ap[a0 + pb]), o0);
            o1 = bn.fma(FloatVector.broadcast(S, ap[a1 + pb]), o1);
            o2 = bn.fma(FloatVector.broadcast(S, ap[a2 + pb]), o2);
            o3 = bn.fma(FloatVector.broadcast(S, ap[a3 + pb]), o3);
        }
        if (p < kc) {
            int pa = p * ps;
            FloatVector b = FloatVector.fromArray(S, bp, bpOff + p * L);
            e0 = b.fma(FloatVector.broadcast(S, ap[a0 + pa]), e0);
            e1 = b.fma(FloatVector.broadcast(S, ap[a1 + pa]), e1);
            e2 = b.fma(FloatVector.broadcast(S, ap[a2 + pa]), e2);
            e3 = b.fma(FloatVector.broadcast(S, ap[a3 + pa]), e3);
        }
        FloatVector c0 = e0.add(o0), c1 = e1.add(o1), c2 = e2.add(o2), c3 = e3.add(o3);
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + ldc);
        c2.intoArray(c, cOff + 2 * ldc);
        c3.intoArray(c, cOff + 3 * ldc);
    }

    @Override
    public boolean hasGemmDotTile() {
        return L == 16;
    }

    @Override
    public void gemmDotTile(int k, float[] a, int aRow0, int aRow1, int aRow2, int aRow3,
                            float[] b, int bRow0, int bRow1, int bRow2, int bRow3, float[] out) {
        // Products and reduction are two methods: compiled as one, C2 ran out of registers in the loop
        // and kept an accumulator on the stack, a store and a reload on every step (docs/decisions.md).
        float[] acc = DOT_ACCUMULATORS.get();
        int kv = k - k % L;
        dotTileProducts(kv, a, aRow0, aRow1, aRow2, aRow3, b, bRow0, bRow1, bRow2, bRow3, acc);
        reduceDotTile(acc, out);
        if (kv < k) {
            // The k % 16 tail, element by element in increasing p.
            tail(out, 0, a, aRow0, b, bRow0, bRow1, bRow2, bRow3, kv, k);
            tail(out, 4, a, aRow1, b, bRow0, bRow1, bRow2, bRow3, kv, k);
            tail(out, 8, a, aRow2, b, bRow0, bRow1, bRow2, bRow3, kv, k);
            tail(out, 12, a, aRow3, b, bRow0, bRow1, bRow2, bRow3, kv, k);
        }
    }

    /** A dot tile's 16 accumulators (vector t at {@code 16·t}), per thread. */
    private static final ThreadLocal<float[]> DOT_ACCUMULATORS = ThreadLocal.withInitial(() -> new float[16 * 16]);

    /**
     * The tile's 16 lane-wise partial sums over {@code p < kv} (a multiple of L), accumulator t = r·4 + c
     * for A row r and B row c, stored at {@code acc[16·t ..]}.
     */
    private static void dotTileProducts(int kv, float[] a, int aRow0, int aRow1, int aRow2, int aRow3,
                                        float[] b, int bRow0, int bRow1, int bRow2, int bRow3, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector v0 = z, v1 = z, v2 = z, v3 = z, v4 = z, v5 = z, v6 = z, v7 = z;
        FloatVector v8 = z, v9 = z, v10 = z, v11 = z, v12 = z, v13 = z, v14 = z, v15 = z;
        for (int p = 0; p < kv; p += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bRow0 + p);
            FloatVector b1 = FloatVector.fromArray(S, b, bRow1 + p);
            FloatVector b2 = FloatVector.fromArray(S, b, bRow2 + p);
            FloatVector b3 = FloatVector.fromArray(S, b, bRow3 + p);
            FloatVector x = FloatVector.fromArray(S, a, aRow0 + p);
            v0 = x.fma(b0, v0); v1 = x.fma(b1, v1); v2 = x.fma(b2, v2); v3 = x.fma(b3, v3);
            x = FloatVector.fromArray(S, a, aRow1 + p);
            v4 = x.fma(b0, v4); v5 = x.fma(b1, v5); v6 = x.fma(b2, v6); v7 = x.fma(b3, v7);
            x = FloatVector.fromArray(S, a, aRow2 + p);
            v8 = x.fma(b0, v8); v9 = x.fma(b1, v9); v10 = x.fma(b2, v10); v11 = x.fma(b3, v11);
            x = FloatVector.fromArray(S, a, aRow3 + p);
            v12 = x.fma(b0, v12); v13 = x.fma(b1, v13); v14 = x.fma(b2, v14); v15 = x.fma(b3, v15);
        }
        v0.intoArray(acc, 0); v1.intoArray(acc, 16); v2.intoArray(acc, 32); v3.intoArray(acc, 48);
        v4.intoArray(acc, 64); v5.intoArray(acc, 80); v6.intoArray(acc, 96); v7.intoArray(acc, 112);
        v8.intoArray(acc, 128); v9.intoArray(acc, 144); v10.intoArray(acc, 160); v11.intoArray(acc, 176);
        v12.intoArray(acc, 192); v13.intoArray(acc, 208); v14.intoArray(acc, 224); v15.intoArray(acc, 240);
    }

    /**
     * {@code out[t]} = the sum of accumulator t's lanes ({@code acc[16·t ..]}) in the contract's order:
     * lane q with q + 8, then q + 4, q + 2, q + 1. In scalars: the Vector API's butterfly of rearranges and
     * blends passed C2's inlining cutoff, and some JVMs compiled its store as boxing Java code; these
     * adds cost the same in the step (docs/decisions.md, session 21).
     */
    private static void reduceDotTile(float[] acc, float[] out) {
        for (int t = 0; t < 16; t++) {
            int b = 16 * t;
            float a0 = acc[b] + acc[b + 8], a1 = acc[b + 1] + acc[b + 9], a2 = acc[b + 2] + acc[b + 10];
            float a3 = acc[b + 3] + acc[b + 11], a4 = acc[b + 4] + acc[b + 12], a5 = acc[b + 5] + acc[b + 13];
            float a6 = acc[b + 6] + acc[b + 14], a7 = acc[b + 7] + acc[b + 15];
            float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
            out[t] = (b0 + b2) + (b1 + b3);
        }
    }

    private static void tail(float[] out, int at, float[] a, int aRow, float[] b, int b0, int b1, int b2, int b3,
                             int from, int k) {
        float s0 = out[at], s1 = out[at + 1], s2 = out[at + 2], s3 = out[at + 3];
        for (int p = from; p < k; p++) {
            float x = a[aRow + p];
            s0 = Math.fma(x, b[b0 + p], s0);
            s1 = Math.fma(x, b[b1 + p], s1);
            s2 = Math.fma(x, b[b2 + p], s2);
            s3 = Math.fma(x, b[b3 + p], s3);
        }
        out[at] = s0;
        out[at + 1] = s1;
        out[at + 2] = s2;
        out[at + 3] = s3;
    }
}
