package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/**
 * QAT's fake-quantized fp32 view (one fused quantize→dequantize pass) against the packed path it stands
 * in for: a twin storage of the same scheme and seed, encoded the ordinary way and decoded from its packed
 * codes. Every value, STE mask bit, clip count, code, overflow entry and byte count must agree, for every
 * scheme family and rounding mode (stochastic with the same seed), out-of-range weights included (the
 * fixed grid's overflow and int32 clamp, the frozen scale's clipping), at any thread count.
 */
class FakeQuantViewTest {
    @Property(tries = 300)
    void fakeViewIsBitIdenticalToDecodingThePackedCodes(@ForAll("schemes") String scheme,
                                                        @ForAll @IntRange(min = 1, max = 9) int rows,
                                                        @ForAll @IntRange(min = 1, max = 300) int cols,
                                                        @ForAll @IntRange(min = 0, max = 3) int magnitude,
                                                        @ForAll @IntRange(min = 1, max = 3) int threads,
                                                        @ForAll long seed) {
        QuantScheme q = QuantScheme.parse(scheme);
        QuantizedStorage reference = (QuantizedStorage) q.newStorage(rows, cols, seed);
        FakeQuantView fake = new FakeQuantView((QuantizedStorage) q.newStorage(rows, cols, seed));
        Rng rng = new Rng(seed);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            for (int round = 0; round < 3; round++) {
                float[] w = weights(rng, rows * cols, magnitude);
                boolean[] refClip = new boolean[w.length], fakeClip = new boolean[w.length];
                if (round == 2) { // a frozen step, weights grown past it: clamps and the STE mask
                    for (int i = 0; i < w.length; i++) w[i] *= 3f;
                    reference.encodeKeepingScale(w, refClip);
                    fake.encodeKeepingScale(w, fakeClip);
                } else {
                    reference.encodeFrom(w, refClip);
                    fake.encode(w, fakeClip);
                }
                String what = scheme + " " + rows + "x" + cols + " round " + round;
                float[] expected = reference.decodeAll();
                float[] view = fake.floatView();
                assertNotNull(view, "the kernels read the view in place");
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(view[i]),
                            what + " index " + i + " w=" + w[i]);
                }
                assertArrayEquals(refClip, fakeClip, what + ": STE mask");
                assertEquals(reference.lastClippedCount(), fake.lastClippedCount(), what);
                for (int r = 0; r < rows; r++) {
                    assertEquals(reference.step(r), fake.step(r), what);
                    assertEquals(reference.zeroPoint(r), fake.zeroPoint(r), what);
                }
                if (round == 1) { // the packed form, built lazily from the view's codes
                    for (int i = 0; i < expected.length; i++) assertEquals(reference.code(i), fake.code(i), what + " code " + i);
                    assertEquals(reference.overflowCount(), fake.packed().overflowCount(), what);
                    for (int i = 0; i < expected.length; i++) assertEquals(reference.code(i), fake.packed().code(i), what + " packed code " + i);
                    assertEquals(reference.sizeInBytes(), fake.sizeInBytes(), what);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        QuantizedStorage released = fake.release();
        assertNull(released.floatView());
        assertArrayEquals(reference.decodeAll(), released.decodeAll(), "packed after leaving the view");
        assertEquals(reference.sizeInBytes(), released.sizeInBytes());
        assertThrows(IllegalStateException.class, fake::floatView, "a released view is finished");
    }

    @Property(tries = 4)
    void largeStoragesSplitOverThreadsGiveTheSameView(@ForAll("schemes") String scheme, @ForAll long seed) {
        int rows = 40, cols = 999; // above the parallel threshold
        QuantScheme q = QuantScheme.parse(scheme);
        QuantizedStorage reference = (QuantizedStorage) q.newStorage(rows, cols, seed);
        FakeQuantView fake = new FakeQuantView((QuantizedStorage) q.newStorage(rows, cols, seed));
        float[] w = weights(new Rng(seed), rows * cols, 2);
        reference.encodeFrom(w);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            fake.encodeFrom(w);
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(reference.decodeAll(), fake.floatView(), scheme);
    }

    /** Gaussian weights; magnitude 2 adds some beyond [−1, 1], 3 some beyond the fixed grid's int32 codes. */
    static float[] weights(Rng rng, int n, int magnitude) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            switch (magnitude) {
                case 0: w[i] = (float) (g * 0.01); break;
                case 1: w[i] = (float) (g * 0.3); break;
                case 2: w[i] = (float) (g * (rng.nextInt(8) == 0 ? 4 : 0.3)); break;
                default: w[i] = (float) (g * (rng.nextInt(8) == 0 ? 3e7 : 0.5)); break;
            }
            if (rng.nextInt(16) == 0) w[i] = Math.round(w[i] * 7) / 7f; // ties and exact grid points
            if (rng.nextInt(32) == 0) w[i] = 0f;
        }
        return w;
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("quant8", "quant2", "quant5", "quant16", "octal8", "octal4", "octal7",
                "int8", "int8-pc", "int4-pc", "int2", "int16-pc", "int8-minmax", "int4-pc-minmax",
                "int8-zero", "int8-pc-floor", "int4-stochastic", "int8-pc-stochastic", "int6-pc-minmax-stochastic",
                "int3-minmax-zero", "int8-pc-minmax-floor", "int8-fixed", "int5-pc-fixed-stochastic",
                "int4-fixed-zero", "int8-fixed-floor");
    }
}
