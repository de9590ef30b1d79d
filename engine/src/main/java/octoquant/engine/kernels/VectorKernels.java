package octoquant.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Vector API ({@code jdk.incubator.vector}) at the platform's preferred width (16 float
 * lanes with AVX-512). Only ever loaded reflectively by {@link KernelProvider} once the module is known
 * to be readable, so a JVM without {@code --add-modules jdk.incubator.vector} never touches this class.
 * Reductions use fused multiply-add (one rounding per step).
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = GEMM_MR;
    /** Vectors per wide micro-kernel row: 4 rows × 4 vectors = 16 accumulators in registers. */
    private static final int NV = 4;
    private static final int WIDE = NV * L;

    /** Bits of the preferred vector shape; the provider refuses this backend below 128 (no real SIMD). */
    static int preferredBits() {
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
    public int gemmWideWidth() {
        return WIDE;
    }

    @Override
    public int gemmNarrowWidth() {
        return L;
    }

    @Override
    public void gemmMicroKernel(int kc, float[] ap, int apOff, float[] bp, int bpOff, boolean narrow,
                                float[] c, int cOff, int ldc, boolean add) {
        if (narrow) microNarrow(kc, ap, apOff, bp, bpOff, c, cOff, ldc, add);
        else microWide(kc, ap, apOff, bp, bpOff, c, cOff, ldc, add);
    }

    /** 4 rows × 4 vectors: 16 accumulators, 4 B loads and 4 broadcasts per 16 FMAs. */
    private static void microWide(int kc, float[] ap, int apOff, float[] bp, int bpOff,
                                  float[] c, int cOff, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bpOff + p * WIDE, ai = apOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(a, c00); c01 = b1.fma(a, c01); c02 = b2.fma(a, c02); c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(a, c10); c11 = b1.fma(a, c11); c12 = b2.fma(a, c12); c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(a, c20); c21 = b1.fma(a, c21); c22 = b2.fma(a, c22); c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(a, c30); c31 = b1.fma(a, c31); c32 = b2.fma(a, c32); c33 = b3.fma(a, c33);
        }
        storeRow(c, cOff, add, c00, c01, c02, c03);
        storeRow(c, cOff + ldc, add, c10, c11, c12, c13);
        storeRow(c, cOff + 2 * ldc, add, c20, c21, c22, c23);
        storeRow(c, cOff + 3 * ldc, add, c30, c31, c32, c33);
    }

    private static void storeRow(float[] c, int at, boolean add, FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, at));
            v1 = v1.add(FloatVector.fromArray(S, c, at + L));
            v2 = v2.add(FloatVector.fromArray(S, c, at + 2 * L));
            v3 = v3.add(FloatVector.fromArray(S, c, at + 3 * L));
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + L);
        v2.intoArray(c, at + 2 * L);
        v3.intoArray(c, at + 3 * L);
    }

    /** 4 rows × 1 vector, for the columns after the last wide panel. */
    private static void microNarrow(int kc, float[] ap, int apOff, float[] bp, int bpOff,
                                    float[] c, int cOff, int ldc, boolean add) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            int ai = apOff + p * MR;
            FloatVector b = FloatVector.fromArray(S, bp, bpOff + p * L);
            c0 = b.fma(FloatVector.broadcast(S, ap[ai]), c0);
            c1 = b.fma(FloatVector.broadcast(S, ap[ai + 1]), c1);
            c2 = b.fma(FloatVector.broadcast(S, ap[ai + 2]), c2);
            c3 = b.fma(FloatVector.broadcast(S, ap[ai + 3]), c3);
        }
        storeOne(c, cOff, add, c0);
        storeOne(c, cOff + ldc, add, c1);
        storeOne(c, cOff + 2 * ldc, add, c2);
        storeOne(c, cOff + 3 * ldc, add, c3);
    }

    private static void storeOne(float[] c, int at, boolean add, FloatVector v) {
        if (add) v = v.add(FloatVector.fromArray(S, c, at));
        v.intoArray(c, at);
    }
}
