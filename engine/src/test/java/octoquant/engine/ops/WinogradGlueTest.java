package octoquant.engine.ops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.util.Rng;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The data-moving passes between image planes and Winograd tiles (patch gather, the input gradient
 * gathered from the patches, pooled planes gathered from the tiles, pool-gradient gather), scalar and SIMD, against plain loops written from their contracts:
 * the same bits, with signed zeros, infinities and NaN among the values, on the tile layout
 * {@link Winograd3x3.Plan} builds for random image sizes and tile counts.
 */
class WinogradGlueTest {
    private static final float[] SPECIAL = {0f, -0f, 1.5f, -2.25f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 3e-39f};

    /** Mostly Gaussian values, one in five a special one. */
    private static float[] values(Rng rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            double r = rng.nextGaussian();
            v[i] = Math.abs(r) > 1.28 ? SPECIAL[(int) (Math.abs(r) * 1000) % SPECIAL.length] : (float) r;
        }
        return v;
    }

    /**
     * The bits of sums, every NaN as the canonical one: Java leaves the sign and payload of a sum of two NaNs
     * open (the JIT may swap an addition's operands), so only copies are compared with the NaNs' own bits.
     */
    private static int[] sumBits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToIntBits(v[i]);
        return b;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    /** Rows shorter than, as long as, and longer than a vector, into a plane with room around them. */
    @Test
    void rowCopiesFillOnlyTheirRows() {
        Rng rng = new Rng(11);
        for (int length : new int[] {1, 7, 15, 16, 17, 28, 32, 33}) {
            int rows = 5, stride = length + 3, dstOff = stride + 2;
            float[] src = values(rng, 4 + rows * length);
            for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
                float[] dst = new float[dstOff + rows * stride + 4], want = new float[dst.length];
                java.util.Arrays.fill(dst, 7f);
                java.util.Arrays.fill(want, 7f);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < length; c++) want[dstOff + r * stride + c] = src[4 + r * length + c];
                }
                k.copyRows(src, 4, length, rows, dst, dstOff, stride);
                assertArrayEquals(bits(want), bits(dst), k.getClass().getSimpleName() + " length " + length);
            }
        }
    }

    /** The seed CNN's conv2 (4 × 4 tiles per image) and its neighbours, whatever the random tries pick. */
    @Test
    void theSeedCnnsConv2ShapeAndItsNeighbours() {
        for (int[] tiles : new int[][] {{4, 4}, {8, 4}, {5, 4}, {4, 2}, {8, 2}, {7, 2}}) {
            for (int seed = 0; seed < 3; seed++) {
                patchGatherIsACopy(tiles[0], tiles[1], seed);
                pixelsGetTheSumsOfScatteringThePatchesIntoAZeroedPlane(4 * tiles[0], 4 * tiles[1], 1, seed);
                pooledPlanesGetEachWindowOnce(tiles[0], tiles[1], seed);
                poolGradientGatherPutsEachWindowsGradientAtItsWinnerAndZeroAtTheOtherMembers(tiles[0], tiles[1], 2, seed);
            }
        }
    }

    @Property(tries = 40)
    void poolGradientGatherPutsEachWindowsGradientAtItsWinnerAndZeroAtTheOtherMembers(@ForAll @IntRange(min = 1, max = 5) int tilesH,
                                                             @ForAll @IntRange(min = 1, max = 6) int tilesW,
                                                             @ForAll @IntRange(min = 1, max = 3) int images,
                                                             @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Rng rng = new Rng(seed);
        // Output 4·tilesH × 4·tilesW: every window inside the pooled plane (the plan's poolExact case).
        Winograd3x3.Plan p = new Winograd3x3.Plan(images, 1, 1, 4 * tilesH, 4 * tilesW, 1);
        int ph = p.outH / 2, pw = p.outW / 2, plane = ph * pw, tpi = p.tilesPerImage, tc = images * tpi;
        float[] g = values(rng, images * plane + 3), out = values(rng, images * plane + 3);
        int[] where = new int[g.length];
        for (int i = 0; i < where.length; i++) where[i] = (int) (Math.abs(rng.nextGaussian()) * 1000) % 4;
        int dyOff = 5, stride = tc + 7;
        // Places the gather must not write hold a marker: each window's winner gets the gradient, its
        // other three members +0, and nothing outside the tiles' 16 streams is written.
        float[] want = new float[dyOff + 16 * stride];
        java.util.Arrays.fill(want, 9f);
        for (int img = 0; img < images; img++) {
            int base = 3 + img * plane;
            for (int t = 0; t < tpi; t++) {
                int th = t / p.tilesW, tw = t % p.tilesW;
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        int idx = base + (2 * th + i / 2) * pw + 2 * tw + j / 2;
                        boolean winner = where[idx] == 2 * (i % 2) + j % 2;
                        want[dyOff + (4 * i + j) * stride + img * tpi + t] = winner && out[idx] > 0f ? g[idx] : 0f;
                    }
                }
            }
        }
        for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
            float[] got = new float[want.length];
            java.util.Arrays.fill(got, 9f);
            // Last image first, so a write past an image's tiles would land on places no later call rewrites.
            for (int img = images - 1; img >= 0; img--) {
                k.gatherPoolGradient(g, out, where, 3 + img * plane, pw, p.poolOrigins, tpi, got, dyOff + img * tpi, stride);
            }
            assertArrayEquals(bits(want), bits(got), k.getClass().getSimpleName() + " " + tilesH + "x" + tilesW);
        }
    }

    @Property(tries = 40)
    void patchGatherIsACopy(@ForAll @IntRange(min = 1, max = 5) int tilesH,
                            @ForAll @IntRange(min = 1, max = 6) int tilesW,
                            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Rng rng = new Rng(seed);
        Winograd3x3.Plan p = new Winograd3x3.Plan(1, 1, 1, 4 * tilesH, 4 * tilesW, 1);
        int count = p.tilesPerImage, stride = count + 3, off = 2;
        float[] plane = values(rng, p.planeH * p.planeW);
        float[] wantD = new float[off + 36 * stride];
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) wantD[off + (6 * i + j) * stride + t] = plane[p.patchOrigins[t] + i * p.planeW + j];
            }
        }
        for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
            float[] d = new float[wantD.length];
            k.gatherPatches(plane, p.planeW, p.patchOrigins, count, d, off, stride);
            assertArrayEquals(bits(wantD), bits(d), k.getClass().getSimpleName() + " gather");
        }
    }

    /**
     * The input gradient gathered pixel by pixel ({@link PatchGradientMap}) is the adjoint of the patch
     * gather: each pixel gets what scattering every tile's 6×6 patch gradient into a zeroed padded plane,
     * patch positions row-major and tiles in order, leaves at its place (set when fresh, else added). Any
     * size and padding, partial tiles and rows longer than one vector included.
     */
    @Property(tries = 60)
    void pixelsGetTheSumsOfScatteringThePatchesIntoAZeroedPlane(@ForAll @IntRange(min = 1, max = 23) int h,
                                                                @ForAll @IntRange(min = 1, max = 37) int w,
                                                                @ForAll @IntRange(min = 0, max = 2) int pad,
                                                                @ForAll @IntRange(min = 0, max = 1000) int seed) {
        if (h + 2 * pad < 3 || w + 2 * pad < 3) return; // no output
        Rng rng = new Rng(seed);
        Winograd3x3.Plan p = new Winograd3x3.Plan(1, 1, 1, h, w, pad);
        int count = p.tilesPerImage, stride = count + 5, off = 3;
        // The 36 streams, then a stream of zeros where the map points the missing values.
        float[] dd = values(rng, off + 37 * stride);
        java.util.Arrays.fill(dd, off + 36 * stride, dd.length, 0f);
        float[] plane = new float[p.planeH * p.planeW];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                for (int t = 0; t < count; t++) plane[p.patchOrigins[t] + i * p.planeW + j] += dd[off + (6 * i + j) * stride + t];
            }
        }
        float[] start = values(rng, 1 + h * w + 2), wantFresh = start.clone(), wantAdded = start.clone();
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                float sum = plane[(r + pad) * p.planeW + c + pad];
                wantFresh[1 + r * w + c] = sum;
                wantAdded[1 + r * w + c] += sum;
            }
        }
        PatchGradientMap map = new PatchGradientMap(p, stride, 36 * stride);
        for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
            String what = k.getClass().getSimpleName() + " " + h + "x" + w + " pad " + pad;
            float[] fresh = start.clone(), added = start.clone();
            k.addPatchGradients(dd, off, map.index, map.slots, h, w, fresh, 1, true);
            k.addPatchGradients(dd, off, map.index, map.slots, h, w, added, 1, false);
            assertArrayEquals(sumBits(wantFresh), sumBits(fresh), what + " fresh");
            assertArrayEquals(sumBits(wantAdded), sumBits(added), what + " added");
        }
    }

    /**
     * Each image's pooled plane gathered from the chunk's pooled streams ({@code Plan.pooledSources}): window
     * w of the image's tile t lands at the tile's window origin plus w's row and column, with its winner, for
     * every image of a chunk (so from offsets other than 0).
     */
    @Property(tries = 30)
    void pooledPlanesGetEachWindowOnce(@ForAll @IntRange(min = 1, max = 5) int tilesH,
                                       @ForAll @IntRange(min = 1, max = 6) int tilesW,
                                       @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Rng rng = new Rng(seed);
        Winograd3x3.Plan p = new Winograd3x3.Plan(5, 1, 1, 4 * tilesH, 4 * tilesW, 1);
        int count = p.tilesPerImage, ps = p.chunkTiles, pw = p.outW / 2, plane = (p.outH / 2) * pw, base = 4;
        float[] pooled = values(rng, 4 * ps);
        int[] codes = new int[pooled.length];
        for (int i = 0; i < codes.length; i++) codes[i] = i % 4;
        for (int img = 0; img < p.images(0); img++) {
            int t0 = img * count;
            float[] want = new float[base + plane + 3];
            int[] wantWhere = new int[want.length];
            for (int t = 0; t < count; t++) {
                for (int w = 0; w < 4; w++) {
                    int at = base + p.poolOrigins[t] + (w >> 1) * pw + (w & 1);
                    want[at] = pooled[w * ps + t0 + t];
                    wantWhere[at] = codes[w * ps + t0 + t];
                }
            }
            for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
                String what = k.getClass().getSimpleName() + " image " + img;
                float[] got = new float[want.length];
                int[] where = new int[want.length];
                k.gatherPooled(pooled, codes, t0, p.pooledSources, plane, got, where, base);
                assertArrayEquals(bits(want), bits(got), what);
                assertArrayEquals(wantWhere, where, what + " winners");
                float[] noWhere = new float[want.length];
                k.gatherPooled(pooled, codes, t0, p.pooledSources, plane, noWhere, null, base);
                assertArrayEquals(bits(want), bits(noWhere), what + " without winners");
            }
        }
        assertEquals(count, tilesH * tilesW);
    }
}
