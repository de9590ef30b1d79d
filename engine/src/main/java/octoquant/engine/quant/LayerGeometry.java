package octoquant.engine.quant;

import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.MaxPool2d;

/**
 * Stride, padding and window of {@link Conv2d} and {@link MaxPool2d}, which expose only
 * {@code outputSize(int)} (and the weight's shape): recovered from that function, which is
 * {@code floor((s + x) / stride) + 1} with {@code x = 2·padding − kernel}. Over {@code L} consecutive
 * sizes, L a multiple of the stride, the output grows by {@code L / stride}; once the stride is known,
 * the outputs over one full cycle of sizes fix x. Every answer is checked against {@code outputSize} on
 * a range of sizes. (Getters on the layers would make this unnecessary.)
 */
final class LayerGeometry {
    /** Divisible by every stride 1…16. */
    private static final int CYCLE = 720720;
    private static final int BIG = 1 << 20;

    private LayerGeometry() {}

    /** {stride, offset x} of a layer whose output size is {@code floor((s + x)/stride) + 1}. */
    private static int[] strideAndOffset(java.util.function.IntUnaryOperator out, String who) {
        int grow = out.applyAsInt(BIG + CYCLE) - out.applyAsInt(BIG);
        if (grow <= 0 || CYCLE % grow != 0) throw new IllegalArgumentException("cannot infer the stride of " + who);
        int stride = CYCLE / grow;
        // out(s) − 1 = floor((s + x)/stride): at s = BIG, x in (−BIG, BIG) is pinned down by the value and
        // by the size at which the output next grows
        int base = out.applyAsInt(BIG) - 1;
        int next = BIG;
        while (out.applyAsInt(next) - 1 == base) next++;
        int x = (base + 1) * stride - next; // (next + x) is the first multiple of stride past base·stride
        for (int s = BIG - 3 * stride; s < BIG + 3 * stride; s++) {
            if (out.applyAsInt(s) != Math.floorDiv(s + x, stride) + 1) throw new IllegalArgumentException("cannot infer the geometry of " + who);
        }
        return new int[] {stride, x};
    }

    /** {stride, padding} of a convolution with the given kernel. */
    static int[] conv(Conv2d conv, int kernel) {
        int[] sx = strideAndOffset(conv::outputSize, conv.toString());
        int twoPad = sx[1] + kernel;
        if (twoPad < 0 || twoPad % 2 != 0) throw new IllegalArgumentException("cannot infer the padding of " + conv);
        return new int[] {sx[0], twoPad / 2};
    }

    /** {kernel, stride} of a max-pool (no padding). */
    static int[] pool(MaxPool2d pool) {
        int[] sx = strideAndOffset(pool::outputSize, pool.toString());
        if (-sx[1] < 1) throw new IllegalArgumentException("cannot infer the window of " + pool);
        return new int[] {-sx[1], sx[0]};
    }
}
