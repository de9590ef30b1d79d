package octoquant.datasets;

/**
 * One mini-batch: {@code x} holds {@code size} examples as normalized floats in N×C×H×W order
 * ({@code x.length == size * C*H*W} exactly, also for the last, partial batch), {@code y} their labels,
 * {@code indices} their positions in the data set.
 *
 * <p>The arrays are buffers owned by the iterator and overwritten by its next batch: use or copy them
 * before asking for the next one.
 */
public final class Batch {
    public final float[] x;
    public final int[] y;
    public final int[] indices;
    public final int size;
    public final int channels;
    public final int height;
    public final int width;

    Batch(float[] x, int[] y, int[] indices, int size, int channels, int height, int width) {
        this.x = x;
        this.y = y;
        this.indices = indices;
        this.size = size;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** {N, C, H, W}. */
    public int[] shape() {
        return new int[] {size, channels, height, width};
    }
}
