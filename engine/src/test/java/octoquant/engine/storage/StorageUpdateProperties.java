package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.state.MemoryState;
import octoquant.engine.util.Rng;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The storage mode's update ({@link QuantizedStorage#applyUpdate}: {@link StorageUpdate}, its chunks,
 * threads and Vector API loops) against a straightforward reference kept here: the update as the engine
 * did it before, one weight at a time in index order on a {@code long[]} of codes with its own sequential
 * generator. Every code, decoded value, counter, overflow entry, byte count and the generator's position
 * must agree bit for bit, over schemes, shapes, thread counts 1–3 and deltas from zero and far below a
 * step to clipping, overflowing and the largest floats; the two sums must equal the reference's terms
 * added in the documented chunk order, and differ from the old sequential sums by rounding only. A
 * non-finite delta gives the reference's message and changes nothing.
 */
class StorageUpdateProperties {
    @Property(tries = 250)
    void updatesMatchTheReferenceBitForBit(@ForAll("schemes") String scheme,
                                           @ForAll @IntRange(min = 1, max = 40) int rows,
                                           @ForAll @IntRange(min = 1, max = 1300) int cols,
                                           @ForAll @IntRange(min = 1, max = 3) int threads,
                                           @ForAll long seed) {
        QuantScheme q = QuantScheme.parse(scheme);
        QuantizedStorage s = (QuantizedStorage) q.newStorage(rows, cols, seed);
        Rng data = new Rng(seed ^ 0x3C6EF372FE94F82BL);
        s.encodeWithHeadroom(initialWeights(data, rows * cols), q.storageHeadroom());
        Reference ref = new Reference(s, seed, 2); // construction and the encode each drew once per weight
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            for (int round = 0; round < 3; round++) {
                float[] delta = deltas(data, s);
                s.applyUpdate(delta);
                UpdateStats expected = ref.update(delta);
                String what = scheme + " " + rows + "x" + cols + " threads " + threads + " round " + round;
                ref.assertMatches(s, expected, what);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Property(tries = 60)
    void scalarAndVectorLoopsAgree(@ForAll("schemes") String scheme,
                                   @ForAll @IntRange(min = 1, max = 9) int rows,
                                   @ForAll @IntRange(min = 1, max = 700) int cols,
                                   @ForAll long seed) {
        // the vector loops themselves, whatever the JDK (the storages use them from JDK 25 on)
        QuantKernels vector = new QuantKernels() {
            @Override
            public int update(int mode, float[] delta, int[] codes, float[] values, int from, int to, boolean fixed, double den,
                       double step, float scale, int zp, long qmin, long qmax, long counter, long[] counts, int countsOff,
                       double[] sums, int sumsOff) {
                return VectorUpdateLoops.update(mode, delta, codes, values, from, to, fixed, den, step, scale, zp, qmin,
                        qmax, counter, counts, countsOff, sums, sumsOff);
            }
        };
        assertTrue(VectorUpdateLoops.SHAPES_FIT, "the test machine's vectors fit the loops");
        QuantScheme q = QuantScheme.parse(scheme);
        QuantizedStorage s = (QuantizedStorage) q.newStorage(rows, cols, seed);
        Rng data = new Rng(seed);
        s.encodeWithHeadroom(initialWeights(data, rows * cols), q.storageHeadroom());
        DecodedCopy a = new DecodedCopy(s.length()), b = new DecodedCopy(s.length());
        s.readCopy(a);
        s.readCopy(b);
        StorageUpdate viaScalar = new StorageUpdate(s.grid(), rows, cols, s.rounding(), VectorizationProvider.scalar().quantKernels());
        StorageUpdate viaVector = new StorageUpdate(s.grid(), rows, cols, s.rounding(), vector);
        Rng ra = new Rng(seed), rb = new Rng(seed);
        for (int round = 0; round < 3; round++) {
            float[] delta = deltas(data, s);
            UpdateStats ua = viaScalar.apply(delta, a, s.rounding().needsRng() ? ra : null, "t");
            UpdateStats ub = viaVector.apply(delta, b, s.rounding().needsRng() ? rb : null, "t");
            assertEquals(ua, ub, scheme + " round " + round);
            assertArrayEquals(a.codes, b.codes);
            assertArrayEquals(a.values, b.values);
            assertEquals(ra.counter(), rb.counter());
        }
    }

    @Property(tries = 80)
    void aNonFiniteDeltaIsNamedAndChangesNothing(@ForAll("schemes") String scheme,
                                                @ForAll @IntRange(min = 1, max = 30) int rows,
                                                @ForAll @IntRange(min = 1, max = 1300) int cols,
                                                @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        QuantScheme q = QuantScheme.parse(scheme);
        QuantizedStorage s = (QuantizedStorage) q.newStorage(rows, cols, seed);
        Rng data = new Rng(seed);
        s.encodeWithHeadroom(initialWeights(data, rows * cols), q.storageHeadroom());
        s.applyUpdate(deltas(data, s)); // the decoded view exists and is ahead of the packed codes
        MemoryState before = MemoryState.of(s);
        float[] view = s.floatView().clone();
        float[] delta = deltas(data, s);
        int at = data.nextInt(delta.length);
        delta[at] = kind == 0 ? Float.NaN : kind == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        if (data.nextInt(2) == 0 && at + 1 < delta.length) delta[at + 1] = Float.NaN; // the first one is named
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.applyUpdate(delta));
        assertEquals("non-finite update " + (double) delta[at] + " at index " + at + " of " + s.describe() + " storage",
                e.getMessage());
        assertNull(before.firstDifference(MemoryState.of(s)), "nothing changed");
        assertArrayEquals(view, s.floatView());
    }

    @Example
    void theFixedGridsQuotientIsAProductWhereTheCheckSaysSo() {
        int proven = 0;
        Rng rng = new Rng(5);
        for (int b = 2; b <= 16; b++) {
            double den = (1L << b) - 1, step = 1.0 / den;
            if (!StorageUpdate.quotientIsProduct(den)) continue;
            proven++;
            float[] special = {Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1f, 0.5f, 3f, 255f, 0x1p-126f,
                0x1.fffffep-1f, 1e-40f, 2f, 0x1.000002p0f, 7f, 0x1p100f, 1e-3f};
            for (int t = 0; t < 200_000; t++) {
                float d = t < special.length ? special[t] : Float.intBitsToFloat(rng.nextInt() & 0x7FFFFFFF);
                if (!Float.isFinite(d)) continue;
                assertEquals(d / step, d * den, "b " + b + " d " + d);
                assertEquals(-d / step, -d * den, "b " + b + " d " + -d);
            }
        }
        assertTrue(StorageUpdate.quotientIsProduct(255), "quant8's grid");
        assertEquals(9, proven, "b = 4, 7, 8, 10, 12..16");
    }

    @Example
    void rngDrawsCanBeComputedOutOfOrder() {
        Rng seq = new Rng(77);
        seq.nextLong();
        long counter = seq.counter();
        for (int k = 0; k < 1000; k++) assertEquals(seq.nextDouble(), Rng.doubleAt(counter, k), "draw " + k);
        Rng skipped = new Rng(77);
        skipped.nextLong();
        skipped.skip(1000);
        assertEquals(seq.nextLong(), skipped.nextLong());
    }

    @Example
    void codeAccessorsCountZerosAndChanges() {
        QuantizedStorage s = new QuantizedStorage(2, 3, 8, ScalePolicy.MAXABS, false, RoundingMode.NEAREST_EVEN, 0);
        s.encodeFrom(new float[] {0.4f, 0f, -0.25f, 0f, 0.001f, 1f}); // step ≈ 1/127: codes 51, 0, −32, 0, 0, 127
        assertEquals(3, s.zeroCodeCount(), "packed");
        int[] before = new int[6];
        s.copyCodes(before);
        assertArrayEquals(new int[] {51, 0, -32, 0, 0, 127}, before);
        s.applyUpdate(new float[] {0, 2f / 127, 0, 0.1f / 127, -3f / 127, 0});
        assertEquals(1, s.zeroCodeCount(), "decoded view");
        assertEquals(2, s.changedCodeCount(before), "codes 0 → 2 and 0 → −3");
        s.dropDecodedView();
        assertEquals(1, s.zeroCodeCount(), "packed again");
        assertEquals(2, s.changedCodeCount(before));
        int[] after = new int[6];
        s.copyCodes(after);
        assertArrayEquals(new int[] {51, 2, -32, 0, -3, 127}, after);
        assertThrows(IllegalArgumentException.class, () -> s.copyCodes(new int[5]));
    }

    // ------------------------------------------------------------------ the reference

    /** The update as the engine did it before, element by element, and the storage's expected state. */
    static final class Reference {
        final int rows, cols, bits;
        final ScalePolicy policy;
        final RoundingMode rounding;
        final long qmin, qmax;
        final double[] steps;
        final int[] zeroPoints;
        final long[] codes;
        final Rng rng;
        final String describe;
        final long inlineLimit;

        /** The reference of {@code s}'s current codes; its generator at {@code drawsPerWeight · n} draws from the seed. */
        Reference(QuantizedStorage s, long seed, int drawsPerWeight) {
            rows = s.rows();
            cols = s.cols();
            bits = s.bits();
            policy = s.policy();
            rounding = s.rounding();
            qmin = s.minCode();
            qmax = s.maxCode();
            describe = s.describe();
            steps = new double[rows];
            zeroPoints = new int[rows];
            for (int r = 0; r < rows; r++) {
                steps[r] = s.step(r);
                zeroPoints[r] = s.zeroPoint(r);
            }
            codes = new long[rows * cols];
            for (int i = 0; i < codes.length; i++) codes[i] = s.code(i);
            rng = new Rng(seed);
            if (rounding.needsRng()) for (long k = 0; k < (long) drawsPerWeight * codes.length; k++) rng.nextDouble();
            // codes that fit a field: ±(2^b − 1) sign-magnitude, octal ±(8^digits − 1); the clipping schemes always
            inlineLimit = s instanceof OctalStorage o ? (1L << (3 * o.digitsPerCode())) - 1 : (1L << bits) - 1;
        }

        float dequantize(long code, int row) {
            switch (policy) {
                case FIXED: return (float) (code / (double) ((1L << bits) - 1));
                case MAXABS: return code * (float) steps[row];
                default: return (code - zeroPoints[row]) * (float) steps[row];
            }
        }

        double requestedSequential, realizedSequential, requestedBound, realizedBound;

        UpdateStats update(float[] delta) {
            int n = delta.length;
            long applied = 0, lost = 0, crossed = 0, clipped = 0;
            int chunks = (n + StorageUpdate.CHUNK - 1) / StorageUpdate.CHUNK;
            double[][] requested = new double[chunks][16], realized = new double[chunks][16];
            requestedSequential = 0;
            realizedSequential = 0;
            requestedBound = 0;
            realizedBound = 0;
            for (int i = 0; i < n; i++) {
                int r = i / cols;
                long q = codes[i];
                double d = delta[i];
                int zp = zeroPoints[r];
                double x = (q - zp) + d / steps[r];
                // one change to the old code: x saturates at ±2^51 before rounding, so round(x) + zp cannot
                // wrap around the long range (it sent a minmax code to the wrong end for updates beyond 2^63 steps)
                long nq = rounding.round(Math.max(-0x1p51, Math.min(0x1p51, x)), rng) + zp;
                if (nq < qmin || nq > qmax) {
                    nq = Math.max(qmin, Math.min(qmax, nq));
                    clipped++;
                }
                if (Math.abs(x - (q - zp)) >= 1) crossed++;
                if (nq != q) applied++;
                else if (d != 0) lost++;
                double change = Math.abs((double) dequantize(nq, r) - dequantize(q, r));
                requested[i / StorageUpdate.CHUNK][i % 16] += Math.abs(d);
                realized[i / StorageUpdate.CHUNK][i % 16] += change;
                requestedSequential += Math.abs(d);
                realizedSequential += change;
                requestedBound += Math.abs(d);
                realizedBound += change;
                codes[i] = nq;
            }
            double req = 0, real = 0;
            for (int c = 0; c < chunks; c++) {
                double rc = 0, zc = 0;
                for (int j = 0; j < 16; j++) {
                    rc += requested[c][j];
                    zc += realized[c][j];
                }
                req += rc;
                real += zc;
            }
            return new UpdateStats(n, applied, lost, crossed, clipped, req, real);
        }

        void assertMatches(QuantizedStorage s, UpdateStats expected, String what) {
            UpdateStats got = s.lastUpdate();
            assertEquals(expected, got, what + ": counters and sums in the documented order");
            // the old sequential sums: the same terms in another order, so within n·2^−52 of the sum of |terms|
            double n = codes.length;
            assertEquals(requestedSequential, got.requested(), n * 0x1p-52 * requestedBound, what);
            assertEquals(realizedSequential, got.realized(), n * 0x1p-52 * realizedBound, what);
            float[] view = s.floatView();
            float[] packed = new float[codes.length];
            int overflow = 0;
            for (int i = 0; i < codes.length; i++) {
                assertEquals(codes[i], s.code(i), what + " code " + i);
                float v = dequantize(codes[i], i / cols);
                assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(view[i]), what + " value " + i);
                if (Math.abs(codes[i]) > inlineLimit && policy == ScalePolicy.FIXED) overflow++;
            }
            assertEquals(overflow, s.overflowCount(), what + ": overflow entries");
            s.decodeRowsReference(0, rows, packed, 0); // the packed codes, rebuilt from the view's
            assertArrayEquals(view, packed, what + ": packed codes");
            int words = (int) ((codes.length * (long) s.fieldBits() + 63) / 64);
            long scales = policy == ScalePolicy.FIXED ? 0 : 4L * (s.perChannel() ? rows : 1);
            assertEquals(8L * words + scales * (policy == ScalePolicy.MINMAX ? 2 : 1) + 8L * overflow, s.sizeInBytes(), what);
            if (rounding.needsRng()) {
                assertEquals(rng.counter(), MemoryState.of(s).reader().longValue("rng.state"), what + ": the stream's position");
            }
        }
    }

