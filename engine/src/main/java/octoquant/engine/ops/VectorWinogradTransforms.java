package octoquant.engine.ops;

import octoquant.engine.kernels.WinogradTransforms;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradTransforms} on the Vector API: consecutive tiles in the lanes of one vector, the scalar
 * loops for the tail. The same operations in the same order per value as the scalar loops, so the same
 * bits. Created only by the Vector API provider ({@code octoquant.engine.vectorization}).
 *
 * <p>Written for JDK 17's C2: each line loads, combines and stores its own vectors (no vector
 * lives across calls or iterations, is passed to a helper or returned, any of which can box it), and only the
 * preferred species is used, the one the GEMM kernels use (why: {@code docs/decisions.md}).
 */
public final class VectorWinogradTransforms extends WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final boolean POOL_USABLE = INTS.length() == L;
    /**
     * Whether C2 turns the Vector API's gathers into gather instructions: on x86 with 256-bit vectors or
     * wider (AVX2), not on AVX1 or NEON (JDK 17), where each gather would run as the API's Java code.
     */
    private static final boolean GATHERS = POOL_USABLE && L >= 8
            && ("amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch")));
    /** Per thread: the gather offsets of {@link #transposeTiles} for the last row stride ld, {@code i·ld} in lane i. */
    private static final ThreadLocal<int[]> GATHER_ROWS = ThreadLocal.withInitial(() -> new int[L + 1]);

    /** For the Vector API provider only. */
    public VectorWinogradTransforms() {}

    /*
     * Each transform below is one method holding one line's vector code inside its loops over tiles,
     * passes and lines, not a loop calling a line helper (the pool-gradient gather likewise names its
     * window's members before its loop): at 340+ bytes of bytecode each method is larger than C2's limit
     * for inlining a hot method (FreqInlineSize, 325), so it is compiled on its own, and its vector code
     * stays far below C2's node budget there. A line helper small enough to inline was inlined into the
     * Winograd chunk loops, where C2 could reach its node budget
     * (NodeCountInliningCutoff) in the middle of the helper's vector calls; the rest then ran as the Vector
     * API's Java code, boxing every vector (docs/decisions.md, session 11).
     */

    @Override
    public void input(float[] d, int dOff, int dStride, float[] v, int vOff, int vStride, int count) {
        int ds = 6 * dStride, vs = 6 * vStride, full = count - count % L;
        for (int t = 0; t < full; t += L) {
            // Pass 0: Bᵀ x down each column of the patch, d → v; pass 1: along each row of v, in place.
            for (int pass = 0; pass < 2; pass++) {
                float[] src = pass == 0 ? d : v;
                int sStep = pass == 0 ? ds : vStride, oStep = pass == 0 ? vs : vStride;
                int sAt = pass == 0 ? dOff + t : vOff + t, sNext = pass == 0 ? dStride : vs;
                int oAt = vOff + t, oNext = pass == 0 ? vStride : vs;
                for (int line = 0; line < 6; line++) {
                    int s = sAt + line * sNext, o = oAt + line * oNext;
                    FloatVector four = FloatVector.broadcast(S, 4f), m4 = FloatVector.broadcast(S, -4f);
                    FloatVector m5 = FloatVector.broadcast(S, -5f), two = FloatVector.broadcast(S, 2f);
                    FloatVector x0 = FloatVector.fromArray(S, src, s), x1 = FloatVector.fromArray(S, src, s + sStep);
                    FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * sStep), x3 = FloatVector.fromArray(S, src, s + 3 * sStep);
                    FloatVector x4 = FloatVector.fromArray(S, src, s + 4 * sStep), x5 = FloatVector.fromArray(S, src, s + 5 * sStep);
                    FloatVector a = m4.fma(x2, x4), b = m4.fma(x1, x3), c = x4.sub(x2), e = x3.sub(x1).mul(two);
                    four.fma(x0, m5.fma(x2, x4)).intoArray(v, o);
                    a.add(b).intoArray(v, o + oStep);
                    a.sub(b).intoArray(v, o + 2 * oStep);
                    c.add(e).intoArray(v, o + 3 * oStep);
                    c.sub(e).intoArray(v, o + 4 * oStep);
                    four.fma(x1, m5.fma(x3, x5)).intoArray(v, o + 5 * oStep);
                }
            }
        }
        inputTail(d, dOff, dStride, v, vOff, vStride, full, count);
    }

    @Override
    public void output(float[] m, int mOff, int mStride, float[] y, int yOff, int yStride, int count) {
        int ms = 6 * mStride, full = count - count % L;
        for (int t = 0; t < full; t += L) {
            // Pass 0: Aᵀ x down each of the 6 columns of m, in place; pass 1: along its first 4 rows, into y.
            for (int pass = 0; pass < 2; pass++) {
                float[] dst = pass == 0 ? m : y;
                int sStep = pass == 0 ? ms : mStride, oStep = pass == 0 ? ms : yStride, lines = pass == 0 ? 6 : 4;
                int sNext = pass == 0 ? mStride : ms, oAt = pass == 0 ? mOff + t : yOff + t;
                int oNext = pass == 0 ? mStride : 4 * yStride;
                for (int line = 0; line < lines; line++) {
                    int s = mOff + t + line * sNext, o = oAt + line * oNext;
                    FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
                    FloatVector eight = FloatVector.broadcast(S, 8f);
                    FloatVector x0 = FloatVector.fromArray(S, m, s), x1 = FloatVector.fromArray(S, m, s + sStep);
                    FloatVector x2 = FloatVector.fromArray(S, m, s + 2 * sStep), x3 = FloatVector.fromArray(S, m, s + 3 * sStep);
                    FloatVector x4 = FloatVector.fromArray(S, m, s + 4 * sStep), x5 = FloatVector.fromArray(S, m, s + 5 * sStep);
                    FloatVector p = x1.add(x2), q = x1.sub(x2), r = x3.add(x4), u = x3.sub(x4);
                    x0.add(p).add(r).intoArray(dst, o);
                    two.fma(u, q).intoArray(dst, o + oStep);
                    four.fma(r, p).intoArray(dst, o + 2 * oStep);
                    eight.fma(u, q).add(x5).intoArray(dst, o + 3 * oStep);
                }
            }
        }
        outputTail(m, mOff, mStride, y, yOff, yStride, full, count);
    }

    @Override
    public void outputAdjoint(float[] dy, int dyOff, int dyStride, float[] dm, int dmOff, int dmStride, int count) {
        int ys = 4 * dyStride, ms = 6 * dmStride, full = count - count % L;
        for (int t = 0; t < full; t += L) {
            // Pass 0: A x down each of the 4 columns of dy, into dm; pass 1: along each of dm's 6 rows, in place.
            for (int pass = 0; pass < 2; pass++) {
                float[] src = pass == 0 ? dy : dm;
                int sStep = pass == 0 ? ys : dmStride, oStep = pass == 0 ? ms : dmStride;
                int lines = pass == 0 ? 4 : 6;
                int sAt = pass == 0 ? dyOff + t : dmOff + t, sNext = pass == 0 ? dyStride : ms;
                int oAt = dmOff + t, oNext = pass == 0 ? dmStride : ms;
                for (int line = 0; line < lines; line++) {
                    int s = sAt + line * sNext, o = oAt + line * oNext;
                    FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
                    FloatVector eight = FloatVector.broadcast(S, 8f);
                    FloatVector x0 = FloatVector.fromArray(S, src, s), x1 = FloatVector.fromArray(S, src, s + sStep);
                    FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * sStep), x3 = FloatVector.fromArray(S, src, s + 3 * sStep);
                    FloatVector e = x0.add(x2), f = x1.add(x3), g = four.fma(x2, x0), h = eight.fma(x3, x1.mul(two));
                    x0.intoArray(dm, o);
                    e.add(f).intoArray(dm, o + oStep);
                    e.sub(f).intoArray(dm, o + 2 * oStep);
                    g.add(h).intoArray(dm, o + 3 * oStep);
                    g.sub(h).intoArray(dm, o + 4 * oStep);
                    x3.intoArray(dm, o + 5 * oStep);
                }
            }
        }
        outputAdjointTail(dy, dyOff, dyStride, dm, dmOff, dmStride, full, count);
    }

    /**
     * Whole vectors, then a copy of the rest: a row of 16 floats (conv2 of the seed CNN on 32 × 32 images)
     * is one load and one store instead of a call to the array copy (32,768 rows a training step).
     */
    @Override
    public void copyRows(float[] src, int srcOff, int length, int rows, float[] dst, int dstOff, int dstStride) {
        if (length < L) {
            super.copyRows(src, srcOff, length, rows, dst, dstOff, dstStride);
            return;
        }
        int full = length - length % L;
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * length, to = dstOff + r * dstStride;
            for (int c = 0; c < full; c += L) FloatVector.fromArray(S, src, from + c).intoArray(dst, to + c);
            if (full < length) System.arraycopy(src, from + full, dst, to + full, length - full);
        }
    }

    @Override
    public void transposeTiles(float[] v, int vOff, int ld, int rows, int count, float[] vt, int vtOff) {
        // Each tile's row of vt, L values at a time, gathered from L rows of v (ld apart) and stored whole:
        // vt, the array kept for backward, is written in order, line after line, where a scatter of each row
        // of v would put one float into each of L lines per store (slower, docs/decisions.md, session 19).
        int fullRows = GATHERS ? rows - rows % L : 0;
        int[] map = fullRows > 0 ? GATHER_ROWS.get() : null;
        if (map != null && map[L] != ld) {
            for (int i = 0; i < L; i++) map[i] = i * ld;
            map[L] = ld;
        }
        for (int t = 0; t < count; t++) {
            int to = vtOff + t * rows;
            for (int r = 0; r < fullRows; r += L) {
                FloatVector.fromArray(S, v, vOff + r * ld + t, map, 0).intoArray(vt, to + r);
            }
            for (int r = fullRows; r < rows; r++) vt[to + r] = v[vOff + r * ld + t];
        }
    }

    @Override
    public void filterProducts(float[] dm, int dmOff, int ldm, int rows, float[] vt, int vtOff, int cols, int count,
                               float[] out, int outOff) {
        // Columns in the lanes: blocks of 8 rows × 2L columns (16 accumulators), then 8 × L; the scalar
        // loop for the rows and columns left, with the same chain per element.
        int rows8 = rows - rows % 8, c = 0;
        for (; c + 2 * L <= cols; c += 2 * L) {
            for (int o = 0; o < rows8; o += 8) filterRows8x2(dm, dmOff + o * ldm, ldm, vt, vtOff + c, cols, count, out, outOff + o * cols + c);
        }
        for (; c + L <= cols; c += L) {
            for (int o = 0; o < rows8; o += 8) filterRows8x1(dm, dmOff + o * ldm, ldm, vt, vtOff + c, cols, count, out, outOff + o * cols + c);
        }
        filterProductsTail(dm, dmOff, ldm, 0, rows8, vt, vtOff, cols, c, cols, count, out, outOff);
        filterProductsTail(dm, dmOff, ldm, rows8, rows, vt, vtOff, cols, 0, cols, count, out, outOff);
    }

    /** 8 rows of dm against 2L columns of vt: {@code out[r·cols + j] = Σ_t dm[a + r·ldm + t]·vt[b + t·cols + j]}. */
    private static void filterRows8x2(float[] dm, int a, int ldm, float[] vt, int b, int cols, int count, float[] out, int o) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
        FloatVector s40 = z, s41 = z, s50 = z, s51 = z, s60 = z, s61 = z, s70 = z, s71 = z;
        int a1 = a + ldm, a2 = a1 + ldm, a3 = a2 + ldm, a4 = a3 + ldm, a5 = a4 + ldm, a6 = a5 + ldm, a7 = a6 + ldm;
        for (int t = 0; t < count; t++) {
            int at = b + t * cols;
            FloatVector y0 = FloatVector.fromArray(S, vt, at), y1 = FloatVector.fromArray(S, vt, at + L);
            FloatVector x = FloatVector.broadcast(S, dm[a + t]);
            s00 = y0.fma(x, s00); s01 = y1.fma(x, s01);
            x = FloatVector.broadcast(S, dm[a1 + t]);
            s10 = y0.fma(x, s10); s11 = y1.fma(x, s11);
            x = FloatVector.broadcast(S, dm[a2 + t]);
            s20 = y0.fma(x, s20); s21 = y1.fma(x, s21);
            x = FloatVector.broadcast(S, dm[a3 + t]);
            s30 = y0.fma(x, s30); s31 = y1.fma(x, s31);
            x = FloatVector.broadcast(S, dm[a4 + t]);
            s40 = y0.fma(x, s40); s41 = y1.fma(x, s41);
            x = FloatVector.broadcast(S, dm[a5 + t]);
            s50 = y0.fma(x, s50); s51 = y1.fma(x, s51);
            x = FloatVector.broadcast(S, dm[a6 + t]);
            s60 = y0.fma(x, s60); s61 = y1.fma(x, s61);
            x = FloatVector.broadcast(S, dm[a7 + t]);
            s70 = y0.fma(x, s70); s71 = y1.fma(x, s71);
        }
        s00.intoArray(out, o); s01.intoArray(out, o + L);
        s10.intoArray(out, o + cols); s11.intoArray(out, o + cols + L);
        s20.intoArray(out, o + 2 * cols); s21.intoArray(out, o + 2 * cols + L);
        s30.intoArray(out, o + 3 * cols); s31.intoArray(out, o + 3 * cols + L);
        s40.intoArray(out, o + 4 * cols); s41.intoArray(out, o + 4 * cols + L);
        s50.intoArray(out, o + 5 * cols); s51.intoArray(out, o + 5 * cols + L);
        s60.intoArray(out, o + 6 * cols); s61.intoArray(out, o + 6 * cols + L);
        s70.intoArray(out, o + 7 * cols); s71.intoArray(out, o + 7 * cols + L);
    }

    /** {@link #filterRows8x2} for L columns. */
    private static void filterRows8x1(float[] dm, int a, int ldm, float[] vt, int b, int cols, int count, float[] out, int o) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
        int a1 = a + ldm, a2 = a1 + ldm, a3 = a2 + ldm, a4 = a3 + ldm, a5 = a4 + ldm, a6 = a5 + ldm, a7 = a6 + ldm;
        for (int t = 0; t < count; t++) {
            FloatVector y = FloatVector.fromArray(S, vt, b + t * cols);
            s0 = y.fma(FloatVector.broadcast(S, dm[a + t]), s0);
            s1 = y.fma(FloatVector.broadcast(S, dm[a1 + t]), s1);
            s2 = y.fma(FloatVector.broadcast(S, dm[a2 + t]), s2);
            s3 = y.fma(FloatVector.broadcast(S, dm[a3 + t]), s3);
            s4 = y.fma(FloatVector.broadcast(S, dm[a4 + t]), s4);
            s5 = y.fma(FloatVector.broadcast(S, dm[a5 + t]), s5);
            s6 = y.fma(FloatVector.broadcast(S, dm[a6 + t]), s6);
            s7 = y.fma(FloatVector.broadcast(S, dm[a7 + t]), s7);
        }
        s0.intoArray(out, o); s1.intoArray(out, o + cols); s2.intoArray(out, o + 2 * cols); s3.intoArray(out, o + 3 * cols);
        s4.intoArray(out, o + 4 * cols); s5.intoArray(out, o + 5 * cols); s6.intoArray(out, o + 6 * cols); s7.intoArray(out, o + 7 * cols);
    }

    @Override
    public void inputAdjoint(float[] dv, int off, int stride, int count) {
        int rs = 6 * stride, full = count - count % L;
        for (int t = 0; t < full; t += L) {
            // Pass 0: B x down each column (lines j, step 6·stride); pass 1: along each row (lines 6k, step stride).
            for (int pass = 0; pass < 2; pass++) {
                int step = pass == 0 ? rs : stride, next = pass == 0 ? stride : rs;
                for (int line = 0; line < 6; line++) {
                    int s = off + line * next + t;
                    FloatVector two = FloatVector.broadcast(S, 2f), four = FloatVector.broadcast(S, 4f);
                    FloatVector m2 = FloatVector.broadcast(S, -2f), m4 = FloatVector.broadcast(S, -4f), m5 = FloatVector.broadcast(S, -5f);
                    FloatVector x0 = FloatVector.fromArray(S, dv, s), x1 = FloatVector.fromArray(S, dv, s + step);
                    FloatVector x2 = FloatVector.fromArray(S, dv, s + 2 * step), x3 = FloatVector.fromArray(S, dv, s + 3 * step);
                    FloatVector x4 = FloatVector.fromArray(S, dv, s + 4 * step), x5 = FloatVector.fromArray(S, dv, s + 5 * step);
                    FloatVector p = x1.add(x2), q = x2.sub(x1), r = x3.add(x4), u = x4.sub(x3);
                    x0.mul(four).intoArray(dv, s);
                    four.fma(q, two.fma(u, x5.mul(four))).intoArray(dv, s + step);
                    m4.fma(p, m5.fma(x0, r.neg())).intoArray(dv, s + 2 * step);
                    m2.fma(u, m5.fma(x5, q.neg())).intoArray(dv, s + 3 * step);
                    x0.add(p).add(r).intoArray(dv, s + 4 * step);
                }
            }
        }
        inputAdjointTail(dv, off, stride, full, count);
    }

    @Override
    public void gatherPatches(float[] plane, int planeW, int[] origins, int count, float[] d, int dOff, int dStride) {
        // Patch position by patch position, L tiles at a time: one gather through the tiles' origins and one
        // contiguous store, copies of the scalar loop's values.
        int full = GATHERS ? count - count % L : 0;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                int at = i * planeW + j, di = dOff + (6 * i + j) * dStride;
                for (int t = 0; t < full; t += L) FloatVector.fromArray(S, plane, at, origins, t).intoArray(d, di + t);
            }
        }
        gatherPatchesTail(plane, planeW, origins, full, count, d, dOff, dStride);
    }

    @Override
    public void addPatchGradients(float[] dd, int ddOff, int[] index, int[] slots, int h, int w,
                                  float[] dx, int dxOff, boolean fresh) {
        // L pixels of a row at a time, one gather per slot, added in slot order from +0: the scalar sums.
        int full = GATHERS ? w - w % L : 0;
        for (int r = 0; r < h; r++) {
            int s0 = 4 * r * w, s1 = s0 + w, s2 = s1 + w, s3 = s2 + w;
            for (int c = 0; c < full; c += L) {
                FloatVector sum = FloatVector.zero(S).add(FloatVector.fromArray(S, dd, ddOff, index, s0 + c))
                        .add(FloatVector.fromArray(S, dd, ddOff, index, s1 + c));
                if (slots[r] == 4) {
                    sum = sum.add(FloatVector.fromArray(S, dd, ddOff, index, s2 + c))
                            .add(FloatVector.fromArray(S, dd, ddOff, index, s3 + c));
                }
                int o = dxOff + r * w + c;
                if (fresh) sum.intoArray(dx, o);
                else FloatVector.fromArray(S, dx, o).add(sum).intoArray(dx, o);
            }
        }
        if (full < w) addPatchGradientsTail(dd, ddOff, index, slots, h, w, full, dx, dxOff, fresh);
    }

    @Override
    public void gatherPooled(float[] pooled, int[] codes, int pOff, int[] sources, int count, float[] out, int[] where,
                             int base) {
        // L pixels at a time: one gather of their pooled values and one of their winners, copies.
        int full = GATHERS ? count - count % L : 0;
        for (int q = 0; q < full; q += L) FloatVector.fromArray(S, pooled, pOff, sources, q).intoArray(out, base + q);
        if (where != null) {
            for (int q = 0; q < full; q += L) IntVector.fromArray(INTS, codes, pOff, sources, q).intoArray(where, base + q);
        }
        gatherPooledTail(pooled, codes, pOff, sources, full, count, out, where, base);
    }

    @Override
    public void gatherPoolGradient(float[] g, float[] out, int[] where, int base, int pw, int[] origins, int count,
                                   float[] dy, int dyOff, int dyStride) {
        // Window by window, L tiles at a time: the window's gradient, winner and pooled value gathered, the
        // gradient kept where the pooled value is positive (NaN is not), and each of the window's four
        // members stored in full, the gradient in the winner's lanes and +0 in the others: the scalar loop's
        // values (each place is written once, so the order does not matter).
        int full = GATHERS ? count - count % L : 0;
        for (int w = 0; w < WINDOWS; w++) {
            int at = base + (w >> 1) * pw + (w & 1), top = dyOff + (8 * (w >> 1) + 2 * (w & 1)) * dyStride;
            int m1 = top + dyStride, m2 = top + 4 * dyStride, m3 = top + 5 * dyStride;
            for (int t = 0; t < full; t += L) {
                FloatVector zero = FloatVector.zero(S);
                FloatVector grad = FloatVector.fromArray(S, g, at, origins, t);
                FloatVector pooled = FloatVector.fromArray(S, out, at, origins, t);
                IntVector code = IntVector.fromArray(INTS, where, at, origins, t);
                FloatVector passed = zero.blend(grad, pooled.compare(VectorOperators.GT, zero));
                zero.blend(passed, code.compare(VectorOperators.EQ, 0).cast(S)).intoArray(dy, top + t);
                zero.blend(passed, code.compare(VectorOperators.EQ, 1).cast(S)).intoArray(dy, m1 + t);
                zero.blend(passed, code.compare(VectorOperators.EQ, 2).cast(S)).intoArray(dy, m2 + t);
                zero.blend(passed, code.compare(VectorOperators.EQ, 3).cast(S)).intoArray(dy, m3 + t);
            }
        }
        gatherPoolGradientTail(g, out, where, base, pw, origins, full, count, dy, dyOff, dyStride);
    }

    @Override
    public void biasReluPool(float[] y, int yOff, int yStride, float bias, float[] pooled, int[] where, int pOff, int pStride,
                      int count) {
        int full = POOL_USABLE ? count - count % L : 0;
        FloatVector bv = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        IntVector one = IntVector.broadcast(INTS, 1), two = IntVector.broadcast(INTS, 2);
        IntVector three = IntVector.broadcast(INTS, 3), none = IntVector.zero(INTS);
        for (int t = 0; t < full; t += L) {
            for (int w = 0; w < WINDOWS; w++) {
                int top = yOff + (8 * (w >> 1) + 2 * (w & 1)) * yStride + t;
                FloatVector a = FloatVector.fromArray(S, y, top).add(bv);
                FloatVector b = FloatVector.fromArray(S, y, top + yStride).add(bv);
                FloatVector c = FloatVector.fromArray(S, y, top + 4 * yStride).add(bv);
                FloatVector d = FloatVector.fromArray(S, y, top + 5 * yStride).add(bv);
                FloatVector m = a.max(b).max(c.max(d));
                int o = pOff + w * pStride + t;
                m.max(zero).intoArray(pooled, o);
                IntVector at = three.blend(two, c.compare(VectorOperators.EQ, m).cast(INTS));
                at = at.blend(one, b.compare(VectorOperators.EQ, m).cast(INTS));
                at.blend(none, a.compare(VectorOperators.EQ, m).cast(INTS)).intoArray(where, o);
            }
        }
        biasReluPoolTail(y, yOff, yStride, bias, pooled, where, pOff, pStride, full, count);
    }
}
