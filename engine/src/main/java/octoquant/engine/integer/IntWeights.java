package octoquant.engine.integer;

import octoquant.engine.storage.OctalStorage;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.storage.WeightStorage;

/**
 * The int8 codes, scales and zero points of a {@link QuantizedStorage}, unpacked once for integer
 * inference (1 byte a weight: still a quarter of fp32).
 */
record IntWeights(int rows, int cols, byte[] codes, float[] scales, int[] zeroPoints) {
    static IntWeights of(WeightStorage storage, String who) {
        if (!(storage instanceof QuantizedStorage q) || storage instanceof OctalStorage
                || q.policy() == ScalePolicy.FIXED || q.bits() > 8) {
            throw new IllegalArgumentException(who + ": integer inference needs int8-or-narrower maxabs/minmax weights"
                    + " (e.g. int8-pc), got " + storage.describe());
        }
        int rows = q.rows(), cols = q.cols();
        byte[] codes = new byte[rows * cols];
        float[] scales = new float[rows];
        int[] zps = new int[rows];
        // minmax codes are unsigned [0, 2^b − 1]: shift them by 128 (and their zero point) into int8
        int shift = q.policy() == ScalePolicy.MINMAX && q.bits() == 8 ? 128 : 0;
        boolean anyZero = false;
        for (int r = 0; r < rows; r++) {
            scales[r] = (float) q.step(r);
            zps[r] = q.zeroPoint(r) - shift;
            anyZero |= zps[r] != 0;
            for (int c = 0; c < cols; c++) codes[r * cols + c] = (byte) (q.code(r * cols + c) - shift);
        }
        return new IntWeights(rows, cols, codes, scales, anyZero ? zps : null);
    }

    float scale(int row) {
        return scales[row];
    }
}