    // ------------------------------------------------------------------ data

    /** Weights around [−1, 1], a few far beyond (the fixed grid's overflow), some exact grid points and zeros. */
    static float[] initialWeights(Rng rng, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            w[i] = (float) (g * (rng.nextInt(10) == 0 ? 3 : 0.3));
            if (rng.nextInt(16) == 0) w[i] = Math.round(w[i] * 255) / 255f;
            if (rng.nextInt(16) == 0) w[i] = 0f;
        }
        return w;
    }

    /** Deltas in units of each row's step, of every kind an update may bring. */
    static float[] deltas(Rng rng, QuantizedStorage s) {
        int n = s.length(), cols = s.cols();
        double range = s.policy() == ScalePolicy.FIXED ? 255 : s.maxCode() - s.minCode();
        float[] d = new float[n];
        int kinds = rng.nextInt(3) == 0 ? 1 + rng.nextInt(10) : 10; // some updates of one kind only
        for (int i = 0; i < n; i++) {
            double step = s.step(i / cols), sign = rng.nextInt(2) == 0 ? -1 : 1;
            switch (rng.nextInt(kinds)) {
                case 0: d[i] = sign < 0 ? -0f : 0f; break;
                case 1: d[i] = (float) (sign * step * Math.pow(10, -5 - 25 * rng.nextDouble())); break; // tiny
                case 2: d[i] = (float) (sign * step * rng.nextDouble()); break; // below a step
                case 3: d[i] = (float) (sign * step * (rng.nextInt(3) + 0.5)); break; // ties
                case 4: d[i] = (float) (sign * step * (1 + 4 * rng.nextDouble())); break; // crossing
                case 5: d[i] = (float) (sign * step * range * (0.5 + 2 * rng.nextDouble())); break; // clipping, overflowing
                case 6: d[i] = (float) (sign * step * rng.nextInt(4)); break; // whole steps
                case 7: d[i] = (float) (sign * (rng.nextInt(2) == 0 ? 1e7 : Float.MAX_VALUE)); break; // int32 clamp, extremes
                case 8: d[i] = (float) (sign * Float.MIN_VALUE * (1 + rng.nextInt(1000))); break; // subnormal
                default: d[i] = (float) (sign * step * 0.3 * Math.abs(rng.nextGaussian())); break; // Adam-like
            }
        }
        return d;
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("quant8", "octal8", "int8-fixed-zero", "int8-fixed-stochastic", "int8-pc", "int4-pc",
                "int8-pc-stochastic", "int4-pc-stochastic", "quant2", "quant5", "quant16", "octal4", "octal7", "int8",
                "int8-minmax", "int4-pc-minmax", "int8-pc-floor", "int16-pc", "int3-minmax-zero",
                "int6-pc-minmax-stochastic", "int8-fixed-floor", "int8-h1", "int4-stochastic");
    }
}
