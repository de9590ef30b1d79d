package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The facts the float-lane fake-quantize of {@code VectorQuantKernels} rests on, checked directly, and
 * the kernel against the scalar reference on weights chosen to put the float quotient exactly on a rounding
 * boundary while the double quotient is not there (the lanes that must take the reference's arithmetic).
 */
class FloatLaneFakeQuantTest {
    /** The fixed grid's value: {@code q / (float) (2^b − 1)} is {@code (float) (q / (double) (2^b − 1))}, every q and b. */
    @Example
    void fixedGridValueInFloatIsTheDoubleDivisionRounded() {
        for (int b = 2; b <= 16; b++) {
            double den = (1L << b) - 1;
            float denF = (float) den;
            for (int q = -(1 << 21); q <= 1 << 21; q++) {
                float viaDouble = (float) (q / den), viaFloat = q / denF;
                if (Float.floatToRawIntBits(viaDouble) != Float.floatToRawIntBits(viaFloat)) {
                    fail("b " + b + " q " + q + ": " + viaDouble + " vs " + viaFloat);
                }
            }
        }
    }

    /**
     * A float quotient is the double quotient rounded to float (double rounding is innocuous for division),
     * on random operands and on operands whose quotient lies next to an integer or a half-integer.
     */
    @Example
    void floatQuotientIsTheDoubleQuotientRounded() {
        Rng rng = new Rng(17);
        for (int t = 0; t < 2_000_000; t++) {
            float s = (float) Math.scalb(1 + rng.nextDouble(), rng.nextInt(200) - 100);
            float w;
            switch (t % 3) {
                case 0: w = (float) Math.scalb(rng.nextDouble() * 2 - 1, rng.nextInt(260) - 130); break;
                case 1: w = (float) ((rng.nextInt(1 << 16) - (1 << 15)) * 0.5 * s); break; // near a boundary
                default: {
                    float near = (float) ((rng.nextInt(1 << 12) - (1 << 11)) * 0.5 * s);
                    w = rng.nextInt(2) == 0 ? Math.nextUp(near) : Math.nextDown(near);
                }
            }
            float viaDouble = (float) (w / (double) s), viaFloat = w / s;
            if (Float.floatToRawIntBits(viaDouble) != Float.floatToRawIntBits(viaFloat)) {
                fail(w + " / " + s + ": " + viaDouble + " vs " + viaFloat);
            }
        }
    }

    /**
     * Weights k/2 · step rounded to float, and their neighbours, with steps that are not powers of two: the
     * float quotient then often sits exactly on an integer or half-integer that the exact quotient misses.
     * Every rounding mode, every policy; the whole range must come out of the vector loop (nothing left to
     * the caller) with the reference's bits.
     */
    @Property(tries = 300)
    void boundaryQuotientsGetTheReferenceBits(@ForAll @IntRange(min = 2, max = 16) int bits,
                                              @ForAll("policies") ScalePolicy policy,
                                              @ForAll("deterministic") RoundingMode mode, @ForAll long seed) {
        QuantKernels vector = VectorizationProvider.vector().map(VectorizationProvider::quantKernels).orElseThrow(() -> new AssertionError(VectorizationProvider.vectorUnavailableReason()));
        Rng rng = new Rng(seed);
        boolean fixed = policy == ScalePolicy.FIXED;
        long hi = fixed ? Integer.MAX_VALUE : policy == ScalePolicy.MAXABS ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        long lo = fixed ? Integer.MIN_VALUE : policy == ScalePolicy.MAXABS ? -hi : 0;
        int zp = policy == ScalePolicy.MINMAX ? rng.nextInt((int) hi + 1) : 0;
        double den = (1L << bits) - 1;
        float scale = (float) (0.0007 + rng.nextDouble() * 3);
        double unit = fixed ? 1 / den : scale;
        int n = 16 * 40;
        float[] w = new float[n];
        int boundaries = 0;
        for (int i = 0; i < n; i++) {
            float v = (float) ((rng.nextInt(4 * (int) Math.min(hi - lo, 1 << 12) + 1) - 2 * Math.min(hi - lo, 1 << 12)) * 0.5 * unit);
            int pick = rng.nextInt(4);
            w[i] = pick == 0 ? Math.nextUp(v) : pick == 1 ? Math.nextDown(v) : v;
            float y = fixed ? w[i] * (float) den : w[i] / scale;
            double x = fixed ? w[i] * den : w[i] / (double) scale;
            boolean onBoundary = mode == RoundingMode.NEAREST_EVEN ? Math.abs(y - Math.rint(y)) == 0.5 : y == Math.rint(y);
            if (onBoundary && x != y) boundaries++;
        }
        float[] out = new float[n], outRef = new float[n];
        int[] codes = new int[n], codesRef = new int[n];
        boolean[] clip = new boolean[n], clipRef = new boolean[n];
        long prefix = vector.fakeQuantize(w, 0, n, fixed, den, scale, mode.ordinal(), lo, hi, zp, scale, out, codes, clip, false);
        long clipped = QuantKernelsTest.reference(w, 0, n, fixed, den, scale, mode, lo, hi, zp, scale, outRef, codesRef, clipRef);
        assertEquals(n, (int) (prefix >>> 32), "the vector loop stopped early");
        assertEquals(clipped, (int) prefix, "clip count");
        String what = policy + " int" + bits + " " + mode + " step " + scale + " (" + boundaries + " boundary quotients)";
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(outRef[i]), Float.floatToRawIntBits(out[i]), what + " value " + i + " w=" + w[i]);
            assertEquals(codesRef[i], codes[i], what + " code " + i + " w=" + w[i]);
            assertEquals(clipRef[i], clip[i], what + " clip flag " + i);
        }
    }

    /** The property above is only worth its tries if the boundary lanes it is about really occur. */
    @Example
    void theBoundaryCaseOccursOnTheGeneratedWeights() {
        Rng rng = new Rng(3);
        int hits = 0;
        for (int t = 0; t < 100_000; t++) {
            float scale = (float) (0.0007 + rng.nextDouble() * 3);
            float w = (float) ((rng.nextInt(512) - 256) * 0.5 * scale);
            float y = w / scale;
            if (Math.abs(y - Math.rint(y)) == 0.5 && w / (double) scale != y) hits++;
        }
        assertTrue(hits > 100, "float quotients on a half-integer the double quotient misses: " + hits);
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
