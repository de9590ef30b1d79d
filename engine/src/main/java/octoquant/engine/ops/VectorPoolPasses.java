package octoquant.engine.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PoolPasses} on the Vector API, the same values and winners. Windows are taken in output order,
 * half a vector at a time: each input row's run under those windows, viewed as 64-bit lanes (one pair of
 * neighbours each), is narrowed to 32 bits twice, the second time after a 32-bit shift, so two halves
 * fill one vector per window member (top-left, top-right, bottom-left, bottom-right). Then maxima,
 * bias, ReLU and winners are plain lane-wise operations. (A float shuffle would do the same but was as
 * slow as the scalar loop on JDK 17; the narrowing is one instruction.) On a big-endian machine the two
 * members of a pair would swap places, so the scalar loop runs there.
 *
 * <p>Only the kernels' own species (the preferred width, for floats, ints and longs) are used: on JDK 17
 * a second float species in the same JVM made the GEMM's vector code fall back to its slow Java path.
 * Loaded reflectively by {@link PoolPasses#get()} only when the Vector API backend is active.
 */
final class VectorPoolPasses extends PoolPasses {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int HALF = FloatVector.SPECIES_PREFERRED.length() / 2;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    @Override
    void biasReluPool(float[] y, int in, int w, int ph, int pw, float bias, float[] out, int[] where, int o) {
        // A half vector of windows must not cross a row.
        if (!LITTLE_ENDIAN || INTS.length() != S.length() || pw % HALF != 0) {
            super.biasReluPool(y, in, w, ph, pw, bias, out, where, o);
            return;
        }
        // Everything inline, no helper returning a vector: a helper C2 does not inline boxes its vectors,
        // which made this loop slower than the scalar one.
        FloatVector bv = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2);
        IntVector three = IntVector.broadcast(INTS, 3), none = IntVector.zero(INTS);
        int windows = ph * pw, t = 0;
        for (; t + 2 * HALF <= windows; t += 2 * HALF) {
            int top0 = in + 2 * (t / pw) * w + 2 * (t % pw), t1 = t + HALF;
            int top1 = in + 2 * (t1 / pw) * w + 2 * (t1 % pw);
            FloatVector top0v = FloatVector.fromArray(S, y, top0), top1v = FloatVector.fromArray(S, y, top1);
            FloatVector bot0v = FloatVector.fromArray(S, y, top0 + w), bot1v = FloatVector.fromArray(S, y, top1 + w);
            if (where == null) {
                // Inference: the rows' maximum first, then one split of neighbours.
                LongVector p0 = top0v.max(bot0v).reinterpretAsLongs(), p1 = top1v.max(bot1v).reinterpretAsLongs();
                FloatVector even = ((IntVector) p0.convertShape(VectorOperators.L2I, INTS, 0))
                        .or((IntVector) p1.convertShape(VectorOperators.L2I, INTS, -1)).reinterpretAsFloats();
                FloatVector odd = ((IntVector) p0.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, 0))
                        .or((IntVector) p1.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, -1))
                        .reinterpretAsFloats();
                even.max(odd).add(bv).max(zero).intoArray(out, o + t);
                continue;
            }
            LongVector ta = top0v.reinterpretAsLongs(), tb = top1v.reinterpretAsLongs();
            LongVector ba = bot0v.reinterpretAsLongs(), bb = bot1v.reinterpretAsLongs();
            FloatVector a = ((IntVector) ta.convertShape(VectorOperators.L2I, INTS, 0))
                    .or((IntVector) tb.convertShape(VectorOperators.L2I, INTS, -1)).reinterpretAsFloats().add(bv);
            FloatVector b = ((IntVector) ta.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, 0))
                    .or((IntVector) tb.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, -1))
                    .reinterpretAsFloats().add(bv);
            FloatVector c = ((IntVector) ba.convertShape(VectorOperators.L2I, INTS, 0))
                    .or((IntVector) bb.convertShape(VectorOperators.L2I, INTS, -1)).reinterpretAsFloats().add(bv);
            FloatVector d = ((IntVector) ba.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, 0))
                    .or((IntVector) bb.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, INTS, -1))
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
}
