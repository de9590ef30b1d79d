package octoquant.engine.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Saved state kept in memory, in the order it was written: a snapshot to restore from, or to compare
 * with another snapshot ({@link #sameAs}). Arrays are copied in and out; {@link #reader()} reads them back.
 */
public final class MemoryState implements StateWriter {
    private final Map<String, Object> entries = new LinkedHashMap<>();
    private final StateReader reader = new Reader();

    /** The saved state of {@code s}. */
    public static MemoryState of(Stateful s) {
        MemoryState m = new MemoryState();
        s.saveState(m);
        return m;
    }

    private void put(String name, Object v) {
        if (entries.containsKey(name)) throw new IllegalArgumentException("state entry '" + name + "' written twice");
        entries.put(name, v);
    }

    @Override public void putFloats(String name, float[] v) { put(name, v.clone()); }
    @Override public void putDoubles(String name, double[] v) { put(name, v.clone()); }
    @Override public void putLongs(String name, long[] v) { put(name, v.clone()); }
    @Override public void putInts(String name, int[] v) { put(name, v.clone()); }
    @Override public void putBytes(String name, byte[] v) { put(name, v.clone()); }
    @Override public void putString(String name, String v) { put(name, v); }

    /** Reads the entries written so far (and any written later). */
    public StateReader reader() {
        return reader;
    }

    private final class Reader implements StateReader {
        @Override public boolean has(String name) { return entries.containsKey(name); }
        @Override public float[] floats(String name) { return get(name, float[].class).clone(); }
        @Override public double[] doubles(String name) { return get(name, double[].class).clone(); }
        @Override public long[] longs(String name) { return get(name, long[].class).clone(); }
        @Override public int[] ints(String name) { return get(name, int[].class).clone(); }
        @Override public byte[] bytes(String name) { return get(name, byte[].class).clone(); }
        @Override public String string(String name) { return get(name, String.class); }

        private <T> T get(String name, Class<T> type) {
            Object v = entries.get(name);
            if (v == null) throw mismatch(name, "is missing from the saved state");
            if (!type.isInstance(v)) {
                throw mismatch(name, "is a " + v.getClass().getSimpleName() + ", expected " + type.getSimpleName());
            }
            return type.cast(v);
        }
    }

    /** The entry names, in the order written. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /**
     * The first entry in which this and {@code other} differ (by name, type, length or value: floats as
     * {@link Float#equals}, so −0 differs from 0 and NaNs are one value), or null
     * when they hold the same entries with identical contents.
     */
    public String firstDifference(MemoryState other) {
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Object o = other.entries.get(e.getKey());
            if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {o})) return e.getKey();
        }
        for (String k : other.entries.keySet()) if (!entries.containsKey(k)) return k;
        return null;
    }

    /** True when both hold the same entries with identical contents (floats compared as Float.equals does). */
    public boolean sameAs(MemoryState other) {
        return firstDifference(other) == null;
    }
}
