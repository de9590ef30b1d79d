package octoquant.engine.kernels;

/** The transposing copy {@link BlockedGemm} uses to pack a transposed operand into a panel, and to transpose C. */
final class TransposingPack {
    private TransposingPack() {}

    /**
     * The transposing copy that packs {@code op(B) = Bᵀ} into a B panel: {@code bp[dst + p·w + j] =
     * b[src + j·ldb + p]} for {@code p < kc}, {@code j < cols}. Only copies values, so it is the same for
     * every kernel backend (why it has no Vector API form: {@code docs/decisions.md}).
     */
    static void pack(float[] b, int src, int ldb, int cols, int kc, float[] bp, int dst, int w) {
        // Strips of 16 values of p, four stored rows at a time: the strip of the panel being written stays
        // in L1 while each stored row is read sequentially, and each step writes four adjacent floats.
        for (int p0 = 0; p0 < kc; p0 += 16) {
            int p1 = Math.min(kc, p0 + 16);
            int j = 0;
            for (; j + 4 <= cols; j += 4) {
                int s0 = src + j * ldb, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
                for (int p = p0, d = dst + p0 * w + j; p < p1; p++, d += w) {
                    bp[d] = b[s0 + p];
                    bp[d + 1] = b[s1 + p];
                    bp[d + 2] = b[s2 + p];
                    bp[d + 3] = b[s3 + p];
                }
            }
            for (; j < cols; j++) {
                int s0 = src + j * ldb;
                for (int p = p0, d = dst + p0 * w + j; p < p1; p++, d += w) bp[d] = b[s0 + p];
            }
        }
    }
}
