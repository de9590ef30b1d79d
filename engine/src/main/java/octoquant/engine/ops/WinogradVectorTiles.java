package octoquant.engine.ops;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradTransforms}' input and output transforms on the Vector API: consecutive tiles (flat
 * index th·tilesW + tw, across tile rows) in the lanes of one vector, the scalar loops for the tails.
 * The same operations in the same order per value as the scalar loops, so the same bits. Loaded
 * reflectively by {@link Winograd3x3} only when the engine runs its Vector API backend.
 *
 * <p>It uses the preferred species, the one the GEMM kernels use: on JDK 17 a second float species in
 * the same JVM makes {@code intoArray}'s call profile bimorphic and C2 then fails to intrinsify the
 * stores (measured: slower than the scalar loops).
 */
final class WinogradVectorTiles extends WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Interleaving a and b as lanes a0 b0 a1 b1 ...: each vector's half spread to pairs of lanes
     * ({@code SPREAD_LO}: lanes 0 0 1 1 ..., {@code SPREAD_HI}: the high half), then b's copies blended into
     * the odd lanes. One-vector shuffles with in-range indices: on JDK 17 the two-vector
     * {@code rearrange(shuffle, v)} rebuilds its shuffle on every call (measured 4× slower than scalar code).
     */
    private static final VectorShuffle<Float> SPREAD_LO = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> SPREAD_HI = VectorShuffle.fromOp(S, i -> L / 2 + i / 2);
    private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);

    @Override
    void input(float[] par, int tilesH, int tilesW, float[] v, int vOff, int vStride) {
        int pl = parityPlane(tilesH, tilesW), p01 = pl, p10 = 2 * pl, p11 = 3 * pl, n = tilesH * tilesW;
        int full = n - n % L;
        for (int i = 0; i < full; i += L) {
            int j = i + tilesW, t = vOff + i;
            FloatVector d00 = load(par, i), d01 = load(par, p01 + i), d02 = load(par, i + 1), d03 = load(par, p01 + i + 1);
            FloatVector d10 = load(par, p10 + i), d11 = load(par, p11 + i), d12 = load(par, p10 + i + 1), d13 = load(par, p11 + i + 1);
            FloatVector d20 = load(par, j), d21 = load(par, p01 + j), d22 = load(par, j + 1), d23 = load(par, p01 + j + 1);
            FloatVector d30 = load(par, p10 + j), d31 = load(par, p11 + j), d32 = load(par, p10 + j + 1), d33 = load(par, p11 + j + 1);
            row(d00.sub(d20), d01.sub(d21), d02.sub(d22), d03.sub(d23), v, t, vStride);
            row(d10.add(d20), d11.add(d21), d12.add(d22), d13.add(d23), v, t + 4 * vStride, vStride);
            row(d20.sub(d10), d21.sub(d11), d22.sub(d12), d23.sub(d13), v, t + 8 * vStride, vStride);
            row(d10.sub(d30), d11.sub(d31), d12.sub(d32), d13.sub(d33), v, t + 12 * vStride, vStride);
        }
        inputFlat(par, tilesH, tilesW, full, v, vOff, vStride);
        fixLastColumn(par, tilesH, tilesW, v, vOff, vStride);
    }

    /** One row (a0..a3) of Bᵀ d times B: four values of V. */
    private static void row(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, float[] v, int t, int vStride) {
        a0.sub(a2).intoArray(v, t);
        a1.add(a2).intoArray(v, t + vStride);
        a2.sub(a1).intoArray(v, t + 2 * vStride);
        a1.sub(a3).intoArray(v, t + 3 * vStride);
    }

    @Override
    void output(float[] m, int mOff, int mStride, int tilesH, int tilesW, float[] y, int yOff,
                int outH, int outW, boolean accumulate) {
        // Each half vector (L/2 tiles) is written as 2·(L/2) consecutive outputs of one row pair, which
        // needs whole rows of complete tiles: an even width with a multiple of L/2 tiles per row. Only
        // tile rows with both output rows are vectorised; the rest, and other shapes, go scalar.
        int half = L / 2, full = 0;
        if (outW % 2 == 0 && tilesW % half == 0) {
            int n = (outH / 2) * tilesW;
            full = n - n % L;
        }
        for (int t = 0; t < full; t += L) {
            int at = mOff + t;
            FloatVector m0 = load(m, at), m1 = load(m, at + mStride), m2 = load(m, at + 2 * mStride), m3 = load(m, at + 3 * mStride);
            FloatVector m4 = load(m, at + 4 * mStride), m5 = load(m, at + 5 * mStride), m6 = load(m, at + 6 * mStride), m7 = load(m, at + 7 * mStride);
            FloatVector m8 = load(m, at + 8 * mStride), m9 = load(m, at + 9 * mStride), m10 = load(m, at + 10 * mStride), m11 = load(m, at + 11 * mStride);
            FloatVector m12 = load(m, at + 12 * mStride), m13 = load(m, at + 13 * mStride), m14 = load(m, at + 14 * mStride), m15 = load(m, at + 15 * mStride);
            FloatVector s0 = m0.add(m4).add(m8), s1 = m1.add(m5).add(m9), s2 = m2.add(m6).add(m10), s3 = m3.add(m7).add(m11);
            FloatVector e0 = m4.sub(m8).sub(m12), e1 = m5.sub(m9).sub(m13), e2 = m6.sub(m10).sub(m14), e3 = m7.sub(m11).sub(m15);
            FloatVector y00 = s0.add(s1).add(s2), y01 = s1.sub(s2).sub(s3), y10 = e0.add(e1).add(e2), y11 = e1.sub(e2).sub(e3);
            // Tile t is at row 2·th, column 2·tw of y; tiles t .. t+half−1 share th (tilesW is a multiple of half).
            int th = t / tilesW, d = yOff + 2 * th * outW + 2 * (t - th * tilesW);
            int th2 = (t + half) / tilesW, d2 = yOff + 2 * th2 * outW + 2 * (t + half - th2 * tilesW);
            FloatVector r0 = y00.rearrange(SPREAD_LO).blend(y01.rearrange(SPREAD_LO), ODD);
            FloatVector r1 = y10.rearrange(SPREAD_LO).blend(y11.rearrange(SPREAD_LO), ODD);
            FloatVector r2 = y00.rearrange(SPREAD_HI).blend(y01.rearrange(SPREAD_HI), ODD);
            FloatVector r3 = y10.rearrange(SPREAD_HI).blend(y11.rearrange(SPREAD_HI), ODD);
            if (accumulate) {
                load(y, d).add(r0).intoArray(y, d);
                load(y, d + outW).add(r1).intoArray(y, d + outW);
                load(y, d2).add(r2).intoArray(y, d2);
                load(y, d2 + outW).add(r3).intoArray(y, d2 + outW);
            } else {
                r0.intoArray(y, d);
                r1.intoArray(y, d + outW);
                r2.intoArray(y, d2);
                r3.intoArray(y, d2 + outW);
            }
        }
        outputTail(m, mOff, mStride, tilesH, tilesW, full, y, yOff, outH, outW, accumulate);
    }

    @Override
    void outputPool(float[] m, int mOff, int mStride, int tilesH, int tilesW, int outH, int outW, float bias,
                    float[] out, int o, byte[] where) {
        // With an even width every tile of the pooled rows is a window and window p is tile p, so the
        // pooled values of L consecutive tiles are one vector, and so are their winners (training only).
        int full = 0;
        if (outW % 2 == 0) {
            int n = (outH / 2) * tilesW;
            full = n - n % L;
        }
        FloatVector zero = FloatVector.zero(S), vb = FloatVector.broadcast(S, bias);
        float[] four = where == null ? null : FOUR.get();
        for (int t = 0; t < full; t += L) {
            int at = mOff + t;
            FloatVector m0 = load(m, at), m1 = load(m, at + mStride), m2 = load(m, at + 2 * mStride), m3 = load(m, at + 3 * mStride);
            FloatVector m4 = load(m, at + 4 * mStride), m5 = load(m, at + 5 * mStride), m6 = load(m, at + 6 * mStride), m7 = load(m, at + 7 * mStride);
            FloatVector m8 = load(m, at + 8 * mStride), m9 = load(m, at + 9 * mStride), m10 = load(m, at + 10 * mStride), m11 = load(m, at + 11 * mStride);
            FloatVector m12 = load(m, at + 12 * mStride), m13 = load(m, at + 13 * mStride), m14 = load(m, at + 14 * mStride), m15 = load(m, at + 15 * mStride);
            FloatVector s0 = m0.add(m4).add(m8), s1 = m1.add(m5).add(m9), s2 = m2.add(m6).add(m10), s3 = m3.add(m7).add(m11);
            FloatVector e0 = m4.sub(m8).sub(m12), e1 = m5.sub(m9).sub(m13), e2 = m6.sub(m10).sub(m14), e3 = m7.sub(m11).sub(m15);
            FloatVector a = s0.add(s1).add(s2).add(vb).max(zero), b = s1.sub(s2).sub(s3).add(vb).max(zero);
            FloatVector c = e0.add(e1).add(e2).add(vb).max(zero), d = e1.sub(e2).sub(e3).add(vb).max(zero);
            FloatVector v = a.max(b).max(c.max(d));
            v.intoArray(out, o + t);
            if (where == null) continue;
            if (BYTES != null && !v.test(VectorOperators.IS_NAN).anyTrue()) {
                // The first of a..d holding v's bits: 3, unless c, b or a matches (the later test wins).
                IntVector bits = v.viewAsIntegralLanes().reinterpretAsInts();
                IntVector winner = THREE.blend(TWO, c.viewAsIntegralLanes().reinterpretAsInts().eq(bits))
                        .blend(ONE, b.viewAsIntegralLanes().reinterpretAsInts().eq(bits))
                        .blend(ZERO, a.viewAsIntegralLanes().reinterpretAsInts().eq(bits));
                ((ByteVector) winner.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(where, o + t);
            } else {
                // NaN (which NaN a vector max returns is not pinned down) or no byte species: the scalar rule.
                a.intoArray(four, 0);
                b.intoArray(four, L);
                c.intoArray(four, 2 * L);
                d.intoArray(four, 3 * L);
                for (int k = 0; k < L; k++) pool(four[k], four[L + k], four[2 * L + k], four[3 * L + k], out, where, o + t + k);
            }
        }
        outputPoolTail(m, mOff, mStride, tilesW, outH, outW, full, bias, out, o, where);
    }

    /** Bytes for L winners (null below 8 lanes: no byte vector that short), and the winner codes as ints. */
    private static final VectorSpecies<Byte> BYTES = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final IntVector ZERO = IntVector.zero(INTS), ONE = IntVector.broadcast(INTS, 1),
            TWO = IntVector.broadcast(INTS, 2), THREE = IntVector.broadcast(INTS, 3);

    /** Per-thread buffer for the four values of L windows while their winners are picked one by one. */
    private static final ThreadLocal<float[]> FOUR = ThreadLocal.withInitial(() -> new float[4 * L]);

    private static FloatVector load(float[] a, int off) {
        return FloatVector.fromArray(S, a, off);
    }
}
