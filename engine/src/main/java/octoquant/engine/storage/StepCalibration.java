package octoquant.engine.storage;

import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;

/**
 * Calibrates a {@link CodeGrid}'s steps and zero points from weights. Always includes 0 in the range, so 0
 * is exactly representable. maxabs: the smallest step with {@code qmax · step ≥ max |w|}; minmax: the
 * range [min(w, 0), max(w, 0)] onto [0, 2^b − 1] with an integer zero point, the step widened just enough
 * that the rounded zero point leaves both ends inside the range — so calibration itself never clips. A
 * group of zeros gets the step of [−1, 1]. {@code headroom} widens the range that many times first (the
 * storage training mode's frozen step; 1 for a plain calibration). The fixed grid calibrates nothing.
 */
final class StepCalibration {
    private StepCalibration() {}

    /** Calibrates every group of {@code grid} from {@code values} (one tensor, row-major). */
    static void calibrate(CodeGrid grid, float[] values, double headroom) {
        if (grid.fixed()) return;
        int groups = grid.scales.length;
        int perGroup = values.length / groups;
        for (int g = 0; g < groups; g++) calibrateGroup(grid, values, g, perGroup, headroom);
    }

    /**
     * The step (and zero point) of group {@code g} from its values {@code [g·perGroup, (g+1)·perGroup)}.
     *
     * @throws IllegalArgumentException naming the first non-finite weight of the group
     */
    static void calibrateGroup(CodeGrid grid, float[] values, int g, int perGroup, double headroom) {
        // Min/max order floats totally, so the (vector) reduction's order does not matter; a non-finite
        // weight makes the result non-finite and is then named exactly.
        int from = g * perGroup, end = (g + 1) * perGroup;
        long pair = VectorizationProvider.get().quantKernels().minMaxWithZero(values, from, end);
        float lo = QuantKernels.low(pair), hi = QuantKernels.high(pair);
        if (!Float.isFinite(lo) || !Float.isFinite(hi)) {
            for (int i = from; i < end; i++) {
                if (!Float.isFinite(values[i])) throw new IllegalArgumentException("cannot quantize non-finite weight " + values[i] + " at index " + i);
            }
        }
        lo = (float) (lo * headroom);
        hi = (float) (hi * headroom);
        long qmax = grid.qmax;
        if (grid.policy == ScalePolicy.MAXABS) {
            float maxAbs = Math.max(-lo, hi);
            grid.scales[g] = maxAbs == 0 ? grid.defaultStep() : stepCovering(maxAbs, qmax);
        } else if (hi == lo) {
            grid.scales[g] = grid.defaultStep();
            grid.zeroPoints[g] = (int) ((qmax + 1) / 2);
        } else {
            // The zero point is an integer, so rounding it shifts the grid; widen the step just enough
            // that both ends still fit.
            long zp = Math.round(-lo / ((hi - (double) lo) / qmax));
            zp = Math.max(lo < 0 ? 1 : 0, Math.min(hi > 0 ? qmax - 1 : qmax, zp));
            float below = lo < 0 ? stepCovering(-lo, zp) : 0f;
            float above = hi > 0 ? stepCovering(hi, qmax - zp) : 0f;
            grid.scales[g] = Math.max(below, above);
            grid.zeroPoints[g] = (int) zp;
        }
    }

    /** The smallest float step with {@code codes · step ≥ extent}, so the extreme weight is not clipped. */
    private static float stepCovering(float extent, long codes) {
        float step = (float) (extent / (double) codes);
        while (step * (double) codes < extent) step = Math.nextUp(step);
        return step;
    }
}
