package octoquant.experiments.checkpoint;

import octoquant.engine.state.StateMismatchException;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;

/**
 * Connects the engine's state API ({@code octoquant.engine.state}) to a {@link Checkpoint}: engine objects
 * write their state as checkpoint entries and read it back, bit for bit. A missing entry or one of another
 * type comes back as the engine's {@link StateMismatchException}, naming the entry.
 */
public final class CheckpointState {
    private CheckpointState() {}

    /** Writes entries into {@code c} (each name once, as {@link Checkpoint} requires). */
    public static StateWriter writer(Checkpoint c) {
        return new StateWriter() {
            @Override public void putFloats(String name, float[] v) { c.putFloats(name, v); }
            @Override public void putDoubles(String name, double[] v) { c.putDoubles(name, v); }
            @Override public void putLongs(String name, long[] v) { c.putLongs(name, v); }
            @Override public void putInts(String name, int[] v) { c.putInts(name, v); }
            @Override public void putBytes(String name, byte[] v) { c.putBytes(name, v); }
            @Override public void putString(String name, String v) { c.putString(name, v); }
            @Override public void putLong(String name, long v) { c.putLong(name, v); }
        };
    }

    /** Reads entries of {@code c}. */
    public static StateReader reader(Checkpoint c) {
        return new StateReader() {
            @Override public boolean has(String name) { return c.has(name); }
            @Override public float[] floats(String name) { return get(name, () -> c.floats(name)); }
            @Override public double[] doubles(String name) { return get(name, () -> c.doubles(name)); }
            @Override public long[] longs(String name) { return get(name, () -> c.longs(name)); }
            @Override public int[] ints(String name) { return get(name, () -> c.ints(name)); }
            @Override public byte[] bytes(String name) { return get(name, () -> c.bytes(name)); }
            @Override public String string(String name) { return get(name, () -> c.string(name)); }

            private <T> T get(String name, java.util.function.Supplier<T> read) {
                if (!c.has(name)) throw mismatch(name, "is missing from the checkpoint");
                try {
                    return read.get();
                } catch (CheckpointException e) { // an entry of another type
                    throw new StateMismatchException(e.getMessage());
                }
            }
        };
    }
}
