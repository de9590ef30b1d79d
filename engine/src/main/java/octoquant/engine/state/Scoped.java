package octoquant.engine.state;

/** The prefixed views behind {@link StateWriter#under} and {@link StateReader#under}. */
final class Scoped {
    private Scoped() {}

    private static String join(String prefix, String name) {
        return prefix + "." + name;
    }

    static final class Writer implements StateWriter {
        private final StateWriter out;
        private final String prefix;

        Writer(StateWriter out, String prefix) {
            this.out = out;
            this.prefix = prefix;
        }

        @Override public void putFloats(String name, float[] v) { out.putFloats(join(prefix, name), v); }
        @Override public void putDoubles(String name, double[] v) { out.putDoubles(join(prefix, name), v); }
        @Override public void putLongs(String name, long[] v) { out.putLongs(join(prefix, name), v); }
        @Override public void putInts(String name, int[] v) { out.putInts(join(prefix, name), v); }
        @Override public void putBytes(String name, byte[] v) { out.putBytes(join(prefix, name), v); }
        @Override public void putString(String name, String v) { out.putString(join(prefix, name), v); }
    }

    static final class Reader implements StateReader {
        private final StateReader in;
        private final String prefix;

        Reader(StateReader in, String prefix) {
            this.in = in;
            this.prefix = prefix;
        }

        @Override public boolean has(String name) { return in.has(join(prefix, name)); }
        @Override public float[] floats(String name) { return in.floats(join(prefix, name)); }
        @Override public double[] doubles(String name) { return in.doubles(join(prefix, name)); }
        @Override public long[] longs(String name) { return in.longs(join(prefix, name)); }
        @Override public int[] ints(String name) { return in.ints(join(prefix, name)); }
        @Override public byte[] bytes(String name) { return in.bytes(join(prefix, name)); }
        @Override public String string(String name) { return in.string(join(prefix, name)); }
        @Override public String path(String name) { return in.path(join(prefix, name)); }

        // The parent builds the message so it names the entry with every prefix.
        @Override public StateMismatchException mismatch(String name, String problem) {
            return in.mismatch(join(prefix, name), problem);
        }
    }
}
