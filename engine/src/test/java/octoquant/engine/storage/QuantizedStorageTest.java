package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class QuantizedStorageTest {
    /** Slack for the float32 rounding of the decoded value itself. */
    static double eps(double w, double step) {
        return 2 * Math.ulp((float) (Math.abs(w) + step));
    }

    static float[] randomWeights(Rng rng, int n, float spread) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (rng.nextGaussian() * spread);
        return w;
    }

    @Property(tries = 300)
    void reconstructionErrorFollowsTheRoundingMode(@ForAll @IntRange(min = 2, max = 16) int bits,
                                                   @ForAll ScalePolicy policy, @ForAll boolean perChannel,
                                                   @ForAll("deterministic") RoundingMode mode,
                                                   @ForAll @IntRange(min = 1, max = 7) int rows,
                                                   @ForAll @IntRange(min = 1, max = 13) int cols, @ForAll long seed) {
        float[] w = randomWeights(new Rng(seed), rows * cols, 0.7f);
        QuantizedStorage s = new QuantizedStorage(rows, cols, bits, policy, perChannel, mode, seed);
        s.encodeFrom(w);
        float[] d = s.decodeAll();
        assertEquals(0, s.lastClippedCount(), "calibrated from the same values: nothing clips");
        for (int i = 0; i < w.length; i++) {
            double step = s.step(i / cols);
            double err = d[i] - (double) w[i];
            double e = eps(w[i], step);
            switch (mode) {
                case NEAREST_EVEN:
                    assertTrue(Math.abs(err) <= step / 2 + e, "nearest " + w[i] + " -> " + d[i] + " step " + step);
                    break;
                case TOWARD_ZERO:
                    // magnitude never grows (the affine zero point makes 'zero' the real 0, which is exact)
                    assertTrue(Math.abs(d[i]) <= Math.abs(w[i]) + e && Math.abs(err) < step + e,
                            "toward zero " + w[i] + " -> " + d[i] + " step " + step);
                    assertTrue(d[i] == 0 || Math.signum(d[i]) == Math.signum(w[i]));
                    break;
                case FLOOR:
                    assertTrue(err <= e && -err < step + e, "floor " + w[i] + " -> " + d[i] + " step " + step);
                    break;
                default:
                    fail();
            }
        }
    }

    @Provide
    Arbitrary<RoundingMode> deterministic() {
        return Arbitraries.of(RoundingMode.NEAREST_EVEN, RoundingMode.TOWARD_ZERO, RoundingMode.FLOOR);
    }

    @Property(tries = 20)
    void stochasticStorageIsUnbiasedOverManyDraws(@ForAll ScalePolicy policy, @ForAll long seed) {
        float[] w = randomWeights(new Rng(seed), 16, 0.5f);
        w[0] = 0.9f; // pins the maxabs/minmax range so it is the same at every encode
        w[1] = -0.9f;
        double[] mean = new double[w.length];
        int draws = 4000;
        QuantizedStorage s = new QuantizedStorage(2, 8, 4, policy, false, RoundingMode.STOCHASTIC, seed);
        for (int k = 0; k < draws; k++) {
            s.encodeFrom(w);
            float[] d = s.decodeAll();
            for (int i = 0; i < w.length; i++) mean[i] += d[i] / (double) draws;
        }
        double step = s.step(0);
        for (int i = 0; i < w.length; i++) {
            // Bernoulli standard error ≤ step/(2·sqrt(draws)) ≈ 0.008·step; allow 5 of them
            assertEquals(w[i], mean[i], 0.04 * step, "E[stochastic] at " + i);
        }
    }

    @Property(tries = 30)
    void stochasticSameSeedSameCodes(@ForAll long seed, @ForAll ScalePolicy policy) {
        float[] w = randomWeights(new Rng(~seed), 50, 0.3f);
        float[] delta = randomWeights(new Rng(seed ^ 7), 50, 0.01f);
        QuantizedStorage a = new QuantizedStorage(5, 10, 4, policy, true, RoundingMode.STOCHASTIC, seed);
        QuantizedStorage b = new QuantizedStorage(5, 10, 4, policy, true, RoundingMode.STOCHASTIC, seed);
        a.encodeFrom(w);
        b.encodeFrom(w);
        a.applyUpdate(delta);
        b.applyUpdate(delta);
        assertArrayEquals(a.decodeAll(), b.decodeAll());
        QuantizedStorage c = new QuantizedStorage(5, 10, 4, policy, true, RoundingMode.STOCHASTIC, seed + 1);
        c.encodeFrom(w);
        c.applyUpdate(delta);
        assertFalse(java.util.Arrays.equals(a.decodeAll(), c.decodeAll()), "another seed, other draws");
    }

    @Property(tries = 200)
    void sizeInBytesCountsPackedWordsScalesZeroPointsAndOverflow(@ForAll @IntRange(min = 2, max = 16) int bits,
                                                                 @ForAll ScalePolicy policy, @ForAll boolean perChannel,
                                                                 @ForAll @IntRange(min = 1, max = 9) int rows,
                                                                 @ForAll @IntRange(min = 1, max = 31) int cols,
                                                                 @ForAll long seed) {
        QuantizedStorage s = new QuantizedStorage(rows, cols, bits, policy, perChannel, RoundingMode.NEAREST_EVEN, seed);
        s.encodeFrom(randomWeights(new Rng(seed), rows * cols, 2f)); // |w| > 1 overflows the fixed grid at 2 bits+
        int field = policy == ScalePolicy.FIXED ? bits + 1 : bits;
        assertEquals(field, s.fieldBits());
        long n = (long) rows * cols;
        long words = (n * field + 63) / 64;
        int groups = perChannel ? rows : 1;
        long scales = policy == ScalePolicy.FIXED ? 0 : 4L * groups;
        long zeroPoints = policy == ScalePolicy.MINMAX ? 4L * groups : 0;
        assertEquals(8 * words + scales + zeroPoints + 8L * s.overflowCount(), s.sizeInBytes());
        if (policy != ScalePolicy.FIXED) assertEquals(0, s.overflowCount());
    }

    @Property(tries = 100)
    void decodingRowsAgreesWithDequantizingEachCode(@ForAll @IntRange(min = 2, max = 16) int bits,
                                                    @ForAll ScalePolicy policy, @ForAll boolean perChannel,
                                                    @ForAll @IntRange(min = 1, max = 6) int rows,
                                                    @ForAll @IntRange(min = 1, max = 11) int cols, @ForAll long seed) {
        QuantizedStorage s = new QuantizedStorage(rows, cols, bits, policy, perChannel, RoundingMode.NEAREST_EVEN, seed);
        s.encodeFrom(randomWeights(new Rng(seed), rows * cols, 1.5f));
        int r0 = rows / 2, n = rows - r0;
        float[] part = new float[n * cols + 3];
        s.decodeRows(r0, n, part, 3);
        for (int i = 0; i < rows * cols; i++) {
            float expected = s.dequantize(s.code(i), i / cols);
            assertEquals(expected, s.decodeAll()[i], 0f);
            if (i >= r0 * cols) assertEquals(expected, part[3 + i - r0 * cols], 0f);
        }
    }

    @Test
    void fixedGridKeepsOutOfRangeCodesInTheOverflowTable() {
        QuantizedStorage s = new QuantizedStorage(2, 3, 8, ScalePolicy.FIXED, false, RoundingMode.NEAREST_EVEN, 0);
        float[] w = {3.0f, 0.5f, -1.0f, -2.5f, 1.0f, 0.0f};
        s.encodeFrom(w);
        assertEquals(2, s.overflowCount(), "3.0 → 765 and −2.5 → −638 exceed ±255");
        assertEquals(765, s.code(0));
        assertEquals(-638, s.code(3));
        assertEquals(-255, s.code(2));
        float[] d = s.decodeAll();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], d[i], 0.5 / 255 + 1e-7);
        float[] row1 = new float[3];
        s.decodeRows(1, 1, row1, 0);
        assertArrayEquals(new float[] {d[3], d[4], d[5]}, row1, "decoding a later row finds its overflow entries");
        assertEquals(8 * 1 + 2 * 8, s.sizeInBytes()); // 6·9 bits in one word, two 8-byte entries
        s.applyUpdate(new float[] {-2.5f, 0, 0, 2.0f, 0, 0});
        assertEquals(0, s.overflowCount());
        assertEquals(128, s.code(0));
    }

    @Test
    void storageUpdatesCountAppliedLostCrossedAndClipped() {
        QuantizedStorage s = new QuantizedStorage(1, 4, 8, ScalePolicy.FIXED, false, RoundingMode.NEAREST_EVEN, 0);
        s.encodeFrom(new float[] {10 / 255f, 10 / 255f, 10 / 255f, 10 / 255f});
        float step = 1 / 255f;
        s.applyUpdate(new float[] {0.4f * step, 0.6f * step, 1.5f * step, 0});
        UpdateStats u = s.lastUpdate();
        assertEquals(4, u.weights());
        assertEquals(2, u.applied(), "0.6 and 1.5 steps move a code");
        assertEquals(1, u.lost(), "0.4 step vanishes under nearest rounding");
        assertEquals(1, u.crossed(), "only 1.5 steps reach the next grid point");
        assertEquals(0, u.clipped());
        assertEquals(new long[] {10, 11, 12, 10}[2], s.code(2));

        QuantizedStorage m = new QuantizedStorage(1, 2, 4, ScalePolicy.MAXABS, false, RoundingMode.NEAREST_EVEN, 0);
        m.encodeFrom(new float[] {0.7f, -0.1f}); // step 0.1, codes 7 and −1
        m.applyUpdate(new float[] {0.3f, 0});     // 1.0 is beyond 7 steps: clipped, scale kept
        assertEquals(1, m.lastUpdate().clipped());
        assertEquals(7, m.code(0));
        assertEquals(0.1, m.step(0), 1e-7);
        assertEquals(1, m.totalUpdates().clipped());
    }

    @Test
    void zeroUpdatesNeverMoveCodesWhateverTheRounding() {
        for (ScalePolicy policy : ScalePolicy.values()) {
            for (RoundingMode mode : RoundingMode.values()) {
                QuantizedStorage s = new QuantizedStorage(3, 7, 5, policy, true, mode, 42);
                s.encodeFrom(randomWeights(new Rng(1), 21, 0.4f));
                float[] before = s.decodeAll();
                s.applyUpdate(new float[21]);
                assertArrayEquals(before, s.decodeAll(), policy + " " + mode);
                assertEquals(0, s.lastUpdate().applied(), policy + " " + mode);
                assertEquals(0, s.lastUpdate().lost());
            }
        }
    }

    @Property(tries = 100)
    void octalStorageIsNumericallyTheFixedGridTowardZero(@ForAll @IntRange(min = 2, max = 16) int bits,
                                                          @ForAll long seed) {
        Rng rng = new Rng(seed);
        float[] w = randomWeights(rng, 6 * 11, 1.2f); // some |w| > 1: overflow paths too
        float[] delta = randomWeights(rng, 6 * 11, 0.01f);
        QuantizedStorage q = new QuantizedStorage(6, 11, bits, ScalePolicy.FIXED, false, RoundingMode.TOWARD_ZERO, 0);
        OctalStorage o = new OctalStorage(6, 11, bits);
        for (int step = 0; step < 3; step++) {
            if (step == 0) {
                q.encodeFrom(w);
                o.encodeFrom(w);
            } else {
                q.applyUpdate(delta);
                o.applyUpdate(delta);
            }
            assertArrayEquals(q.decodeAll(), o.decodeAll());
            for (int i = 0; i < w.length; i++) {
                assertEquals(q.code(i), o.code(i));
                assertEquals(OctalDigits.toOctalString(q.code(i)), o.toOctalString(i));
            }
            assertEquals(q.lastUpdate(), o.lastUpdate());
        }
        int digits = OctalDigits.digitsFor(bits);
        assertEquals(3 * digits + 1, o.fieldBits());
        assertEquals(8 * ((66L * o.fieldBits() + 63) / 64) + 8L * o.overflowCount(), o.sizeInBytes());
    }

    @Test
    void octalIsBiggerThanTheIntegerLayoutAtEightBits() {
        int n = 101_770;
        OctalStorage o = new OctalStorage(1, n, 8);
        QuantizedStorage q = new QuantizedStorage(1, n, 8, ScalePolicy.FIXED, false, RoundingMode.TOWARD_ZERO, 0);
        assertEquals(10, o.fieldBits());
        assertEquals(9, q.fieldBits());
        assertEquals(8 * ((n * 10L + 63) / 64), o.sizeInBytes());
        assertTrue(o.sizeInBytes() > q.sizeInBytes());
    }

    @Test
    void badInputIsNamed() {
        QuantizedStorage s = new QuantizedStorage(2, 2, 4, ScalePolicy.MAXABS, false, RoundingMode.NEAREST_EVEN, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.encodeFrom(new float[3]));
        assertTrue(e.getMessage().contains("2x2") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.encodeFrom(new float[] {0, Float.NaN, 0, 0}));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedStorage(2, 2, 1, ScalePolicy.MAXABS, false, RoundingMode.NEAREST_EVEN, 0));
    }
}
