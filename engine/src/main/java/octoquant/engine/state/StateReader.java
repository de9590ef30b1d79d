package octoquant.engine.state;

import java.util.Arrays;

/**
 * Where a {@link Stateful} object reads its saved state back from. The typed getters return copies the
 * caller may keep. A missing entry, or one of another type, is a {@link StateMismatchException} naming
 * it; the checking helpers ({@link #readInto}, {@link #expect}) turn a wrong size or configuration into
 * the same one-line error.
 */
public interface StateReader {
    boolean has(String name);

    float[] floats(String name);

    double[] doubles(String name);

    long[] longs(String name);

    int[] ints(String name);

    byte[] bytes(String name);

    String string(String name);

    /** The full name of entry {@code name} as stored (prefixes included), for messages. */
    default String path(String name) {
        return name;
    }

    /** An error about entry {@code name}: {@code state entry '<path>' <problem>}. */
    default StateMismatchException mismatch(String name, String problem) {
        return new StateMismatchException("state entry '" + path(name) + "' " + problem);
    }

    default long longValue(String name) {
        long[] v = longs(name);
        if (v.length != 1) throw mismatch(name, "holds " + v.length + " numbers, expected one");
        return v[0];
    }

    default double doubleValue(String name) {
        double[] v = doubles(name);
        if (v.length != 1) throw mismatch(name, "holds " + v.length + " numbers, expected one");
        return v[0];
    }

    default boolean booleanValue(String name) {
        long v = longValue(name);
        if (v != 0 && v != 1) throw mismatch(name, "is " + v + ", expected a flag (0 or 1)");
        return v == 1;
    }

    default boolean[] booleans(String name, int expectedLength) {
        byte[] b = bytes(name);
        checkLength(name, b.length, expectedLength);
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0 && b[i] != 1) throw mismatch(name, "holds " + b[i] + " at " + i + ", expected flags (0 or 1)");
            out[i] = b[i] == 1;
        }
        return out;
    }

    /** Copies entry {@code name} into {@code dst}, which must have the saved length. */
    default void readInto(String name, float[] dst) {
        float[] v = floats(name);
        checkLength(name, v.length, dst.length);
        System.arraycopy(v, 0, dst, 0, v.length);
    }

    default void readInto(String name, double[] dst) {
        double[] v = doubles(name);
        checkLength(name, v.length, dst.length);
        System.arraycopy(v, 0, dst, 0, v.length);
    }

    default void readInto(String name, long[] dst) {
        long[] v = longs(name);
        checkLength(name, v.length, dst.length);
        System.arraycopy(v, 0, dst, 0, v.length);
    }

    default void readInto(String name, int[] dst) {
        int[] v = ints(name);
        checkLength(name, v.length, dst.length);
        System.arraycopy(v, 0, dst, 0, v.length);
    }

    /** Fails unless the saved string equals {@code expected}; {@code what} names this object in the message. */
    default void expect(String name, String expected, String what) {
        String saved = string(name);
        if (!saved.equals(expected)) throw mismatch(name, "is '" + saved + "', but this " + what + " is '" + expected + "'");
    }

    /** Fails unless the saved ints equal {@code expected} (shapes). */
    default void expect(String name, int[] expected, String what) {
        int[] saved = ints(name);
        if (!Arrays.equals(saved, expected)) {
            throw mismatch(name, "is " + Arrays.toString(saved) + ", but this " + what + " is " + Arrays.toString(expected));
        }
    }

    private void checkLength(String name, int saved, int expected) {
        if (saved != expected) throw mismatch(name, "holds " + saved + " values, but this object needs " + expected);
    }

    /** A reader of the entries under {@code prefix.}: for a nested object's state. */
    default StateReader under(String prefix) {
        return new Scoped.Reader(this, prefix);
    }

    /** Restores {@code nested}'s state from the entries under {@code prefix.}. */
    default void restore(String prefix, Stateful nested) {
        nested.restoreState(under(prefix));
    }
}
