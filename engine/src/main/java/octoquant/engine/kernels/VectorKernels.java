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
    public void gemmMicroKernel(int kc, float[] ap, int apOff, int aRowStride, int aStepStride,
                                float[] bp, int bpOff, boolean narrow, float[] c, int cOff, int ldc, boolean add) {
        if (narrow) microNarrow(kc, ap, apOff, aRowStride, aStepStride, bp, bpOff, c, cOff, ldc, add);
        else microWide(kc, ap, apOff, aRowStride, aStepStride, bp, bpOff, c, cOff, ldc, add);
    }

    /** 4 rows × 4 vectors: 16 accumulators, 4 B loads and 4 broadcasts per 16 FMAs. */
    private static void microWide(int kc, float[] ap, int apOff, int rs, int ps, float[] bp, int bpOff,
                                  float[] c, int cOff, int ldc, boolean add) {
        int a0 = apOff, a1 = apOff + rs, a2 = apOff + 2 * rs, a3 = apOff + 3 * rs;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bpOff + p * WIDE, pa = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector a = FloatVector.broadcast(S, ap[a0 + pa]);
            c00 = b0.fma(a, c00); c01 = b1.fma(a, c01); c02 = b2.fma(a, c02); c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(S, ap[a1 + pa]);
            c10 = b0.fma(a, c10); c11 = b1.fma(a, c11); c12 = b2.fma(a, c12); c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(S, ap[a2 + pa]);
            c20 = b0.fma(a, c20); c21 = b1.fma(a, c21); c22 = b2.fma(a, c22); c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(S, ap[a3 + pa]);
            c30 = b0.fma(a, c30); c31 = b1.fma(a, c31); c32 = b2.fma(a, c32); c33 = b3.fma(a, c33);
        }
        // Written out rather than through a helper, and no vector is reassigned across the branch: a
        // helper that is not inlined (C2's node budget) or a vector merged through a phi would be boxed,
        // i.e. allocate in the hottest loop.
        int r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        if (add) {
            c00.add(FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c01.add(FloatVector.fromArray(S, c, cOff + L)).intoArray(c, cOff + L);
            c02.add(FloatVector.fromArray(S, c, cOff + 2 * L)).intoArray(c, cOff + 2 * L);
            c03.add(FloatVector.fromArray(S, c, cOff + 3 * L)).intoArray(c, cOff + 3 * L);
            c10.add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
            c11.add(FloatVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
            c12.add(FloatVector.fromArray(S, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
            c13.add(FloatVector.fromArray(S, c, r1 + 3 * L)).intoArray(c, r1 + 3 * L);
            c20.add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
            c21.add(FloatVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
            c22.add(FloatVector.fromArray(S, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
            c23.add(FloatVector.fromArray(S, c, r2 + 3 * L)).intoArray(c, r2 + 3 * L);
            c30.add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
            c31.add(FloatVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
            c32.add(FloatVector.fromArray(S, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
            c33.add(FloatVector.fromArray(S, c, r3 + 3 * L)).intoArray(c, r3 + 3 * L);
        } else {
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
    }

    /** 4 rows × 1 vector, for the columns after the last wide panel. */
    private static void microNarrow(int kc, float[] ap, int apOff, int rs, int ps, float[] bp, int bpOff,
                                    float[] c, int cOff, int ldc, boolean add) {
        int a0 = apOff, a1 = apOff + rs, a2 = apOff + 2 * rs, a3 = apOff + 3 * rs;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            int pa = p * ps;
            FloatVector b = FloatVector.fromArray(S, bp, bpOff + p * L);
            c0 = b.fma(FloatVector.broadcast(S, ap[a0 + pa]), c0);
            c1 = b.fma(FloatVector.broadcast(S, ap[a1 + pa]), c1);
            c2 = b.fma(FloatVector.broadcast(S, ap[a2 + pa]), c2);
            c3 = b.fma(FloatVector.broadcast(S, ap[a3 + pa]), c3);
        }
        if (add) {
            c0.add(FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c1.add(FloatVector.fromArray(S, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c2.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c3.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        } else {
            c0.intoArray(c, cOff);
            c1.intoArray(c, cOff + ldc);
            c2.intoArray(c, cOff + 2 * ldc);
            c3.intoArray(c, cOff + 3 * ldc);
        }
    }
}
