package octoquant.datasets;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatcherTest {
    /** n random 3×8×8 images, labels i % 10. */
    private static ImageDataset images(int n, int ch, int side) {
        byte[] px = new byte[n * ch * side * side];
        SplitMix64 r = new SplitMix64(42);
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) (i % 10);
        return new ImageDataset("test", px, lb, ch, side, side, DatasetId.CIFAR10.classNames());
    }

    private static List<float[]> collect(Batcher b, int epoch, List<int[]> idx) {
        List<float[]> xs = new ArrayList<>();
        for (Batch batch : b.epoch(epoch)) {
            xs.add(batch.x.clone());
            idx.add(batch.indices.clone());
        }
        return xs;
    }

    @Test
    void everyExampleOnceAndTheLastBatchIsPartial() {
        ImageDataset d = images(23, 1, 4);
        Batcher b = Batcher.training(d, 5, Normalization.unitScale(1), 7, false);
        assertEquals(5, b.batchesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        boolean[] seen = new boolean[23];
        for (Batch batch : b.epoch(0)) {
            sizes.add(batch.size);
            assertEquals(batch.size * 16, batch.x.length, "exactly sized, also the last batch");
            assertEquals(batch.size, batch.y.length);
            for (int k = 0; k < batch.size; k++) {
                int i = batch.indices[k];
                assertFalse(seen[i]);
                seen[i] = true;
                assertEquals(d.label(i), batch.y[k]);
                for (int p = 0; p < 16; p++) assertEquals(d.pixel(i, 0, p / 4, p % 4) / 255f, batch.x[k * 16 + p], 1e-7f);
            }
        }
        assertEquals(List.of(5, 5, 5, 5, 3), sizes);
        for (boolean s : seen) assertTrue(s);
    }

    @Test
    void sameSeedSameEpochSameBatchesDifferentEpochsDiffer() {
        ImageDataset d = images(50, 3, 8);
        Normalization n = Normalization.fromTraining(d);
        List<int[]> i1 = new ArrayList<>(), i2 = new ArrayList<>(), i3 = new ArrayList<>(), i4 = new ArrayList<>();
        List<float[]> a = collect(Batcher.training(d, 8, n, 99, true), 3, i1);
        // A fresh batcher, and another epoch consumed first: epoch 3 does not depend on history.
        Batcher other = Batcher.training(d, 8, n, 99, true);
        collect(other, 0, i4);
        List<float[]> b = collect(other, 3, i2);
        int[] order = other.order(3);
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k), b.get(k));
            assertArrayEquals(i1.get(k), i2.get(k));
            assertArrayEquals(Arrays.copyOfRange(order, 8 * k, 8 * k + i1.get(k).length), i1.get(k), "order() tells the batches' order");
        }
        collect(Batcher.training(d, 8, n, 99, true), 4, i3);
        assertFalse(Arrays.equals(i1.get(0), i3.get(0)), "another epoch, another order");
        List<int[]> i5 = new ArrayList<>();
        collect(Batcher.training(d, 8, n, 100, true), 3, i5);
        assertFalse(Arrays.equals(i1.get(0), i5.get(0)), "another seed, another order");
    }

    @Test
    void evaluationKeepsFileOrder() {
        ImageDataset d = images(12, 1, 2);
        int expected = 0;
        for (Batch batch : Batcher.evaluation(d, 5, Normalization.unitScale(1)).epoch(0)) {
            for (int k = 0; k < batch.size; k++) assertEquals(expected++, batch.indices[k]);
        }
        assertEquals(12, expected);
    }

    @Test
    void normalizationIsApplied() {
        ImageDataset d = images(4, 3, 2);
        Normalization n = new Normalization(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 2f, 1f});
        Batch batch = Batcher.evaluation(d, 4, n).epoch(0).iterator().next();
        for (int i = 0; i < 4; i++)
            for (int c = 0; c < 3; c++) {
                float expect = (float) ((d.pixel(i, c, 1, 0) / 255.0 - n.mean()[c]) / n.std()[c]);
                assertEquals(expect, batch.x[((i * 3 + c) * 2 + 1) * 2], 1e-6f);
            }
    }

    /** Each augmented image is exactly one of the 9×9×2 crops (4-pixel zero padding) / flips of its source. */
    @Test
    void augmentationIsACropWithZeroPaddingAndAFlip() {
        int side = 8;
        ImageDataset d = images(40, 3, side);
        Normalization n = Normalization.unitScale(3);
        int flips = 0, shifted = 0, total = 0;
        for (Batch batch : Batcher.training(d, 16, n, 5, true).epoch(0)) {
            for (int k = 0; k < batch.size; k++) {
                int i = batch.indices[k];
                int matches = 0;
                boolean flipMatch = false, shiftMatch = false;
                for (int oy = -4; oy <= 4; oy++)
                    for (int ox = -4; ox <= 4; ox++)
                        for (int f = 0; f < 2; f++) {
                            if (same(d, i, batch.x, k, ox, oy, f == 1)) {
                                matches++;
                                flipMatch |= f == 1;
                                shiftMatch |= ox != 0 || oy != 0;
                            }
                        }
                assertTrue(matches >= 1, "example " + i + " is no crop/flip of its source");
                if (flipMatch) flips++;
                if (shiftMatch) shifted++;
                total++;
            }
        }
        assertTrue(flips > total / 4 && flips < 3 * total / 4, "about half flipped: " + flips + "/" + total);
        assertTrue(shifted > total / 2, "most crops are shifted: " + shifted + "/" + total);
    }

    private static boolean same(ImageDataset d, int i, float[] x, int k, int ox, int oy, boolean flip) {
        int h = d.height(), w = d.width();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++) {
                    int sx = (flip ? w - 1 - xx : xx) + ox, sy = y + oy;
                    int p = sx >= 0 && sx < w && sy >= 0 && sy < h ? d.pixel(i, c, sy, sx) : 0;
                    if (x[((k * 3 + c) * h + y) * w + xx] != p / 255f) return false;
                }
        return true;
    }

    @Test
    void augmentationIsReproducibleFromTheSeed() {
        ImageDataset d = images(30, 3, 8);
        Normalization n = Normalization.fromTraining(d);
        List<float[]> a = collect(Batcher.training(d, 7, n, 11, true), 2, new ArrayList<>());
        List<float[]> b = collect(Batcher.training(d, 7, n, 11, true), 2, new ArrayList<>());
        List<float[]> c = collect(Batcher.training(d, 7, n, 12, true), 2, new ArrayList<>());
        for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k), b.get(k));
        assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(c.get(0)));
    }

    @Test
    void limitIsBalancedEvenWhenAClassRunsShort() {
        byte[] lb = {0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2};
        ImageDataset d = new ImageDataset("x", new byte[12], lb, 1, 1, 1, List.of("a", "b", "c"));
        ImageDataset s = d.limit(6);
        assertArrayEquals(new int[] {3, 1, 2}, s.labelHistogram(), "class b has 1: its share goes to the others");
        assertArrayEquals(new int[] {0, 0, 0, 1, 2, 2}, s.labels(), "file order kept");
        assertArrayEquals(new int[] {2, 1, 2}, d.limit(5).labelHistogram());
        assertEquals(d, d.limit(100));
    }
}
