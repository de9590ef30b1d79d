package octoquant.datasets;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Turns an {@link ImageDataset} into mini-batches of normalized floats, one batch converted at a time.
 *
 * <p>For epoch {@code e} the order is a Fisher–Yates shuffle drawn from {@code SplitMix64.stream(seed, e)}
 * (or file order without shuffling); augmentation draws from the same stream, example after example in
 * batch order. So a (seed, epoch) pair always gives the same batches, whatever happened before and
 * whatever the thread count. The last batch holds the remainder (it is not dropped).
 *
 * <p>Augmentation (CIFAR-10 style): the image is padded with 4 pixels of value 0 (black, as torchvision's
 * {@code RandomCrop(32, padding=4)} pads before normalizing) on every side, a random H×W window is cut out
 * (offsets 0..8 each way), and it is mirrored left-right with probability 1/2.
 */
public final class Batcher {
    /** Padding of the random crop, in pixels. */
    public static final int CROP_PADDING = 4;

    private final ImageDataset data;
    private final int batchSize;
    private final Normalization norm;
    private final boolean shuffle;
    private final boolean augment;
    private final long seed;

    public Batcher(ImageDataset data, int batchSize, Normalization norm, boolean shuffle, boolean augment, long seed) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        if (norm.channels() != data.channels()) {
            throw new IllegalArgumentException("normalization has " + norm.channels() + " channels, " + data.name()
                    + " has " + data.channels());
        }
        this.data = data;
        this.batchSize = batchSize;
        this.norm = norm;
        this.shuffle = shuffle;
        this.augment = augment;
        this.seed = seed;
    }

    /** Shuffled each epoch from {@code seed}, optionally augmented. */
    public static Batcher training(ImageDataset data, int batchSize, Normalization norm, long seed, boolean augment) {
        return new Batcher(data, batchSize, norm, true, augment, seed);
    }

    /** File order, no augmentation: for evaluation. */
    public static Batcher evaluation(ImageDataset data, int batchSize, Normalization norm) {
        return new Batcher(data, batchSize, norm, false, false, 0);
    }

    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    public ImageDataset data() { return data; }

    /** The example order of epoch {@code epoch} (0-based). */
    public int[] order(int epoch) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) SplitMix64.stream(seed, epoch).shuffle(order);
        return order;
    }

    /** The batches of one epoch; each call starts afresh and reuses its own buffers. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new EpochIterator(epoch);
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final int[] order;
        private final SplitMix64 rng;
        private final byte[] img = new byte[data.sampleSize()];
        private float[] fullX;
        private int[] fullY;
        private int[] fullIdx;
        private int pos;

        EpochIterator(int epoch) {
            // The shuffle consumes the stream first, then augmentation continues on the same stream.
            this.rng = SplitMix64.stream(seed, epoch);
            int[] o = new int[data.size()];
            for (int i = 0; i < o.length; i++) o[i] = i;
            if (shuffle) rng.shuffle(o);
            this.order = o;
        }

        @Override
        public boolean hasNext() {
            return pos < order.length;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            int n = Math.min(batchSize, order.length - pos);
            int sample = data.sampleSize();
            float[] x;
            int[] y;
            int[] idx;
            if (n == batchSize) {
                if (fullX == null) {
                    fullX = new float[batchSize * sample];
                    fullY = new int[batchSize];
                    fullIdx = new int[batchSize];
                }
                x = fullX;
                y = fullY;
                idx = fullIdx;
            } else { // the one partial batch at the end: exact-size arrays
                x = new float[n * sample];
                y = new int[n];
                idx = new int[n];
            }
            for (int k = 0; k < n; k++) {
                int i = order[pos + k];
                idx[k] = i;
                y[k] = data.label(i);
                data.copyImage(i, img, 0);
                if (augment) {
                    int ox = rng.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
                    int oy = rng.nextInt(2 * CROP_PADDING + 1) - CROP_PADDING;
                    boolean flip = rng.nextInt(2) == 1;
                    convertAugmented(img, x, k * sample, ox, oy, flip);
                } else {
                    convert(img, x, k * sample);
                }
            }
            pos += n;
            return new Batch(x, y, idx, n, data.channels(), data.height(), data.width());
        }

        private void convert(byte[] src, float[] dst, int off) {
            int plane = data.height() * data.width();
            for (int c = 0; c < data.channels(); c++) {
                float[] t = norm.table(c);
                for (int k = c * plane, end = k + plane; k < end; k++) dst[off + k] = t[src[k] & 0xFF];
            }
        }

        /** out(y, x) = in(y + oy, x' + ox) with x' = W-1-x when flipped; outside the image: pixel 0. */
        private void convertAugmented(byte[] src, float[] dst, int off, int ox, int oy, boolean flip) {
            int h = data.height(), w = data.width(), plane = h * w;
            for (int c = 0; c < data.channels(); c++) {
                float[] t = norm.table(c);
                float zero = t[0];
                for (int yy = 0; yy < h; yy++) {
                    int sy = yy + oy;
                    for (int xx = 0; xx < w; xx++) {
                        int sx = (flip ? w - 1 - xx : xx) + ox;
                        boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                        dst[off + c * plane + yy * w + xx] = inside ? t[src[c * plane + sy * w + sx] & 0xFF] : zero;
                    }
                }
            }
        }
    }
}
