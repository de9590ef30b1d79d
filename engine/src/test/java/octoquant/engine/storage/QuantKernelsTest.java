package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.util.Rng;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Vector API form of {@link QuantKernels} against the scalar arithmetic it replaces, element by element
 * and bit for bit: QAT's fused quantize→dequantize (every rounding mode but stochastic, which stays scalar;
 * exact ties, exact grid points, ±0, values that clamp, values beyond the vector loop's range and
 * non-finite ones, which it must leave to the scalar loop), the min/max reduction of the calibration, and
 * the decoder of offset-binary fields, at every bit width 2..16, odd lengths and
 * offsets (tails). The surefire JVMs run with the Vector API module, so the vector form must be there.
 */
class QuantKernelsTest {
    private static QuantKernels vector() {
        return VectorizationProvider.vector().map(VectorizationProvider::quantKernels).orElseThrow(() -> new AssertionError(
                "the Vector API form did not load: " + VectorizationProvider.vectorUnavailableReason()));
    }

    @Example
    void theStoragesUseTheVectorFormWhenTheFloatKernelsDo() {
        if (VectorizationProvider.get().kernels().floatLanes() > 1) {
            assertTrue(VectorizationProvider.get().quantKernels().name().startsWith("vector"), VectorizationProvider.get().quantKernels().name());
        } else {
            assertSame(VectorizationProvider.scalar().quantKernels(), VectorizationProvider.get().quantKernels());
        }
        assertEquals("scalar", VectorizationProvider.scalar().quantKernels().name());
    }

    @Property(tries = 600)
    void fakeQuantizeIsBitIdenticalToTheScalarLoop(@ForAll @IntRange(min = 2, max = 16) int bits,
                                                   @ForAll("policies") ScalePolicy policy,
                                                   @ForAll("deterministic") RoundingMode mode,
                                                   @ForAll @IntRange(min = 0, max = 300) int length,
                                                   @ForAll @IntRange(min = 0, max = 3) int kind,
                                                   @ForAll boolean flags, @ForAll long seed) {
        Rng rng = new Rng(seed);
        boolean fixed = policy == ScalePolicy.FIXED;
        long lo, hi;
        int zp = 0;
        if (fixed) {
            lo = Integer.MIN_VALUE;
            hi = Integer.MAX_VALUE;
        } else if (policy == ScalePolicy.MAXABS) {
            hi = (1L << (bits - 1)) - 1;
            lo = -hi;
        } else {
            lo = 0;
            hi = (1L << bits) - 1;
            zp = rng.nextInt((int) hi + 1);
        }
        double den = (1L << bits) - 1;
        // a power-of-two step makes k/2 · step exact: real ties for nearest-even, exact grid points for the rest
        float scale = rng.nextInt(2) == 0 ? (float) Math.scalb(1.0, -1 - rng.nextInt(12)) : (float) (0.001 + rng.nextDouble());
        int from = rng.nextInt(7), to = from + length;
        float[] w = new float[to + 3];
        for (int i = 0; i < w.length; i++) w[i] = weight(rng, kind, fixed, scale, den, hi - lo);
        float[] out = new float[w.length], outRef = new float[w.length];
        int[] codes = new int[w.length], codesRef = new int[w.length];
        boolean[] clip = flags ? new boolean[w.length] : null, clipRef = new boolean[w.length];
        Arrays.fill(out, -7f);
        Arrays.fill(codes, -7);
        if (clip != null) Arrays.fill(clip, true); // stale flags must be overwritten
        long prefix = vector().fakeQuantize(w, from, to, fixed, den, scale, mode.ordinal(), lo, hi, zp, scale, out, codes, clip, false);
        int end = (int) (prefix >>> 32);
        long clipped = reference(w, from, end, fixed, den, scale, mode, lo, hi, zp, scale, outRef, codesRef, clipRef);
        assertTrue(end >= from && end <= to, "prefix end " + end);
        String what = policy + " int" + bits + " " + mode + " kind " + kind + " [" + from + ", " + to + ")";
        for (int i = from; i < end; i++) {
            assertEquals(Float.floatToRawIntBits(outRef[i]), Float.floatToRawIntBits(out[i]), what + " value " + i + " w=" + w[i]);
            assertEquals(codesRef[i], codes[i], what + " code " + i + " w=" + w[i]);
            if (clip != null) assertEquals(clipRef[i], clip[i], what + " clip flag " + i);
        }
        assertEquals(clipped, (int) prefix, what + ": clip count");
        for (int i = end; i < w.length; i++) assertEquals(-7f, out[i], what + ": nothing written past the prefix");
        boolean tame = true; // nothing the vector loop must leave to the scalar one
        for (int i = from; i < to; i++) {
            double x = fixed ? w[i] * den : w[i] / (double) scale;
            tame &= Math.abs(x) < 0x1p20; // the float loop's limit is 2^21
        }
        if (tame) assertTrue(to - end < 16, what + ": the vector loop stopped early at " + end);
    }

