package octoquant.engine.ops;

import octoquant.engine.kernels.PoolPasses;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PoolPasses} on the Vector API, the same values and winners. Windows are taken in output order,
 * half a vector (8 windows at 512 bits) at a time: each input row's run under those windows, viewed as
 * 64-bit lanes (one pair of neighbours each), is narrowed to 32 bits twice, the second time after a 32-bit
 * shift, which gives one half-filled vector per window member (top-left, top-right, bottom-left,
 * bottom-right); maxima, bias, ReLU and winners are then lane-wise. A full vector is stored, the upper half
 * being overwritten by the next half's store, so the last half of a channel runs the scalar loop (its
 * store would reach the next channel, which may be another thread's). Backward widens the other way:
 * each member's gradient to 64-bit lanes, paired with its neighbour by a shift and an or.
 *
 * <p>Only the kernels' own species (the preferred width, for floats, ints and longs) are used, no
 * shuffles and no helpers returning vectors (why: {@code docs/decisions.md}). On a big-endian machine the two members of a pair would swap places, so the scalar
 * loops run there. Created only by the Vector API provider ({@code octoquant.engine.vectorization}).
 */
public final class VectorPoolPasses extends PoolPasses {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final int HALF = FloatVector.SPECIES_PREFERRED.length() / 2;
    private static final boolean USABLE = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
            && IntVector.SPECIES_PREFERRED.length() == FloatVector.SPECIES_PREFERRED.length()
            && LongVector.SPECIES_PREFERRED.length() == HALF;

    /** For the Vector API provider only. */
    public VectorPoolPasses() {}

