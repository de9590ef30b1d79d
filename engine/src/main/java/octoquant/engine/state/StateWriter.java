package octoquant.engine.state;

/**
 * Where a {@link Stateful} object writes its state: named entries of primitive arrays, numbers and
 * strings. Implementations keep values bit for bit (NaN payloads and −0 included) and copy arrays they
 * keep, so the writer may go on using them. A name may be written only once.
 */
public interface StateWriter {
    void putFloats(String name, float[] values);

    void putDoubles(String name, double[] values);

    void putLongs(String name, long[] values);

    void putInts(String name, int[] values);

    void putBytes(String name, byte[] values);

    void putString(String name, String value);

    /** One number, stored as a one-element {@code long[]}. */
    default void putLong(String name, long value) {
        putLongs(name, new long[] {value});
    }

    /** One double, stored as a one-element {@code double[]} (raw bits kept). */
    default void putDouble(String name, double value) {
        putDoubles(name, new double[] {value});
    }

    /** A flag, stored as the number 0 or 1. */
    default void putBoolean(String name, boolean value) {
        putLong(name, value ? 1 : 0);
    }

    /** Booleans, stored as bytes 0 or 1. */
    default void putBooleans(String name, boolean[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (values[i] ? 1 : 0);
        putBytes(name, b);
    }

    /** A writer that puts every entry under {@code prefix.}: for a nested object's state. */
    default StateWriter under(String prefix) {
        return new Scoped.Writer(this, prefix);
    }

    /** Saves {@code nested}'s state under {@code prefix.}. */
    default void put(String prefix, Stateful nested) {
        nested.saveState(under(prefix));
    }
}
