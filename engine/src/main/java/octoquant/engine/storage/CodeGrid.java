package octoquant.engine.storage;

import java.util.Arrays;

/**
 * The map between a quantized storage's integer codes and real weights, and the range its codes may take.
 * {@link ScalePolicy#FIXED}: {@code w = code / (2^b − 1)}, codes over the whole int32 range (the seed's
 * grid is unbounded); {@link ScalePolicy#MAXABS}: {@code w = code · step}, codes in
 * {@code [−(2^(b−1) − 1), 2^(b−1) − 1]}; {@link ScalePolicy#MINMAX}: {@code w = (code − zeroPoint) · step},
 * codes in {@code [0, 2^b − 1]}. One step (and zero point) per tensor, or per row (output channel) when
 * {@code perChannel}; the fixed grid stores none. The steps and zero points are set by
 * {@link StepCalibration} and are part of the storage's saved state.
 */
final class CodeGrid {
    final int bits;
    final ScalePolicy policy;
    final boolean perChannel;
    /** Smallest and largest code (the int32 range on the fixed grid). */
    final long qmin, qmax;
    /** {@code 2^b − 1}: the fixed grid's code of 1.0. */
    final double fixedDenominator;
    /** One step per group (none on the fixed grid). */
    final float[] scales;
    /** One zero point per group (minmax only). */
    final int[] zeroPoints;

    CodeGrid(int rows, int bits, ScalePolicy policy, boolean perChannel) {
        this.bits = bits;
        this.policy = policy;
        this.perChannel = perChannel;
        this.fixedDenominator = (1L << bits) - 1;
        switch (policy) {
            case FIXED:
                qmin = Integer.MIN_VALUE;
                qmax = Integer.MAX_VALUE;
                break;
            case MAXABS:
                qmax = (1L << (bits - 1)) - 1;
                qmin = -qmax;
                break;
            case MINMAX:
                qmin = 0;
                qmax = (1L << bits) - 1;
                break;
            default:
                throw new AssertionError(policy);
        }
        int groups = perChannel ? rows : 1;
        this.scales = policy == ScalePolicy.FIXED ? new float[0] : new float[groups];
        this.zeroPoints = policy == ScalePolicy.MINMAX ? new int[groups] : new int[0];
        Arrays.fill(scales, defaultStep());
    }

    boolean fixed() {
        return policy == ScalePolicy.FIXED;
    }

    /** The group (index into the steps) of row {@code row}: the row itself per channel, else 0. */
    int group(int row) {
        return perChannel ? row : 0;
    }

    /** Groups with their own step: the rows per channel, else 1 (also on the fixed grid, which stores no step). */
    int groups(int rows) {
        return perChannel && !fixed() ? rows : 1;
    }

    /** The step (value of one code unit) of row {@code row}. */
    double step(int row) {
        return fixed() ? 1.0 / fixedDenominator : scales[group(row)];
    }

    /** The zero point of row {@code row} (0 unless minmax). */
    int zeroPoint(int row) {
        return policy == ScalePolicy.MINMAX ? zeroPoints[group(row)] : 0;
    }

    /** Group {@code g}'s step as stored (0 on the fixed grid, which has none). */
    float groupScale(int g) {
        return fixed() ? 0f : scales[g];
    }

    /** Group {@code g}'s zero point (0 unless minmax). */
    int groupZeroPoint(int g) {
        return policy == ScalePolicy.MINMAX ? zeroPoints[g] : 0;
    }

    /** The weight a code of row {@code row} stands for: {@code (float) (code / (2^b − 1))}, {@code code · step}, {@code (code − zp) · step}. */
    float dequantize(long code, int row) {
        switch (policy) {
            case FIXED:
                return (float) (code / fixedDenominator);
            case MAXABS:
                return code * scales[group(row)];
            default:
                return (code - zeroPoints[group(row)]) * scales[group(row)];
        }
    }

    /** The code before rounding, in double like numpy: {@code w·(2^b − 1)} on the fixed grid, else {@code w / step}. */
    double realCode(float w, int row) {
        return fixed() ? w * fixedDenominator : w / (double) scales[group(row)];
    }

    /** The step of the range [−1, 1]: the step of a group with nothing to calibrate from. */
    float defaultStep() {
        return policy == ScalePolicy.MINMAX ? (float) (2.0 / qmax) : (float) (1.0 / Math.max(1, qmax));
    }
}
