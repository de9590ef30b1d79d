package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fast decoders (word-at-a-time and two-word unpacking, the affine map, the fixed-grid tables, the
 * division for wide fields, the escape patch) against the straightforward ones: {@link BitPacker#get} one
 * code at a time, and {@code dequantize(code(i), row)} through the layout's own {@code unpack} (the octal
 * digit loop included). Results must be bit-identical.
 */
class FastDecodeTest {
    @Property(tries = 400)
    void unpackRangeEqualsReadingEachCode(@ForAll @IntRange(min = 1, max = 32) int width,
                                          @ForAll @IntRange(min = 0, max = 700) int total,
                                          @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] codes = new int[total];
        long bound = 1L << width;
        for (int i = 0; i < total; i++) codes[i] = (int) ((rng.nextLong() >>> 1) % bound);
        long[] packed = BitPacker.pack(codes, width);
        for (int i = 0; i < total; i++) assertEquals(codes[i], BitPacker.get(packed, width, i), "pack then get");
        int start = total == 0 ? 0 : rng.nextInt(total);
        int n = total - start == 0 ? 0 : rng.nextInt(total - start + 1);
        int[] out = new int[n + 5];
        out[0] = out[1] = 77;
        BitPacker.unpackRange(packed, width, start, n, out, 2);
        assertEquals(77, out[1], "nothing written before the offset");
        for (int k = 0; k < n; k++) assertEquals(codes[start + k], out[2 + k], "width " + width + " code " + (start + k));
        assertEquals(0, out[2 + n], "nothing written past n");
    }

    @Property(tries = 300)
    void fastDecodeIsBitIdenticalToTheReferenceDecoder(@ForAll @IntRange(min = 2, max = 16) int bits,
                                                       @ForAll("kinds") String kind, @ForAll boolean perChannel,
                                                       @ForAll RoundingMode rounding,
                                                       @ForAll @IntRange(min = 1, max = 7) int rows,
                                                       @ForAll @IntRange(min = 1, max = 1100) int cols,
                                                       @ForAll long seed) {
        Rng rng = new Rng(seed);
        cols = cols > 40 ? cols : cols | 1; // odd fan-ins often, long rows (several decode chunks) sometimes
        QuantizedStorage s = kind.equals("octal")
                ? new OctalStorage(rows, cols, bits, rounding, seed)
                : new QuantizedStorage(rows, cols, bits, ScalePolicy.valueOf(kind), perChannel, rounding, seed);
        float spread = kind.equals("MAXABS") || kind.equals("MINMAX") ? 0.5f : 1.4f; // fixed: some |w| > 1
        float[] w = QuantizedStorageTest.randomWeights(rng, rows * cols, spread);
        s.encodeFrom(w);
        if (rng.nextInt(2) == 0) s.applyUpdate(QuantizedStorageTest.randomWeights(rng, rows * cols, 0.3f)); // clips too
        int r0 = rng.nextInt(rows), count = 1 + rng.nextInt(rows - r0), off = rng.nextInt(5);
        float[] fast = new float[off + count * cols + 2];
        float[] reference = fast.clone();
        java.util.Arrays.fill(fast, Float.NaN);
        java.util.Arrays.fill(reference, Float.NaN);
        s.decodeRows(r0, count, fast, off);
        s.decodeRowsReference(r0, count, reference, off);
        for (int k = 0; k < fast.length; k++) {
            int i = k;
            assertEquals(Float.floatToRawIntBits(reference[i]), Float.floatToRawIntBits(fast[i]),
                    "index " + i + " of " + s.describe() + " (overflow " + s.overflowCount() + ")");
        }
    }

    @Property(tries = 8)
    void largeRangesSplitOverThreadsDecodeTheSame(@ForAll("kinds") String kind, @ForAll long seed) {
        int rows = 70, cols = 999; // 69,930 weights: above the parallel threshold
        QuantizedStorage s = kind.equals("octal")
                ? new OctalStorage(rows, cols, 8)
                : new QuantizedStorage(rows, cols, 8, ScalePolicy.valueOf(kind), true, RoundingMode.NEAREST_EVEN, seed);
        s.encodeFrom(QuantizedStorageTest.randomWeights(new Rng(seed), rows * cols, 1.4f));
        float[] reference = new float[rows * cols];
        s.decodeRowsReference(0, rows, reference, 0);
        int before = octoquant.engine.kernels.Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                octoquant.engine.kernels.Parallel.setThreads(threads);
                assertArrayEquals(reference, s.decodeAll(), threads + " threads");
            }
        } finally {
            octoquant.engine.kernels.Parallel.setThreads(before);
        }
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of("FIXED", "MAXABS", "MINMAX", "octal");
    }

    @Property(tries = 6)
    void octalFieldsAreSignMagnitudeBinary(@ForAll @IntRange(min = 1, max = 6) int digits) {
        CodeLayout octal = OctalDigits.layout(digits);
        CodeLayout signMagnitude = CodeLayout.signMagnitude(3 * digits);
        assertTrue(octal.isSignMagnitude());
        assertEquals(signMagnitude.width(), octal.width());
        assertEquals(signMagnitude.escape(), octal.escape());
        for (int f = 0; f < 1 << octal.width(); f++) {
            if (f == octal.escape()) continue;
            assertEquals(signMagnitude.unpack(f), octal.unpack(f), "field " + f);
            assertEquals(f, octal.pack(octal.unpack(f)));
        }
    }
}
