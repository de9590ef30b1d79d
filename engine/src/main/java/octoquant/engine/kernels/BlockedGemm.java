package octoquant.engine.kernels;

/**
 * Cache-blocked, packed GEMM shared by every backend; the backend supplies only the micro-kernel.
 *
 * <p>Layout: op(B) is packed once per call into column panels ({@code k × w} floats each, row p of the
 * panel contiguous, zero-padded past column n), wide panels first and narrow ones for the leftover
 * columns. A row-major A is read in place by the micro-kernel (four sequential row streams); a
 * transposed A, and the last partial row panel, are packed per k-block into panels of
 * {@link Kernels#GEMM_MR} rows ({@code kc × MR}, zero-padded past row m) by the thread that uses them.
 * Loop order inside a work unit: k-block, then B panel, then the unit's MR-row panels, so a
 * {@code kBlock × 64} B micro-panel is reused from L1 (or L2) by every row panel.
 *
 * <p>Determinism: the k dimension is cut into blocks of {@link #kBlock} steps starting at 0 (a length
 * set by m and n alone), whatever the split into work units or the thread count. Each C element is
 * computed as {@code C = C0 (+) acc_0 (+) acc_1 ...} where {@code acc_q} is the micro-kernel's in-order
 * reduction over k-block q and C0 is the old C (accumulate) or absent. Threads only decide which C tiles
 * they compute; edge tiles go through a scratch tile but perform the very same operations per element. So
 * results are bit-identical for any thread count.
 */
final class BlockedGemm {
    /**
     * k-block of every product with m or n below {@link #LARGE_SIDE}, which is every product the reference
     * models run: it sets the rounding of their committed results. A wide B micro-panel (KC × 64 floats,
     * 32 KB) stays in L1 while the A block streams past it.
     */
    static final int KC = 128;
    /**
     * k-block when m and n are both at least {@link #LARGE_SIDE}: each k-block after the first reloads,
     * adds to and stores C again, which blocks four times longer do a quarter as often; that saves more
     * than reading the 128 KB B micro-panel from L2 instead of L1 costs (docs/decisions.md, session 23).
     */
    static final int KC_LARGE = 512;
    /** Smallest m and n given {@link #KC_LARGE}. */
    static final int LARGE_SIDE = 256;
    /** Largest row block of a work unit (A block MC × KC = 128 KB stays in L2; 512 KB with {@link #KC_LARGE}). */
    static final int MC_MAX = 256;
    /** Largest number of column panels in a work unit. */
    static final int PANELS_MAX = 16;
    /** Largest block of C (floats, 64 KB) a work unit updates when k spans several k-blocks. */
    static final int C_BLOCK_FLOATS = 1 << 14;
    /** Smallest transposed A (floats) that {@link #gemm} copies row-major once rather than pack per work unit. */
    static final int TRANSPOSED_A_COPY_MIN = 1 << 16;
    /** Below this many flops the thread hand-off costs more than it saves. */
    static final long PARALLEL_MIN_FLOPS = 1L << 21;

