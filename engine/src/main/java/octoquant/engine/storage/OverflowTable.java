package octoquant.engine.storage;

import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;

import java.util.Arrays;

/**
 * Codes that do not fit a layout's bit field (the seed's fixed grid is unbounded: |w| > 1 at 8 bits),
 * kept sparsely as (index, int32 code) pairs sorted by index: 8 bytes an entry, counted in
 * {@link WeightStorage#sizeInBytes()}. Rebuilt on every full re-encode, which visits indices in order.
 */
final class OverflowTable implements Stateful {
    private int[] index = new int[0];
    private int[] code = new int[0];
    private int size;

    int size() {
        return size;
    }

    long sizeInBytes() {
        return 8L * size;
    }

    void clear() {
        size = 0;
    }

    /** Appends an entry; indices must come in increasing order. */
    void append(int i, int c) {
        if (size > 0 && index[size - 1] >= i) throw new IllegalStateException("overflow indices out of order");
        if (size == index.length) {
            int n = Math.max(8, size * 2);
            index = Arrays.copyOf(index, n);
            code = Arrays.copyOf(code, n);
        }
        index[size] = i;
        code[size] = c;
        size++;
    }

    /** Position of the first entry with index ≥ i (a cursor for sequential decoding). */
    int firstAtOrAfter(int i) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (index[mid] < i) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    int indexAt(int pos) {
        return index[pos];
    }

    int codeAt(int pos) {
        return code[pos];
    }

    /** The code stored for weight {@code i}; the caller knows it is here (its field was the escape). */
    int codeOf(int i) {
        int pos = firstAtOrAfter(i);
        if (pos == size || index[pos] != i) throw new IllegalStateException("weight " + i + " escaped but has no overflow entry");
        return code[pos];
    }

    /** Releases spare capacity after a rebuild so the arrays hold what {@link #sizeInBytes} reports. */
    void trim() {
        if (index.length != size) {
            index = Arrays.copyOf(index, size);
            code = Arrays.copyOf(code, size);
        }
    }

    // ------------------------------------------------------------------ state
    // The entries are the state; spare capacity is not (restored tables hold exactly their entries).

    @Override
    public void saveState(StateWriter out) {
        out.putInts("index", Arrays.copyOf(index, size));
        out.putInts("code", Arrays.copyOf(code, size));
    }

    @Override
    public void restoreState(StateReader in) {
        int[] idx = in.ints("index"), c = in.ints("code");
        if (c.length != idx.length) throw in.mismatch("code", "holds " + c.length + " codes for " + idx.length + " indices");
        for (int k = 1; k < idx.length; k++) {
            if (idx[k - 1] >= idx[k]) throw in.mismatch("index", "is not strictly increasing at position " + k);
        }
        index = idx;
        code = c;
        size = idx.length;
    }
}
