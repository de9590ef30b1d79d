package octoquant.engine.ops;

import octoquant.engine.kernels.WinogradTransforms;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradTransforms}' input and output transforms on the Vector API: consecutive tiles (flat
 * index th·tilesW + tw, across tile rows) in the lanes of one vector, the scalar loops for the tails.
 * The same operations in the same order per value as the scalar loops, so the same bits. Created
 * only by the Vector API provider ({@code octoquant.engine.vectorization}).
 * It uses only the preferred species, the one the GEMM kernels use (why: {@code docs/decisions.md}).
 */
public final class VectorWinogradTransforms extends WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Interleaving a and b as lanes a0 b0 a1 b1 ...: each vector's half spread to pairs of lanes
     * ({@code SPREAD_LO}: lanes 0 0 1 1 ..., {@code SPREAD_HI}: the high half), then b's copies blended into
     * the odd lanes. One-vector shuffles with in-range indices (why not the two-vector
     * rearrange: {@code docs/decisions.md}).
     */
    private static final VectorShuffle<Float> SPREAD_LO = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> SPREAD_HI = VectorShuffle.fromOp(S, i -> L / 2 + i / 2);
    private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);

    /** For the Vector API provider only. */
    public VectorWinogradTransforms() {}

    @Override
    public void input(float[] par, int tilesH, int tilesW, float[] v, int vOff, int vStride) {
        int pl = parityPlane(tilesH, tilesW), p01 = pl, p10 = 2 * pl, p11 = 3 * pl, n = tilesH * tilesW;
        int full = n - n % L;
        for (int i = 0; i < full; i += L) {
            int j = i + tilesW, t = vOff + i;
            FloatVector d00 = FloatVector.fromArray(S, par, i), d01 = FloatVector.fromArray(S, par, p01 + i), d02 = FloatVector.fromArray(S, par, i + 1), d03 = FloatVector.fromArray(S, par, p01 + i + 1);
            FloatVector d10 = FloatVector.fromArray(S, par, p10 + i), d11 = FloatVector.fromArray(S, par, p11 + i), d12 = FloatVector.fromArray(S, par, p10 + i + 1), d13 = FloatVector.fromArray(S, par, p11 + i + 1);
            FloatVector d20 = FloatVector.fromArray(S, par, j), d21 = FloatVector.fromArray(S, par, p01 + j), d22 = FloatVector.fromArray(S, par, j + 1), d23 = FloatVector.fromArray(S, par, p01 + j + 1);
            FloatVector d30 = FloatVector.fromArray(S, par, p10 + j), d31 = FloatVector.fromArray(S, par, p11 + j), d32 = FloatVector.fromArray(S, par, p10 + j + 1), d33 = FloatVector.fromArray(S, par, p11 + j + 1);
            // Each row (a0..a3) of Bᵀ d, times B: four values of V. Written out rather than in a helper taking
            // vectors: a call C2 does not inline boxes its vector arguments (seen as allocation in profiles).
            FloatVector a00 = d00.sub(d20), a01 = d01.sub(d21), a02 = d02.sub(d22), a03 = d03.sub(d23);
            int t0 = t;
            a00.sub(a02).intoArray(v, t0);
            a01.add(a02).intoArray(v, t0 + vStride);
            a02.sub(a01).intoArray(v, t0 + 2 * vStride);
            a01.sub(a03).intoArray(v, t0 + 3 * vStride);
            FloatVector a10 = d10.add(d20), a11 = d11.add(d21), a12 = d12.add(d22), a13 = d13.add(d23);
            int t1 = t + 4 * vStride;
            a10.sub(a12).intoArray(v, t1);
            a11.add(a12).intoArray(v, t1 + vStride);
            a12.sub(a11).intoArray(v, t1 + 2 * vStride);
            a11.sub(a13).intoArray(v, t1 + 3 * vStride);
            FloatVector a20 = d20.sub(d10), a21 = d21.sub(d11), a22 = d22.sub(d12), a23 = d23.sub(d13);
            int t2 = t + 8 * vStride;
            a20.sub(a22).intoArray(v, t2);
            a21.add(a22).intoArray(v, t2 + vStride);
            a22.sub(a21).intoArray(v, t2 + 2 * vStride);
            a21.sub(a23).intoArray(v, t2 + 3 * vStride);
            FloatVector a30 = d10.sub(d30), a31 = d11.sub(d31), a32 = d12.sub(d32), a33 = d13.sub(d33);
            int t3 = t + 12 * vStride;
            a30.sub(a32).intoArray(v, t3);
            a31.add(a32).intoArray(v, t3 + vStride);
            a32.sub(a31).intoArray(v, t3 + 2 * vStride);
            a31.sub(a33).intoArray(v, t3 + 3 * vStride);
        }
        inputFlat(par, tilesH, tilesW, full, v, vOff, vStride);
        fixLastColumn(par, tilesH, tilesW, v, vOff, vStride);
    }

    @Override
    public void output(float[] m, int mOff, int mStride, int tilesH, int tilesW, float[] y, int yOff,
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
            FloatVector m0 = FloatVector.fromArray(S, m, at), m1 = FloatVector.fromArray(S, m, at + mStride), m2 = FloatVector.fromArray(S, m, at + 2 * mStride), m3 = FloatVector.fromArray(S, m, at + 3 * mStride);
            FloatVector m4 = FloatVector.fromArray(S, m, at + 4 * mStride), m5 = FloatVector.fromArray(S, m, at + 5 * mStride), m6 = FloatVector.fromArray(S, m, at + 6 * mStride), m7 = FloatVector.fromArray(S, m, at + 7 * mStride);
            FloatVector m8 = FloatVector.fromArray(S, m, at + 8 * mStride), m9 = FloatVector.fromArray(S, m, at + 9 * mStride), m10 = FloatVector.fromArray(S, m, at + 10 * mStride), m11 = FloatVector.fromArray(S, m, at + 11 * mStride);
            FloatVector m12 = FloatVector.fromArray(S, m, at + 12 * mStride), m13 = FloatVector.fromArray(S, m, at + 13 * mStride), m14 = FloatVector.fromArray(S, m, at + 14 * mStride), m15 = FloatVector.fromArray(S, m, at + 15 * mStride);
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
                FloatVector.fromArray(S, y, d).add(r0).intoArray(y, d);
                FloatVector.fromArray(S, y, d + outW).add(r1).intoArray(y, d + outW);
                FloatVector.fromArray(S, y, d2).add(r2).intoArray(y, d2);
                FloatVector.fromArray(S, y, d2 + outW).add(r3).intoArray(y, d2 + outW);
            } else {
                r0.intoArray(y, d);
                r1.intoArray(y, d + outW);
                r2.intoArray(y, d2);
                r3.intoArray(y, d2 + outW);
            }
        }
        outputTail(m, mOff, mStride, tilesH, tilesW, full, y, yOff, outH, outW, accumulate);
    }
}
