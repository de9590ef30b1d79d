package octoquant.engine.ops;

import octoquant.engine.kernels.WinogradTransforms;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradTransforms} on the Vector API: consecutive tiles in the lanes of one vector, the scalar
 * loops for the tail. The same operations in the same order per value as the scalar loops, so the same
 * bits. Created only by the Vector API provider ({@code octoquant.engine.vectorization}).
 *
 * <p>Written for JDK 17's C2: each pass is a loop whose body loads, combines and stores its own vectors
 * (no vector lives across iterations or is passed to a helper, either of which can box it), and only the
 * preferred species is used, the one the GEMM kernels use (why: {@code docs/decisions.md}).
 */
public final class VectorWinogradTransforms extends WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final boolean POOL_USABLE = INTS.length() == L;

    /** For the Vector API provider only. */
    public VectorWinogradTransforms() {}

    @Override
    public void input(float[] d, int dOff, int dStride, float[] v, int vOff, int vStride, int count) {
        int ds = 6 * dStride, vs = 6 * vStride, full = count - count % L;
        FloatVector four = FloatVector.broadcast(S, 4f), m4 = FloatVector.broadcast(S, -4f);
        FloatVector m5 = FloatVector.broadcast(S, -5f), two = FloatVector.broadcast(S, 2f);
        for (int t = 0; t < full; t += L) {
            for (int j = 0; j < 6; j++) {
                int s = dOff + j * dStride + t;
                FloatVector x0 = FloatVector.fromArray(S, d, s), x1 = FloatVector.fromArray(S, d, s + ds);
                FloatVector x2 = FloatVector.fromArray(S, d, s + 2 * ds), x3 = FloatVector.fromArray(S, d, s + 3 * ds);
                FloatVector x4 = FloatVector.fromArray(S, d, s + 4 * ds), x5 = FloatVector.fromArray(S, d, s + 5 * ds);
                FloatVector a = m4.fma(x2, x4), b = m4.fma(x1, x3), c = x4.sub(x2), e = x3.sub(x1).mul(two);
                int o = vOff + j * vStride + t;
                four.fma(x0, m5.fma(x2, x4)).intoArray(v, o);
                a.add(b).intoArray(v, o + vs);
                a.sub(b).intoArray(v, o + 2 * vs);
                c.add(e).intoArray(v, o + 3 * vs);
                c.sub(e).intoArray(v, o + 4 * vs);
                four.fma(x1, m5.fma(x3, x5)).intoArray(v, o + 5 * vs);
            }
            for (int k = 0; k < 6; k++) {
                int s = vOff + k * vs + t;
                FloatVector x0 = FloatVector.fromArray(S, v, s), x1 = FloatVector.fromArray(S, v, s + vStride);
                FloatVector x2 = FloatVector.fromArray(S, v, s + 2 * vStride), x3 = FloatVector.fromArray(S, v, s + 3 * vStride);
                FloatVector x4 = FloatVector.fromArray(S, v, s + 4 * vStride), x5 = FloatVector.fromArray(S, v, s + 5 * vStride);
                FloatVector a = m4.fma(x2, x4), b = m4.fma(x1, x3), c = x4.sub(x2), e = x3.sub(x1).mul(two);
                four.fma(x0, m5.fma(x2, x4)).intoArray(v, s);
                a.add(b).intoArray(v, s + vStride);
                a.sub(b).intoArray(v, s + 2 * vStride);
                c.add(e).intoArray(v, s + 3 * vStride);
                c.sub(e).intoArray(v, s + 4 * vStride);
                four.fma(x1, m5.fma(x3, x5)).intoArray(v, s + 5 * vStride);
            }
        }
        inputTail(d, dOff, dStride, v, vOff, vStride, full, count);
    }

    @Override
    public void output(float[] m, int mOff, int mStride, float[] y, int yOff, int yStride, int count) {
        int ms = 6 * mStride, full = count - count % L;
        FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        for (int t = 0; t < full; t += L) {
            for (int j = 0; j < 6; j++) {
                int s = mOff + j * mStride + t;
                FloatVector x0 = FloatVector.fromArray(S, m, s), x1 = FloatVector.fromArray(S, m, s + ms);
                FloatVector x2 = FloatVector.fromArray(S, m, s + 2 * ms), x3 = FloatVector.fromArray(S, m, s + 3 * ms);
                FloatVector x4 = FloatVector.fromArray(S, m, s + 4 * ms), x5 = FloatVector.fromArray(S, m, s + 5 * ms);
                FloatVector p = x1.add(x2), q = x1.sub(x2), r = x3.add(x4), u = x3.sub(x4);
                x0.add(p).add(r).intoArray(m, s);
                two.fma(u, q).intoArray(m, s + ms);
                four.fma(r, p).intoArray(m, s + 2 * ms);
                eight.fma(u, q).add(x5).intoArray(m, s + 3 * ms);
            }
            for (int k = 0; k < 4; k++) {
                int s = mOff + k * ms + t;
                FloatVector x0 = FloatVector.fromArray(S, m, s), x1 = FloatVector.fromArray(S, m, s + mStride);
                FloatVector x2 = FloatVector.fromArray(S, m, s + 2 * mStride), x3 = FloatVector.fromArray(S, m, s + 3 * mStride);
                FloatVector x4 = FloatVector.fromArray(S, m, s + 4 * mStride), x5 = FloatVector.fromArray(S, m, s + 5 * mStride);
                FloatVector p = x1.add(x2), q = x1.sub(x2), r = x3.add(x4), u = x3.sub(x4);
                int o = yOff + 4 * k * yStride + t;
                x0.add(p).add(r).intoArray(y, o);
                two.fma(u, q).intoArray(y, o + yStride);
                four.fma(r, p).intoArray(y, o + 2 * yStride);
                eight.fma(u, q).add(x5).intoArray(y, o + 3 * yStride);
            }
        }
        outputTail(m, mOff, mStride, y, yOff, yStride, full, count);
    }

    @Override
    public void outputAdjoint(float[] dy, int dyOff, int dyStride, float[] dm, int dmOff, int dmStride, int count) {
        int ys = 4 * dyStride, ms = 6 * dmStride, full = count - count % L;
        FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        for (int t = 0; t < full; t += L) {
            for (int j = 0; j < 4; j++) {
                int s = dyOff + j * dyStride + t;
                FloatVector x0 = FloatVector.fromArray(S, dy, s), x1 = FloatVector.fromArray(S, dy, s + ys);
                FloatVector x2 = FloatVector.fromArray(S, dy, s + 2 * ys), x3 = FloatVector.fromArray(S, dy, s + 3 * ys);
                FloatVector e = x0.add(x2), f = x1.add(x3), g = four.fma(x2, x0), h = eight.fma(x3, x1.mul(two));
                int o = dmOff + j * dmStride + t;
                x0.intoArray(dm, o);
                e.add(f).intoArray(dm, o + ms);
                e.sub(f).intoArray(dm, o + 2 * ms);
                g.add(h).intoArray(dm, o + 3 * ms);
                g.sub(h).intoArray(dm, o + 4 * ms);
                x3.intoArray(dm, o + 5 * ms);
            }
            for (int k = 0; k < 6; k++) {
                int s = dmOff + k * ms + t;
                FloatVector x0 = FloatVector.fromArray(S, dm, s), x1 = FloatVector.fromArray(S, dm, s + dmStride);
                FloatVector x2 = FloatVector.fromArray(S, dm, s + 2 * dmStride), x3 = FloatVector.fromArray(S, dm, s + 3 * dmStride);
                FloatVector e = x0.add(x2), f = x1.add(x3), g = four.fma(x2, x0), h = eight.fma(x3, x1.mul(two));
                e.add(f).intoArray(dm, s + dmStride);
                e.sub(f).intoArray(dm, s + 2 * dmStride);
                g.add(h).intoArray(dm, s + 3 * dmStride);
                g.sub(h).intoArray(dm, s + 4 * dmStride);
                x3.intoArray(dm, s + 5 * dmStride);
            }
        }
        outputAdjointTail(dy, dyOff, dyStride, dm, dmOff, dmStride, full, count);
    }

    @Override
    public void inputAdjoint(float[] dv, int off, int stride, int count) {
        int rs = 6 * stride, full = count - count % L;
        FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
        FloatVector m2 = FloatVector.broadcast(S, -2f), m4 = FloatVector.broadcast(S, -4f), m5 = FloatVector.broadcast(S, -5f);
        for (int t = 0; t < full; t += L) {
            for (int j = 0; j < 6; j++) {
                int s = off + j * stride + t;
                FloatVector x0 = FloatVector.fromArray(S, dv, s), x1 = FloatVector.fromArray(S, dv, s + rs);
                FloatVector x2 = FloatVector.fromArray(S, dv, s + 2 * rs), x3 = FloatVector.fromArray(S, dv, s + 3 * rs);
                FloatVector x4 = FloatVector.fromArray(S, dv, s + 4 * rs), x5 = FloatVector.fromArray(S, dv, s + 5 * rs);
                FloatVector p = x1.add(x2), q = x2.sub(x1), r = x3.add(x4), u = x4.sub(x3);
                x0.mul(four).intoArray(dv, s);
                four.fma(q, two.fma(u, x5.mul(four))).intoArray(dv, s + rs);
                m4.fma(p, m5.fma(x0, r.neg())).intoArray(dv, s + 2 * rs);
                m2.fma(u, m5.fma(x5, q.neg())).intoArray(dv, s + 3 * rs);
                x0.add(p).add(r).intoArray(dv, s + 4 * rs);
            }
            for (int k = 0; k < 6; k++) {
                int s = off + k * rs + t;
                FloatVector x0 = FloatVector.fromArray(S, dv, s), x1 = FloatVector.fromArray(S, dv, s + stride);
                FloatVector x2 = FloatVector.fromArray(S, dv, s + 2 * stride), x3 = FloatVector.fromArray(S, dv, s + 3 * stride);
                FloatVector x4 = FloatVector.fromArray(S, dv, s + 4 * stride), x5 = FloatVector.fromArray(S, dv, s + 5 * stride);
                FloatVector p = x1.add(x2), q = x2.sub(x1), r = x3.add(x4), u = x4.sub(x3);
                x0.mul(four).intoArray(dv, s);
                four.fma(q, two.fma(u, x5.mul(four))).intoArray(dv, s + stride);
                m4.fma(p, m5.fma(x0, r.neg())).intoArray(dv, s + 2 * stride);
                m2.fma(u, m5.fma(x5, q.neg())).intoArray(dv, s + 3 * stride);
                x0.add(p).add(r).intoArray(dv, s + 4 * stride);
            }
        }
        inputAdjointTail(dv, off, stride, full, count);
    }

    @Override
    public void biasReluPool(float[] y, int yOff, int yStride, float bias, float[] pooled, int[] where, int pOff, int pStride,
                      int count) {
        int full = POOL_USABLE ? count - count % L : 0;
        FloatVector bv = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2);
        IntVector three = IntVector.broadcast(INTS, 3), none = IntVector.zero(INTS);
        for (int t = 0; t < full; t += L) {
            for (int w = 0; w < WINDOWS; w++) {
                int top = yOff + (8 * (w >> 1) + 2 * (w & 1)) * yStride + t;
                FloatVector a = FloatVector.fromArray(S, y, top).add(bv);
                FloatVector b = FloatVector.fromArray(S, y, top + yStride).add(bv);
                FloatVector c = FloatVector.fromArray(S, y, top + 4 * yStride).add(bv);
                FloatVector d = FloatVector.fromArray(S, y, top + 5 * yStride).add(bv);
                FloatVector m = a.max(b).max(c.max(d));
                int o = pOff + w * pStride + t;
                m.max(zero).intoArray(pooled, o);
                IntVector at = three.blend(two, c.compare(VectorOperators.EQ, m).cast(INTS));
                at = at.blend(one, b.compare(VectorOperators.EQ, m).cast(INTS));
                at.blend(none, a.compare(VectorOperators.EQ, m).cast(INTS)).intoArray(where, o);
            }
        }
        biasReluPoolTail(y, yOff, yStride, bias, pooled, where, pOff, pStride, full, count);
    }
}
