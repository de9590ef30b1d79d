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
 * <p>Pool order (members in four blocks) is lane-wise without conversions. The winners' products keep
 * four channels times two vectors of a row in eight registers, so eight independent chains hide the
 * latency of a fused multiply-add; a row is unfolded one vector per filter row, each store's spill
 * overwritten by the next.
 *
 * <p>Only the kernels' own species (the preferred width, for floats, ints and longs) are used, no
 * shuffles and no helpers returning vectors (why: {@code docs/decisions.md}). On a big-endian machine the two members of a pair would swap places, so the scalar
 * loops run there. Created only by the Vector API provider ({@code octoquant.engine.vectorization}).
 */
public final class VectorPoolPasses extends PoolPasses {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    /** Per thread: {@link #convBiasReluPoolMembers}'s filters four channels side by side, and its member offsets. */
    private static final ThreadLocal<float[]> QUAD_FILTERS = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<int[]> MEMBER_OFFSETS = ThreadLocal.withInitial(() -> new int[0]);
    /** {@link #convFourChannels}' sixteen accumulators, channel j's member k at {@code (4j + k)·lanes}. */
    private static final ThreadLocal<float[]> FOUR_CHANNEL_SUMS = ThreadLocal.withInitial(() -> new float[16 * S.length()]);
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
    public void biasReluPoolMembers(float[] y, int in, int windows, float bias, float[] out, int[] where, int o) {
        FloatVector bv = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2);
        IntVector three = IntVector.broadcast(INTS, 3), none = IntVector.zero(INTS);
        int b1 = in + windows, b2 = b1 + windows, b3 = b2 + windows, t = 0;
        for (; USABLE && t + S.length() <= windows; t += S.length()) {
            FloatVector a = FloatVector.fromArray(S, y, in + t).add(bv), b = FloatVector.fromArray(S, y, b1 + t).add(bv);
            FloatVector c = FloatVector.fromArray(S, y, b2 + t).add(bv), d = FloatVector.fromArray(S, y, b3 + t).add(bv);
            FloatVector m = a.max(b).max(c.max(d));
            m.max(zero).intoArray(out, o + t);
            IntVector at = three.blend(two, c.compare(VectorOperators.EQ, m).cast(INTS));
            at = at.blend(one, b.compare(VectorOperators.EQ, m).cast(INTS));
            at.blend(none, a.compare(VectorOperators.EQ, m).cast(INTS)).intoArray(where, o + t);
        }
        biasReluPoolMembersWinners(y, in, windows, t, windows, bias, out, where, o);
    }

    @Override
    public void convBiasReluPoolMembers(float[] w, int wOff, int channels, int taps, float[] src, int[] sources,
                                        int windows, float[] bias, float[] out, int o, int[] where) {
        int lanes = S.length(), vectorEnd = USABLE ? windows - windows % lanes : 0, quads = channels - channels % 4;
        if (vectorEnd > 0 && quads > 0) {
            // The kernel's operands one index apart: each tap's four filter values side by side, and each
            // tap's four member offsets with the vector's first window added (docs/decisions.md, session 20).
            float[] quadFilters = QUAD_FILTERS.get();
            if (quadFilters.length < quads * taps) QUAD_FILTERS.set(quadFilters = new float[quads * taps]);
            for (int c = 0; c < quads; c += 4) {
                for (int r = 0; r < taps; r++) {
                    for (int j = 0; j < 4; j++) quadFilters[c * taps + 4 * r + j] = w[wOff + (c + j) * taps + r];
                }
            }
            int[] at = MEMBER_OFFSETS.get();
            if (at.length < 4 * taps) MEMBER_OFFSETS.set(at = new int[4 * taps]);
            float[] sums = FOUR_CHANNEL_SUMS.get();
            for (int t = 0; t < vectorEnd; t += lanes) {
                for (int q = 0; q < 4 * taps; q++) at[q] = sources[q] + t;
                for (int c = 0; c < quads; c += 4) {
                    convFourChannels(quadFilters, c * taps, taps, src, at, sums);
                    biasReluPoolFour(sums, bias, c, windows, out, o + t + c * windows, where);
                }
            }
        }
        if (quads < channels) {
            convBiasReluPoolMembers(w, wOff, quads, channels, taps, src, sources, 0, windows, windows, bias, out, o, where, true);
        }
        if (vectorEnd < windows) {
            convBiasReluPoolMembers(w, wOff, 0, quads, taps, src, sources, vectorEnd, windows, windows, bias, out, o, where, true);
        }
    }

    /**
     * The sums of channels c … c + 3 over a vector of windows: tap r's filter values for the four channels
     * at {@code w[wc + 4r ..]}, its four members' vectors at {@code src[at[4r ..]]}. The four members of
     * each channel in sixteen accumulators, one fused multiply-add chain each over the taps in order (the
     * GEMM micro-kernel's), stored into {@code sums} (channel j's member k at {@code (4j + k)·lanes}). Only
     * stores after the loop, as in the GEMM's micro-kernel: with the epilogue written out here too, the
     * method passed C2's inlining cutoff and some JVMs compiled its later stores as boxing Java code
     * (docs/decisions.md, session 21).
     */
    private static void convFourChannels(float[] w, int wc, int taps, float[] src, int[] at, float[] sums) {
        FloatVector z = FloatVector.zero(S);
        FloatVector y00 = z, y01 = z, y02 = z, y03 = z, y10 = z, y11 = z, y12 = z, y13 = z;
        FloatVector y20 = z, y21 = z, y22 = z, y23 = z, y30 = z, y31 = z, y32 = z, y33 = z;
        for (int q = 0; q < 4 * taps; q += 4) {
            FloatVector x0 = FloatVector.fromArray(S, src, at[q]);
            FloatVector x1 = FloatVector.fromArray(S, src, at[q + 1]);
            FloatVector x2 = FloatVector.fromArray(S, src, at[q + 2]);
            FloatVector x3 = FloatVector.fromArray(S, src, at[q + 3]);
            FloatVector f = FloatVector.broadcast(S, w[wc + q]);
            y00 = x0.fma(f, y00); y01 = x1.fma(f, y01); y02 = x2.fma(f, y02); y03 = x3.fma(f, y03);
            f = FloatVector.broadcast(S, w[wc + q + 1]);
            y10 = x0.fma(f, y10); y11 = x1.fma(f, y11); y12 = x2.fma(f, y12); y13 = x3.fma(f, y13);
            f = FloatVector.broadcast(S, w[wc + q + 2]);
            y20 = x0.fma(f, y20); y21 = x1.fma(f, y21); y22 = x2.fma(f, y22); y23 = x3.fma(f, y23);
            f = FloatVector.broadcast(S, w[wc + q + 3]);
            y30 = x0.fma(f, y30); y31 = x1.fma(f, y31); y32 = x2.fma(f, y32); y33 = x3.fma(f, y33);
        }
        int l = S.length();
        y00.intoArray(sums, 0); y01.intoArray(sums, l); y02.intoArray(sums, 2 * l); y03.intoArray(sums, 3 * l);
        y10.intoArray(sums, 4 * l); y11.intoArray(sums, 5 * l); y12.intoArray(sums, 6 * l); y13.intoArray(sums, 7 * l);
        y20.intoArray(sums, 8 * l); y21.intoArray(sums, 9 * l); y22.intoArray(sums, 10 * l); y23.intoArray(sums, 11 * l);
        y30.intoArray(sums, 12 * l); y31.intoArray(sums, 13 * l); y32.intoArray(sums, 14 * l); y33.intoArray(sums, 15 * l);
    }

    /**
     * Bias, ReLU, maximum and winner lane-wise for the four channels whose sums {@link #convFourChannels}
     * stored: channel c + j written at {@code out[first + j·windows]} (and its winning member, 0–3, at
     * {@code where[first + j·windows]} unless {@code where} is null).
     */
    private static void biasReluPoolFour(float[] sums, float[] bias, int c, int windows, float[] out, int first,
                                         int[] where) {
        FloatVector z = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2);
        IntVector three = IntVector.broadcast(INTS, 3), none = IntVector.zero(INTS);
        int l = S.length();
        for (int j = 0; j < 4; j++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[c + j]);
            FloatVector a0 = FloatVector.fromArray(S, sums, 4 * j * l).add(b);
            FloatVector a1 = FloatVector.fromArray(S, sums, (4 * j + 1) * l).add(b);
            FloatVector a2 = FloatVector.fromArray(S, sums, (4 * j + 2) * l).add(b);
            FloatVector a3 = FloatVector.fromArray(S, sums, (4 * j + 3) * l).add(b);
            FloatVector m = a0.max(a1).max(a2.max(a3));
            int at = first + j * windows;
            m.max(z).intoArray(out, at);
            if (where != null) {
                IntVector code = three.blend(two, a2.compare(VectorOperators.EQ, m).cast(INTS));
                code = code.blend(one, a1.compare(VectorOperators.EQ, m).cast(INTS));
                code.blend(none, a0.compare(VectorOperators.EQ, m).cast(INTS)).intoArray(where, at);
            }
        }
    }

    @Override
    public void passedWinners(float[] g, float[] out, int[] where, int o, int windows, int rowsOff, int rowStride,
                              float[] passed, int[] rowAt, int p) {
        FloatVector zero = FloatVector.zero(S);
        IntVector lane = IntVector.zero(INTS).addIndex(1);
        int t = 0;
        for (; USABLE && t + S.length() <= windows; t += S.length()) {
            FloatVector v = FloatVector.fromArray(S, out, o + t);
            zero.blend(FloatVector.fromArray(S, g, o + t), v.compare(VectorOperators.GT, 0f)).intoArray(passed, p + t);
            IntVector.fromArray(INTS, where, o + t).mul(windows).add(lane).add(t).mul(rowStride).add(rowsOff)
                    .intoArray(rowAt, p + t);
        }
        passedWinners(g, out, where, o, t, windows, windows, rowsOff, rowStride, passed, rowAt, p);
    }

    @Override
    public void addWinnerProducts(float[] passed, int[] rowAt, int p, int windows, int channels, float[] rows,
                                  int rowStride, float[] acc, int a) {
        int lanes = S.length();
        if (rowStride % (2 * lanes) != 0) {
            super.addWinnerProducts(passed, rowAt, p, windows, channels, rows, rowStride, acc, a);
            return;
        }
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
            for (int k = 0; k < rowStride; k += 2 * lanes) {
                addFourChannels(passed, rowAt, p + c * windows, windows, rows, k, rowStride, acc, a + c * rowStride + k);
            }
        }
        if (c < channels) {
            super.addWinnerProducts(passed, rowAt, p + c * windows, windows, channels - c, rows, rowStride, acc, a + c * rowStride);
        }
    }

    /**
     * Four channels' products (from {@code passed[p0 + c·windows ..]}) with two vectors of their winners' rows
     * from column k, added to {@code acc[a0 + c·rowStride ..]}: eight independent chains, the row's two vectors
     * read together. One loop over the windows in a method of its own: inside the loop over column blocks it
     * ran 1.2× slower (docs/decisions.md, session 16).
     */
    private static void addFourChannels(float[] passed, int[] rowAt, int p0, int windows, float[] rows, int k,
                                        int rowStride, float[] acc, int a0) {
        int lanes = S.length();
        int p1 = p0 + windows, p2 = p1 + windows, p3 = p2 + windows;
        int a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride;
        FloatVector s0 = FloatVector.fromArray(S, acc, a0), u0 = FloatVector.fromArray(S, acc, a0 + lanes);
        FloatVector s1 = FloatVector.fromArray(S, acc, a1), u1 = FloatVector.fromArray(S, acc, a1 + lanes);
        FloatVector s2 = FloatVector.fromArray(S, acc, a2), u2 = FloatVector.fromArray(S, acc, a2 + lanes);
        FloatVector s3 = FloatVector.fromArray(S, acc, a3), u3 = FloatVector.fromArray(S, acc, a3 + lanes);
        for (int t = 0; t < windows; t++) {
            int r0 = rowAt[p0 + t] + k, r1 = rowAt[p1 + t] + k, r2 = rowAt[p2 + t] + k, r3 = rowAt[p3 + t] + k;
            FloatVector g0 = FloatVector.broadcast(S, passed[p0 + t]), g1 = FloatVector.broadcast(S, passed[p1 + t]);
            FloatVector g2 = FloatVector.broadcast(S, passed[p2 + t]), g3 = FloatVector.broadcast(S, passed[p3 + t]);
            s0 = FloatVector.fromArray(S, rows, r0).fma(g0, s0);
            u0 = FloatVector.fromArray(S, rows, r0 + lanes).fma(g0, u0);
            s1 = FloatVector.fromArray(S, rows, r1).fma(g1, s1);
            u1 = FloatVector.fromArray(S, rows, r1 + lanes).fma(g1, u1);
            s2 = FloatVector.fromArray(S, rows, r2).fma(g2, s2);
            u2 = FloatVector.fromArray(S, rows, r2 + lanes).fma(g2, u2);
            s3 = FloatVector.fromArray(S, rows, r3).fma(g3, s3);
            u3 = FloatVector.fromArray(S, rows, r3 + lanes).fma(g3, u3);
        }
        s0.intoArray(acc, a0);
        u0.intoArray(acc, a0 + lanes);
        s1.intoArray(acc, a1);
        u1.intoArray(acc, a1 + lanes);
        s2.intoArray(acc, a2);
        u2.intoArray(acc, a2 + lanes);
        s3.intoArray(acc, a3);
        u3.intoArray(acc, a3 + lanes);
    }

    @Override
    public void unfoldRowsPoolOrder(float[] xp, int wp, int ci, int kh, int kw, int ph, int pw, float[] rows, int rowStride) {
        int run = kw * ci, lanes = S.length();
        if (run > lanes || UNFOLD_SLACK < lanes) {
            super.unfoldRowsPoolOrder(xp, wp, ci, kh, kw, ph, pw, rows, rowStride);
            return;
        }
        // One vector per filter row, stored in increasing order: each store's floats past the run are
        // overwritten by the next run or row, or land in the slack after the last row.
        int windows = ph * pw;
        for (int m = 0; m < 4; m++) {
            int dr = m >> 1, dc = m & 1;
            for (int a = 0; a < ph; a++) {
                for (int b = 0; b < pw; b++) {
                    int dst = (m * windows + a * pw + b) * rowStride;
                    for (int i = 0; i < kh; i++) {
                        FloatVector.fromArray(S, xp, ((2 * a + dr + i) * wp + 2 * b + dc) * ci).intoArray(rows, dst + i * run);
                    }
                }
            }
        }
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
