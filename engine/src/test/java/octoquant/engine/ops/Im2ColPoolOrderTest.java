package octoquant.engine.ops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Im2Col#im2colPoolOrder} against {@link Im2Col#im2col} with its columns permuted by the contract. */
class Im2ColPoolOrderTest {

    private static void check(int ci, int h, int w, int kh, int kw, int pad) {
        int outH = h + 2 * pad - kh + 1, outW = w + 2 * pad - kw + 1;
        Im2Col.Geometry g = new Im2Col.Geometry(ci, h, w, kh, kw, 1, pad, outH, outW);
        Rng rng = new Rng(31L * h + w);
        float[] x = new float[5 + ci * h * w];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        int k = g.rows(), p = g.positions(), ph = outH / 2, pw = outW / 2, windows = ph * pw;
        float[] plain = new float[k * p];
        Im2Col.im2col(x, 5, g, plain, 0);
        float[] got = new float[3 + k * 4 * windows];
        float[] phases = new float[Im2Col.poolOrderScratch(g)];
        Arrays.fill(got, Float.NaN); // every element must be written
        Arrays.fill(phases, 99f);    // stale scratch must not leak in
        Im2Col.im2colPoolOrder(x, 5, g, got, 3, phases);
        String where = ci + "x" + h + "x" + w + " kernel " + kh + "x" + kw + " pad " + pad;
        for (int r = 0; r < k; r++) {
            for (int member = 0; member < 4; member++) {
                for (int a = 0; a < ph; a++) {
                    for (int b = 0; b < pw; b++) {
                        int oh = 2 * a + (member >> 1), ow = 2 * b + (member & 1);
                        float want = plain[r * p + oh * outW + ow];
                        float have = got[3 + (r * 4 + member) * windows + a * pw + b];
                        if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(have)) {
                            assertEquals(want, have, where + ": row " + r + ", position " + oh + "," + ow);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSeedCnnsFirstLayerAndFashionMnists() {
        check(3, 32, 32, 3, 3, 1);
        check(1, 28, 28, 3, 3, 1);
    }

    @Test
    void oddSizesLeaveTheLastRowAndColumnOut() {
        check(2, 9, 11, 3, 3, 1);
        check(2, 7, 6, 3, 3, 0);
    }

    @Property(tries = 60)
    void anyKernelPaddingAndSize(@ForAll @IntRange(min = 1, max = 3) int ci, @ForAll @IntRange(min = 1, max = 12) int h,
                                 @ForAll @IntRange(min = 1, max = 12) int w, @ForAll @IntRange(min = 1, max = 5) int kh,
                                 @ForAll @IntRange(min = 1, max = 5) int kw, @ForAll @IntRange(min = 0, max = 3) int pad) {
        int outH = h + 2 * pad - kh + 1, outW = w + 2 * pad - kw + 1;
        if (outH < 2 || outW < 2) return;
        check(ci, h, w, kh, kw, pad);
    }

    @Test
    void strideTwoIsRefused() {
        Im2Col.Geometry g = new Im2Col.Geometry(1, 8, 8, 3, 3, 2, 1, 4, 4);
        assertFalse(Im2Col.poolOrderApplies(g));
        assertThrows(IllegalArgumentException.class, () -> Im2Col.im2colPoolOrder(new float[64], 0, g, new float[9 * 16], 0, new float[1024]));
    }
}