    @Override
    public void biasReluPool(float[] y, int in, int w, int ph, int pw, float bias, float[] out, int[] where, int o) {
        // A half vector of windows must not cross a row.
        if (!USABLE || pw % HALF != 0) {
            super.biasReluPool(y, in, w, ph, pw, bias, out, where, o);
            return;
        }
        FloatVector bv = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2);
        IntVector three = IntVector.broadcast(INTS, 3), none = IntVector.zero(INTS);
        int windows = ph * pw, t = 0;
        for (; t + 2 * HALF <= windows; t += HALF) {
            int top = in + 2 * (t / pw) * w + 2 * (t % pw);
            FloatVector topRun = FloatVector.fromArray(S, y, top), bottomRun = FloatVector.fromArray(S, y, top + w);
            if (where == null) {
                // Inference: the rows' maximum first, then one split of neighbours.
                LongVector pairs = topRun.max(bottomRun).reinterpretAsLongs();
                FloatVector left = ((IntVector) pairs.convertShape(VectorOperators.L2I, INTS, 0)).reinterpretAsFloats();
                FloatVector right = ((IntVector) pairs.lanewise(VectorOperators.LSHR, 32)
                        .convertShape(VectorOperators.L2I, INTS, 0)).reinterpretAsFloats();
                left.max(right).add(bv).max(zero).intoArray(out, o + t);
                continue;
            }
            LongVector tp = topRun.reinterpretAsLongs(), bp = bottomRun.reinterpretAsLongs();
            FloatVector a = ((IntVector) tp.convertShape(VectorOperators.L2I, INTS, 0)).reinterpretAsFloats().add(bv);
            FloatVector b = ((IntVector) tp.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, 0))
                    .reinterpretAsFloats().add(bv);
            FloatVector c = ((IntVector) bp.convertShape(VectorOperators.L2I, INTS, 0)).reinterpretAsFloats().add(bv);
            FloatVector d = ((IntVector) bp.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, 0))
                    .reinterpretAsFloats().add(bv);
            FloatVector m = a.max(b).max(c.max(d));
            m.max(zero).intoArray(out, o + t);
            IntVector at = three.blend(two, c.compare(VectorOperators.EQ, m).cast(INTS));
            at = at.blend(one, b.compare(VectorOperators.EQ, m).cast(INTS));
            at.blend(none, a.compare(VectorOperators.EQ, m).cast(INTS)).intoArray(where, o + t);
        }
        for (; t < windows; t += pw - t % pw) {
            int r = t / pw, r0 = in + 2 * r * w;
            biasReluPoolRow(y, r0, r0 + w, t % pw, pw, bias, out, where, o + r * pw);
        }
    }

    @Override
    public void biasReluPoolMembers(float[] y, int in, int windows, float bias, float[] out, int o) {
        // The members' maximum first, then the bias: the same value (rounding is monotonic).
        FloatVector bv = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        int b1 = in + windows, b2 = b1 + windows, b3 = b2 + windows, t = 0;
        for (; t + S.length() <= windows; t += S.length()) {
            FloatVector a = FloatVector.fromArray(S, y, in + t), b = FloatVector.fromArray(S, y, b1 + t);
            FloatVector c = FloatVector.fromArray(S, y, b2 + t), d = FloatVector.fromArray(S, y, b3 + t);
            a.max(b).max(c.max(d)).add(bv).max(zero).intoArray(out, o + t);
        }
        biasReluPoolMembers(y, in, windows, t, windows, bias, out, o);
    }

    @Override
    public void scatterWinners(float[] g, float[] out, int[] where, int o, int outH, int w, float[] dy, int dyOff) {
        int ph = outH / 2, pw = w / 2;
        if (!USABLE || pw % HALF != 0 || w != 2 * pw) {
            super.scatterWinners(g, out, where, o, outH, w, dy, dyOff);
            return;
        }
        // Every element of the rows the windows cover is written (w = 2·pw: no spare column); an odd last
        // row is no window's, its gradient is 0.
        zeroUncovered(dy, dyOff, outH, w);
        FloatVector zero = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2), three = IntVector.broadcast(INTS, 3);
        LongVector lowBits = LongVector.broadcast(LONGS, 0xFFFF_FFFFL);
        int windows = ph * pw, t = 0;
        // A vector load reads half a vector past the windows at hand: stay inside the arrays.
        for (; t < windows && o + t + 2 * HALF <= out.length; t += HALF) {
            FloatVector v = FloatVector.fromArray(S, out, o + t);
            IntVector bits = zero.blend(FloatVector.fromArray(S, g, o + t), v.compare(VectorOperators.GT, 0f)).reinterpretAsInts();
            IntVector at = IntVector.fromArray(INTS, where, o + t);
            // Member k's gradient: the window's where its code is k, else 0 (as bits, +0.0f); the even
            // column in a 64-bit lane's low half, the odd one in its high half.
            LongVector a = ((LongVector) bits.blend(0, at.compare(VectorOperators.NE, 0))
                    .convertShape(VectorOperators.I2L, LONGS, 0)).and(lowBits);
            LongVector b = ((LongVector) bits.blend(0, at.compare(VectorOperators.NE, one))
                    .convertShape(VectorOperators.I2L, LONGS, 0)).lanewise(VectorOperators.LSHL, 32);
            LongVector c = ((LongVector) bits.blend(0, at.compare(VectorOperators.NE, two))
                    .convertShape(VectorOperators.I2L, LONGS, 0)).and(lowBits);
            LongVector d = ((LongVector) bits.blend(0, at.compare(VectorOperators.NE, three))
                    .convertShape(VectorOperators.I2L, LONGS, 0)).lanewise(VectorOperators.LSHL, 32);
            int top = dyOff + 2 * (t / pw) * w + 2 * (t % pw);
            a.or(b).reinterpretAsFloats().intoArray(dy, top);
            c.or(d).reinterpretAsFloats().intoArray(dy, top + w);
        }
        for (; t < windows; t += pw - t % pw) {
            int r = t / pw;
            scatterWinnersRow(g, out, where, o + r * pw, t % pw, pw, dy, dyOff + 2 * r * w, w);
        }
    }
}
