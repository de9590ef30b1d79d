package octoquant.engine.ops;

import octoquant.engine.tensor.Shape;

/**
 * NumPy-style broadcasting: shapes are aligned on their last dimension, and a dimension of size 1 (or a
 * missing leading one) is repeated to match the other operand. Used by the elementwise ops, whose
 * backward sums the output gradient back over the repeated positions.
 */
final class Broadcast {
    private Broadcast() {}

    /** The broadcast result shape, or an IllegalArgumentException naming the op and both shapes. */
    static Shape resultShape(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dimFromRight(a, rank - 1 - i);
            int db = dimFromRight(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " do not broadcast (dimension " + i + " of the result: " + da + " vs " + db + ")");
            }
            dims[i] = da == 1 ? db : da;
        }
        return Shape.of(dims);
    }

    private static int dimFromRight(Shape s, int fromRight) {
        int i = s.rank() - 1 - fromRight;
        return i < 0 ? 1 : s.dim(i);
    }

    /**
     * For every element of {@code out} (row-major), the index of the element of {@code in} that it reads.
     * {@code in} must broadcast to {@code out}.
     */
    static int[] sourceIndex(Shape out, Shape in) {
        int n = out.size();
        int[] map = new int[n];
        if (out.equals(in)) {
            for (int i = 0; i < n; i++) map[i] = i;
            return map;
        }
        int rank = out.rank();
        int[] outDims = out.dims();
        int[] inStride = new int[rank]; // 0 along repeated dimensions
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int d = dimFromRight(in, rank - 1 - i);
            inStride[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        int[] counter = new int[rank];
        int src = 0;
        for (int i = 0; i < n; i++) {
            map[i] = src;
            // Advance the multi-index like an odometer, keeping the source offset in step.
            for (int ax = rank - 1; ax >= 0; ax--) {
                counter[ax]++;
                src += inStride[ax];
                if (counter[ax] < outDims[ax]) break;
                src -= inStride[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
        return map;
    }
}