    private static float weight(Rng rng, int kind, boolean fixed, float scale, double den, long range) {
        double unit = fixed ? 1 / den : scale;
        switch (rng.nextInt(kind == 3 ? 8 : 6)) {
            case 0: return (float) ((rng.nextInt(4 * (int) Math.min(range, 1 << 16) + 1) - 2 * Math.min(range, 1 << 16)) * 0.5 * unit); // ties, grid points
            case 1: return rng.nextInt(2) == 0 ? 0f : -0f;
            case 2: return (float) (rng.nextGaussian() * unit * Math.min(range, 1 << 16) * (kind == 2 ? 3 : 0.4)); // kind 2 clamps
            case 3: return (float) (rng.nextGaussian() * unit * 2);
            case 4: return Math.nextUp((float) ((rng.nextInt(64) - 32 + 0.5) * unit)); // next to a tie
            case 5: return Math.nextDown((float) ((rng.nextInt(64) - 32) * unit)); // next to a grid point
            case 6: return rng.nextInt(2) == 0 ? (float) (rng.nextGaussian() * 3e7) : 1e30f; // beyond the vector range
            default: return rng.nextInt(2) == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
        }
    }

    /** {@link QuantizedStorage}'s scalar loop, written out: the reference arithmetic. */
    static long reference(float[] w, int from, int to, boolean fixed, double den, double divisor, RoundingMode mode,
                          long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clip) {
        long clipped = 0;
        for (int i = from; i < to; i++) {
            double x = fixed ? w[i] * den : w[i] / divisor;
            long q = mode.round(x, null) + zp;
            boolean c = q < lo || q > hi;
            if (c) {
                q = Math.max(lo, Math.min(hi, q));
                clipped++;
            }
            clip[i] = c;
            codes[i] = (int) q;
            out[i] = fixed ? (float) (q / den) : (q - zp) * scale;
        }
        return clipped;
    }

    @Property(tries = 300)
    void minMaxAgreesWithTheScalarReduction(@ForAll @IntRange(min = 0, max = 400) int length,
                                            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int from = rng.nextInt(5);
        float[] v = new float[from + length + 2];
        for (int i = 0; i < v.length; i++) v[i] = kind == 0 ? (float) rng.nextGaussian() : (float) -Math.abs(rng.nextGaussian());
        if (kind == 2 && length > 0) v[from + rng.nextInt(length)] = rng.nextInt(2) == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
        long s = VectorizationProvider.scalar().quantKernels().minMaxWithZero(v, from, from + length);
        long x = vector().minMaxWithZero(v, from, from + length);
        for (float[] pair : new float[][] {{QuantKernels.low(s), QuantKernels.low(x)}, {QuantKernels.high(s), QuantKernels.high(x)}}) {
            if (Float.isFinite(pair[0])) assertEquals(pair[0], pair[1], 0f, "min/max of " + length);
            else assertFalse(Float.isFinite(pair[1]), "a non-finite value must show");
        }
        float lo = 0, hi = 0;
        for (int i = from; i < from + length; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        if (Float.isFinite(lo) && Float.isFinite(hi)) {
            assertEquals(lo, QuantKernels.low(x), 0f);
            assertEquals(hi, QuantKernels.high(x), 0f);
        }
    }

    @Property(tries = 400)
    void affineDecoderIsBitIdenticalToTheReference(@ForAll @IntRange(min = 2, max = 16) int width,
                                                    @ForAll @IntRange(min = 0, max = 700) int total,
                                                    @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] fields = new int[total];
        for (int i = 0; i < total; i++) fields[i] = rng.nextInt(1 << width);
        long[] words = BitPacker.pack(fields, width);
        int start = total == 0 ? 0 : rng.nextInt(total);
        int n = total - start, off = rng.nextInt(3);
        int shift = -rng.nextInt(1 << width);
        float scale = (float) (rng.nextDouble() * 0.1);

        float[] dst = new float[off + n + 1];
        Arrays.fill(dst, -9f);
        int done = vector().affine(words, width, start, n, shift, scale, dst, off);
        for (int k = 0; k < done; k++) {
            float expected = (fields[start + k] + shift) * scale;
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dst[off + k]), "affine width " + width + " field " + (start + k));
        }
        assertEquals(-9f, dst[off + done], "affine: nothing past the prefix");
        if ((width == 4 || width == 8 || width == 16) && n >= 64 + 16 * width) assertTrue(done > 0, "affine width " + width + " decoded nothing");

    }

    @Provide
    Arbitrary<ScalePolicy> policies() {
        return Arbitraries.of(ScalePolicy.values());
    }

    @Provide
    Arbitrary<RoundingMode> deterministic() {
        return Arbitraries.of(RoundingMode.NEAREST_EVEN, RoundingMode.TOWARD_ZERO, RoundingMode.FLOOR);
    }
}