    private static final int MR = Kernels.GEMM_MR;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][]);

    private BlockedGemm() {}

    /** The k-block length of an {@code m × n} product: a function of the shape alone, never of the threads. */
    static int kBlock(int m, int n) {
        return m >= LARGE_SIDE && n >= LARGE_SIDE ? KC_LARGE : KC;
    }

    static void gemm(Kernels kern, boolean parallel, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        // Inside another parallel body (e.g. an op split over the batch) this call runs inline anyway,
        // so plan coarse, cache-friendly units for one thread.
        boolean split = parallel && 2L * m * n * k >= PARALLEL_MIN_FLOPS && !Parallel.inParallelBody();
        int threads = split ? Parallel.threads() : 1;
        // A·Bᵀ with fewer columns than one wide panel (e.g. a conv weight gradient, n = 27): transposing
        // B and a mostly padded panel cost more than dot products read in place (measured 50–56 vs 33
        // GFLOP/s per CPU-second for 32×27×1024). For wider n the packed path was as fast or faster.
        if (!transA && transB && n < kern.gemmWideWidth() && kern.hasGemmDotTile()) {
            dotTiles(kern, threads, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // A·Bᵀ with B the larger operand (e.g. a linear layer's forward, batch × in times (out × in)ᵀ):
        // compute Cᵀ = B·Aᵀ instead, so the transposing pack copies the smaller A, and transpose the m × n
        // result (small next to either operand) on the way in and out. Chosen by shape alone, so the
        // result still does not depend on the thread count; each element gets the same products.
        if (runsTransposed(kern, transA, transB, m, n, k)) {
            gemmViaTranspose(kern, parallel, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Plan plan = Plan.of(kern, m, n, k, threads);
        if (!transB && n == plan.wide && ldb == n) {
            // B is one wide panel stored row after row without gaps: the packed layout itself, read in place.
            computeUnits(kern, plan, threads, transA, a, aOff, lda, b, bOff, c, cOff, ldc, accumulate);
            return;
        }

        float[] bp = bPackBuffer(plan.packedBLength());
        // Packing tasks are (panel, k-block) pairs, so even a single panel (e.g. n = 64) is packed by all threads.
        int kBlocks = ceilDiv(k, plan.kc), tasks = plan.panels * kBlocks;
        if (threads > 1) {
            Parallel.forChunks(tasks, tasks, (s, e) -> packBPanels(plan, transB, b, bOff, ldb, bp, kBlocks, s, e));
        } else {
            packBPanels(plan, transB, b, bOff, ldb, bp, kBlocks, 0, tasks);
        }
        computeUnits(kern, plan, threads, transA, a, aOff, lda, bp, 0, c, cOff, ldc, accumulate);
    }

    /**
     * op(B) packed into the panels {@link #gemm} would pack on {@code kern} for any m (the panel layout
     * depends only on n, k and the kernel's widths), for {@link #gemmPrepacked}.
     */
    static float[] packB(Kernels kern, boolean transB, int n, int k, float[] b, int bOff, int ldb) {
        checkMatrix("B", transB ? n : k, transB ? k : n, b, bOff, ldb, MR, n, k);
        Plan plan = new Plan(kern, MR, n, k, 1);
        float[] bp = new float[plan.packedBLength()];
        int kBlocks = ceilDiv(k, plan.kc);
        packBPanels(plan, transB, b, bOff, ldb, bp, kBlocks, 0, plan.panels * kBlocks);
        return bp;
    }

    /**
     * Whether {@link #gemm} computes {@code m × n × k} with op(B) = {@code transB ? Bᵀ : B} from packed B
     * panels, directly or as the transposed product: then {@link #gemmPrepacked} gives the very same
     * floats. (The exceptions: empty products, and the dot tiles for narrow A·Bᵀ, which reduce in another
     * order.) The transposed product {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} gets each element from the same wide
     * micro-kernel reduction with the two factors of every product swapped (a product of two floats does
     * not depend on their order) when m and n are both multiples of the wide panel width.
     */
    static boolean usesPackedB(Kernels kern, boolean transA, boolean transB, int m, int n, int k) {
        if (m == 0 || n == 0 || k == 0) return false;
        if (!transA && transB && n < kern.gemmWideWidth() && kern.hasGemmDotTile()) return false;
        // The narrow micro-kernel splits k into even and odd steps, so the two forms agree only where
        // both use wide panels throughout: the transposed form's columns are m, the direct form's n.
        int wide = kern.gemmWideWidth();
        return !runsTransposed(kern, transA, transB, m, n, k) || (m % wide == 0 && n % wide == 0);
    }

    private static boolean runsTransposed(Kernels kern, boolean transA, boolean transB, int m, int n, int k) {
        return !transA && transB && m < n && m >= kern.gemmWideWidth() && 2L * m * n < (long) (n - m) * k;
    }

    /**
     * {@code C = (accumulate ? C : 0) + op(A)·op(B)} with op(B) already packed by {@link #packB} on the same
     * kernels; only when {@link #usesPackedB} holds for the shape. Skips the pack (and, for a shape that
     * {@link #gemm} runs transposed, the transposes of the operand and the result).
     */
    static void gemmPrepacked(Kernels kern, boolean parallel, boolean transA, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] bp, float[] c, int cOff, int ldc, boolean accumulate) {
        checkMatrix("A", transA ? k : m, transA ? m : k, a, aOff, lda, m, n, k);
        checkMatrix("C", m, n, c, cOff, ldc, m, n, k);
        boolean split = parallel && 2L * m * n * k >= PARALLEL_MIN_FLOPS && !Parallel.inParallelBody();
        Plan plan = Plan.of(kern, m, n, k, split ? Parallel.threads() : 1);
        if (bp.length != plan.packedBLength()) {
            throw new IllegalArgumentException("gemm (m=" + m + " n=" + n + " k=" + k + "): packed B has "
                    + bp.length + " floats, this shape needs " + plan.packedBLength());
        }
        computeUnits(kern, plan, split ? Parallel.threads() : 1, transA, a, aOff, lda, bp, 0, c, cOff, ldc, accumulate);
    }

    /** The units of {@code plan}; the packed panels start at {@code bp[bpBase]}. */
    private static void computeUnits(Kernels kern, Plan plan, int threads, boolean transA, float[] a, int aOff, int lda,
                                     float[] bp, int bpBase, float[] c, int cOff, int ldc, boolean accumulate) {
        if (transA && plan.colBlocks > 1 && (long) plan.m * plan.k >= TRANSPOSED_A_COPY_MIN) {
            // Each unit would pack its rows of Aᵀ again for each column block (16 times a k-block at 1024³
            // on one thread); one row-major copy of A, read in place, gives each element the same products
            // in the same order.
            float[] at = scratch(4, plan.m * plan.k); // only this (calling) thread uses slot 4
            copyTransposed(threads, plan.m, plan.k, a, aOff, lda, at);
            computeUnits(kern, plan, threads, false, at, 0, plan.k, bp, bpBase, c, cOff, ldc, accumulate);
            return;
        }
        if (threads > 1) {
            Parallel.forChunks(plan.units, plan.units,
                    (s, e) -> runUnits(kern, plan, s, e, transA, a, aOff, lda, bp, bpBase, c, cOff, ldc, accumulate));
        } else {
            // No range body on one thread: a small product (a Winograd frequency's, 64 × 64 × 32) pays
            // for every allocation and lookup on its way to the micro-kernels.
            runUnits(kern, plan, 0, plan.units, transA, a, aOff, lda, bp, bpBase, c, cOff, ldc, accumulate);
        }
    }

    /** Units {@code [from, to)} of {@code plan} on this thread, with its scratch buffers. */
    private static void runUnits(Kernels kern, Plan plan, int from, int to, boolean transA, float[] a, int aOff, int lda,
                                 float[] bp, int bpBase, float[] c, int cOff, int ldc, boolean accumulate) {
        float[][] s = SCRATCH.get();
        float[] ap = scratch(s, 1, plan.mc * Math.min(plan.kc, plan.k));
        float[] tile = scratch(s, 2, MR * plan.wide);
        for (int u = from; u < to; u++) {
            computeUnit(kern, plan, u, transA, a, aOff, lda, bp, bpBase, c, cOff, ldc, accumulate, ap, tile);
        }
    }

    private static void gemmViaTranspose(Kernels kern, boolean parallel, int m, int n, int k, float[] a, int aOff, int lda,
                                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        float[] ct = scratch(3, m * n); // Cᵀ, n × m; only this (calling) thread uses slot 3
        // Cᵀ[j][i] = C[i][j]: packTransposed copies x[src + col·ld + row] to y[dst + row·w + col].
        if (accumulate) TransposingPack.pack(c, cOff, ldc, m, n, ct, 0, m);
        gemm(kern, parallel, false, true, n, m, k, b, bOff, ldb, a, aOff, lda, ct, 0, m, accumulate);
        TransposingPack.pack(ct, 0, m, n, m, c, cOff, ldc);
    }

    /** How C is cut into work units and B into panels for one call. */
    private static final class Plan {
        /**
         * Recent plans by shape, shared by all threads: a training step multiplies the same few shapes
         * over and over, and working a plan out (a dozen integer divisions) took an eighth of a
         * 64 × 64 × 32 product's time. Plans are immutable (final fields), so a thread that reads another's
         * entry sees it whole; a slot holding another shape is simply replaced.
         */
        private static final Plan[] RECENT = new Plan[64];

        final Kernels kern;
        final int threads;
        final int m, n, k, kc, wide, narrow, nWide, panels, mc, rowBlocks, panelsPerUnit, colBlocks, units;
        /**
         * Units numbered down the columns (row block fastest) when several threads share them: units that
         * run side by side then compute different rows (no C cache line written by two cores), and a
         * thread that takes every other unit keeps its rows of A in its L2. One thread goes along the rows
         * and reuses a row block of A across its column blocks.
         */
        final boolean downColumns;

        static Plan of(Kernels kern, int m, int n, int k, int threads) {
            int slot = ((m * 31 + n) * 31 + k) * 31 + threads;
            slot = (slot ^ (slot >>> 16)) & (RECENT.length - 1);
            Plan p = RECENT[slot];
            if (p != null && p.kern == kern && p.m == m && p.n == n && p.k == k && p.threads == threads) return p;
            p = new Plan(kern, m, n, k, threads);
            RECENT[slot] = p;
            return p;
        }

        Plan(Kernels kern, int m, int n, int k, int threads) {
            this.kern = kern;
            this.threads = threads;
            this.m = m;
            this.n = n;
            this.k = k;
            kc = kBlock(m, n);
            wide = kern.gemmWideWidth();
            narrow = kern.gemmNarrowWidth();
            nWide = n / wide;
            int rem = n - nWide * wide;
            panels = nWide + (rem + narrow - 1) / narrow;
            // Start from the cache-friendly maximum and cut finer until every thread has a few units:
            // columns first, so a unit reads only its own B panels and its tall row block still reuses
            // each B micro-panel from L1 for all its rows; rows only once a unit is down to one panel.
            int rowsPadded = roundUp(m, MR);
            int mcTry = Math.min(MC_MAX, rowsPadded);
            int ppu = Math.min(PANELS_MAX, panels);
            // With more than one k-block, each unit's block of C is read and written again per k-block:
            // keep it small enough to stay in L2 beside the A block and the B micro-panels.
            if (k > kc) while (ppu > 1 && (long) mcTry * ppu * wide > C_BLOCK_FLOATS) ppu = (ppu + 1) / 2;
            int target = threads == 1 ? 1 : 4 * threads;
            while (ceilDiv(m, mcTry) * ceilDiv(panels, ppu) < target) {
                if (ppu > 1) ppu = (ppu + 1) / 2;
                else if (mcTry > MR) mcTry = roundUp(mcTry / 2, MR);
                else break;
            }
            mc = mcTry;
            panelsPerUnit = ppu;
            rowBlocks = ceilDiv(m, mc);
            colBlocks = ceilDiv(panels, ppu);
            units = rowBlocks * colBlocks;
            downColumns = threads > 1;
        }

        int panelWidth(int panel) {
            return panel < nWide ? wide : narrow;
        }

        int panelColumn(int panel) {
            return panel < nWide ? panel * wide : nWide * wide + (panel - nWide) * narrow;
        }

        /** Panel p's first float in packed B; a panel is k rows of its width. */
        int panelBase(int panel) {
            return panelColumn(panel) * k;
        }

        int packedBLength() {
            return panelColumn(panels) * k;
        }
    }

    /** {@code at[i·k + p] = a[aOff + p·lda + i]}: the k × m stored A as an m × k row-major matrix, by row ranges. */
    private static void copyTransposed(int threads, int m, int k, float[] a, int aOff, int lda, float[] at) {
        Parallel.RangeBody rows = (i0, i1) -> TransposingPack.pack(a, aOff + i0, lda, k, i1 - i0, at, i0 * k, k);
        if (threads > 1) Parallel.forChunks(m, threads, rows);
        else rows.run(0, m);
    }

    /** Packs tasks [from, to): task t is panel t / kBlocks, rows p of k-block t % kBlocks. */
    private static void packBPanels(Plan plan, boolean transB, float[] b, int bOff, int ldb, float[] bp,
                                    int kBlocks, int from, int to) {
        int k = plan.k, n = plan.n;
        for (int task = from; task < to; task++) {
            int panel = task / kBlocks, p0 = (task % kBlocks) * plan.kc, p1 = Math.min(k, p0 + plan.kc);
            int w = plan.panelWidth(panel), j0 = plan.panelColumn(panel), base = plan.panelBase(panel);
            int cols = Math.min(w, n - j0);
            if (!transB) {
                for (int p = p0; p < p1; p++) {
                    int dst = base + p * w;
                    System.arraycopy(b, bOff + p * ldb + j0, bp, dst, cols);
                    if (cols < w) java.util.Arrays.fill(bp, dst + cols, dst + w, 0f);
                }
            } else {
                // op(B)[p][j] = b[j*ldb + p]: a transpose of the stored rows j0.. over columns p0..p1.
                if (cols < w) java.util.Arrays.fill(bp, base + p0 * w, base + p1 * w, 0f);
                TransposingPack.pack(b, bOff + j0 * ldb + p0, ldb, cols, p1 - p0, bp, base + p0 * w, w);
            }
        }
    }

    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int p0, int kc, float[] ap) {
        int panelsA = ceilDiv(rows, MR);
        for (int q = 0; q < panelsA; q++) {
            int base = q * MR * kc;
            int r0 = i0 + q * MR;
            int valid = Math.min(MR, i0 + rows - r0);
            if (!transA) {
                for (int r = 0; r < valid; r++) {
                    int src = aOff + (r0 + r) * lda + p0;
                    for (int p = 0, dst = base + r; p < kc; p++, dst += MR) ap[dst] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + r0, dst = base + p * MR;
                    for (int r = 0; r < valid; r++) ap[dst + r] = a[src + r];
                }
            }
            for (int r = valid; r < MR; r++) {
                for (int p = 0, dst = base + r; p < kc; p++, dst += MR) ap[dst] = 0f;
            }
        }
    }

    private static void computeUnit(Kernels kern, Plan plan, int unit, boolean transA, float[] a, int aOff, int lda,
                                    float[] bp, int bpBase, float[] c, int cOff, int ldc, boolean accumulate,
                                    float[] ap, float[] tile) {
        int m = plan.m, n = plan.n, k = plan.k;
        int rowBlock = plan.downColumns ? unit % plan.rowBlocks : unit / plan.colBlocks;
        int colBlock = plan.downColumns ? unit / plan.rowBlocks : unit % plan.colBlocks;
        int i0 = rowBlock * plan.mc, rows = Math.min(plan.mc, m - i0);
        int pStart = colBlock * plan.panelsPerUnit, pEnd = Math.min(plan.panels, pStart + plan.panelsPerUnit);
        for (int p0 = 0; p0 < k; p0 += plan.kc) {
            int kc = Math.min(plan.kc, k - p0);
            boolean add = accumulate || p0 > 0;
            // A row-major A is read in place (four sequential row streams: measured faster than packing
            // for the skinny shapes of the models); a transposed A is packed, as is the last, partial
            // row panel (zero-padded to MR rows).
            int partial = rows % MR;
            if (transA) packA(true, a, aOff, lda, i0, rows, p0, kc, ap);
            else if (partial != 0) packA(false, a, aOff, lda, i0 + rows - partial, partial, p0, kc, ap);
            for (int panel = pStart; panel < pEnd; panel++) {
                int w = plan.panelWidth(panel), j0 = plan.panelColumn(panel);
                boolean narrow = w != plan.wide;
                int cols = Math.min(w, n - j0);
                int bpOff = bpBase + plan.panelBase(panel) + p0 * w;
                for (int ir = 0; ir < rows; ir += MR) {
                    int tileRows = Math.min(MR, rows - ir);
                    float[] aSrc;
                    int aAt, rs, ps;
                    if (!transA && tileRows == MR) {
                        aSrc = a;
                        aAt = aOff + (i0 + ir) * lda + p0;
                        rs = lda;
                        ps = 1;
                    } else {
                        aSrc = ap;
                        aAt = transA ? (ir / MR) * MR * kc : 0;
                        rs = 1;
                        ps = MR;
                    }
                    int cAt = cOff + (i0 + ir) * ldc + j0;
                    if (!add && tileRows == MR && cols == w) {
                        kern.gemmMicroKernel(kc, aSrc, aAt, rs, ps, bp, bpOff, narrow, c, cAt, ldc);
                    } else {
                        // Through scratch: an accumulating or edge tile is computed whole, then added or copied.
                        kern.gemmMicroKernel(kc, aSrc, aAt, rs, ps, bp, bpOff, narrow, tile, 0, w);
                        if (add) kern.gemmAddTile(tile, w, tileRows, cols, c, cAt, ldc);
                        else for (int r = 0; r < tileRows; r++) System.arraycopy(tile, r * w, c, cAt + r * ldc, cols);
                    }
                }
            }
        }
    }

    /**
     * {@code C = A·Bᵀ} with both operands read in place: C in 4 × 4 tiles of dot products over the whole
     * of k, so nothing is packed. Edge tiles repeat the last row or column and keep only the valid results; each element's
     * reduction depends only on k. Threads take ranges of tile columns.
     */
    private static void dotTiles(Kernels kern, int threads, int m, int n, int k, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int tilesI = ceilDiv(m, 4), tilesJ = ceilDiv(n, 4);
        Parallel.RangeBody body = (s, e) -> {
            float[] out = tileBuffer(16);
            for (int tj = s; tj < e; tj++) {
                int j0 = tj * 4, cols = Math.min(4, n - j0);
                int b0 = bOff + j0 * ldb;
                int b1 = bOff + Math.min(j0 + 1, n - 1) * ldb;
                int b2 = bOff + Math.min(j0 + 2, n - 1) * ldb;
                int b3 = bOff + Math.min(j0 + 3, n - 1) * ldb;
                for (int ti = 0; ti < tilesI; ti++) {
                    int i0 = ti * 4, rows = Math.min(4, m - i0);
                    kern.gemmDotTile(k, a, aOff + i0 * lda, aOff + Math.min(i0 + 1, m - 1) * lda,
                            aOff + Math.min(i0 + 2, m - 1) * lda, aOff + Math.min(i0 + 3, m - 1) * lda,
                            b, b0, b1, b2, b3, out);
                    for (int r = 0; r < rows; r++) {
                        int at = cOff + (i0 + r) * ldc + j0;
                        for (int q = 0; q < cols; q++) {
                            c[at + q] = accumulate ? c[at + q] + out[r * 4 + q] : out[r * 4 + q];
                        }
                    }
                }
            }
        };
        if (threads > 1) Parallel.forChunks(tilesJ, Math.min(tilesJ, 4 * threads), body);
        else body.run(0, tilesJ);
    }

    private static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", transA ? k : m, transA ? m : k, a, aOff, lda, m, n, k);
        checkMatrix("B", transB ? n : k, transB ? k : n, b, bOff, ldb, m, n, k);
        checkMatrix("C", m, n, c, cOff, ldc, m, n, k);
    }

    private static void checkMatrix(String name, int rows, int cols, float[] x, int off, int ld, int m, int n, int k) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) {
            throw new IllegalArgumentException("gemm (m=" + m + " n=" + n + " k=" + k + "): leading dimension of "
                    + name + " is " + ld + " but its stored rows have " + cols + " columns");
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("gemm (m=" + m + " n=" + n + " k=" + k + "): " + name + " is stored as "
                    + rows + "x" + cols + " (ld " + ld + ", offset " + off + ") and needs " + last
                    + " floats but the array has " + x.length);
        }
    }

    private static float[] bPackBuffer(int len) {
        return scratch(0, len);
    }

    private static float[] tileBuffer(int len) {
        return scratch(2, len);
    }

    /** Per-thread buffers reused across calls so a training step does not allocate per GEMM. */
    private static float[] scratch(int slot, int len) {
        return scratch(SCRATCH.get(), slot, len);
    }

    private static float[] scratch(float[][] s, int slot, int len) {
        if (s[slot] == null || s[slot].length < len) s[slot] = new float[Math.max(len, 64)];
        return s[slot];
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
