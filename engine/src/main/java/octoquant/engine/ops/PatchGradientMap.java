package octoquant.engine.ops;

/**
 * Where each input pixel's gradient lies among one image's patch gradients in the Winograd backward pass
 * ({@code dD = B dV Bᵀ}, one 6×6 patch per tile, patches overlapping by two rows and two columns), for
 * {@link octoquant.engine.kernels.WinogradTransforms#addPatchGradients}: the input gradient is gathered
 * pixel by pixel instead of scattering every patch into a plane.
 *
 * <p>Pixel (r, c) sits at row R = r + pad, column C = c + pad of the padded plane, so in patch row
 * {@code i = R mod 4} of tile row {@code R div 4} and, when that i is 0 or 1, in patch row i + 4 of the tile
 * row above; likewise for columns. Its four slots, in the order scattering the patches row-major by
 * (i, j) would add them: (small i, small j), (small i, large j), (large i, small j), (large i, large j).
 * Slot k of pixel (r, c) is entry {@code (4r + k)·w + c} of {@link #index}: where its value is, from the
 * image's first tile, {@code (6i + j)·stride + tile}; for a slot with no tile (past the tiles, or a pixel in
 * one patch row or column only), {@code zeroAt}, where the caller keeps a +0 (adding it to a sum that
 * started at +0 leaves the sum as it is, so the slot counts as skipped). {@link #slots}{@code [r]} is 2
 * when no pixel of row r has a large i (its last two slots all point at the zero), else 4. Depends only
 * on the plan's geometry, the stream stride and zeroAt.
 */
final class PatchGradientMap {
    final int[] index, slots;
    private final int zeroAt;

    PatchGradientMap(Winograd3x3.Plan p, int stride, int zeroAt) {
        int h = p.h, w = p.w;
        this.zeroAt = zeroAt;
        index = new int[Math.multiplyExact(4 * h, w)];
        slots = new int[h];
        for (int r = 0; r < h; r++) {
            int rowAt = r + p.pad, iSmall = rowAt % 4, thSmall = rowAt / 4, thLarge = thSmall - 1;
            boolean smallRow = thSmall < p.tilesH, largeRow = iSmall < 2 && thLarge >= 0;
            slots[r] = largeRow ? 4 : 2;
            for (int c = 0; c < w; c++) {
                int colAt = c + p.pad, jSmall = colAt % 4, twSmall = colAt / 4, twLarge = twSmall - 1;
                boolean smallCol = twSmall < p.tilesW, largeCol = jSmall < 2 && twLarge >= 0;
                set(p, stride, r, c, 0, smallRow && smallCol, iSmall, thSmall, jSmall, twSmall);
                set(p, stride, r, c, 1, smallRow && largeCol, iSmall, thSmall, jSmall + 4, twLarge);
                set(p, stride, r, c, 2, largeRow && smallCol, iSmall + 4, thLarge, jSmall, twSmall);
                set(p, stride, r, c, 3, largeRow && largeCol, iSmall + 4, thLarge, jSmall + 4, twLarge);
            }
        }
    }

    private void set(Winograd3x3.Plan p, int stride, int r, int c, int slot, boolean ok, int i, int th, int j, int tw) {
        index[(4 * r + slot) * p.w + c] = ok ? (6 * i + j) * stride + th * p.tilesW + tw : zeroAt;
    }
}
