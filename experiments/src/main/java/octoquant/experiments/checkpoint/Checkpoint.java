package octoquant.experiments.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of one checkpoint: an ordered set of named, typed arrays (parameters, optimizer moments, RNG
 * states, metrics so far) plus the hash of the configuration that produced them. What the names mean is
 * up to the training loop; {@link CheckpointFile} only guarantees they come back bit for bit.
 */
public final class Checkpoint {
    private final byte[] configHash;
    private final Map<String, Object> entries = new LinkedHashMap<>();

    /** @param configHash SHA-256 of the canonical configuration (32 bytes) */
    public Checkpoint(byte[] configHash) {
        if (configHash.length != CheckpointFile.HASH_BYTES) {
            throw new IllegalArgumentException("config hash must be " + CheckpointFile.HASH_BYTES + " bytes");
        }
        this.configHash = configHash.clone();
    }

    public byte[] configHash() {
        return configHash.clone();
    }

    public Checkpoint putFloats(String name, float[] v) {
        return put(name, v.clone());
    }

    public Checkpoint putDoubles(String name, double[] v) {
        return put(name, v.clone());
    }

    public Checkpoint putLongs(String name, long[] v) {
        return put(name, v.clone());
    }

    public Checkpoint putInts(String name, int[] v) {
        return put(name, v.clone());
    }

    public Checkpoint putBytes(String name, byte[] v) {
        return put(name, v.clone());
    }

    public Checkpoint putString(String name, String v) {
        return put(name, v);
    }

    public Checkpoint putLong(String name, long v) {
        return put(name, new long[] {v});
    }

    Checkpoint put(String name, Object v) {
        if (entries.containsKey(name)) throw new IllegalArgumentException("checkpoint entry '" + name + "' twice");
        entries.put(name, v);
        return this;
    }

    /** The entry names, in order. */
    public java.util.Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    public float[] floats(String name) {
        return get(name, float[].class).clone();
    }

    public double[] doubles(String name) {
        return get(name, double[].class).clone();
    }

    public long[] longs(String name) {
        return get(name, long[].class).clone();
    }

    public int[] ints(String name) {
        return get(name, int[].class).clone();
    }

    public byte[] bytes(String name) {
        return get(name, byte[].class).clone();
    }

    public String string(String name) {
        return get(name, String.class);
    }

    public long longValue(String name) {
        long[] v = get(name, long[].class);
        if (v.length != 1) throw new CheckpointException("checkpoint entry '" + name + "' is not a single number");
        return v[0];
    }

    private <T> T get(String name, Class<T> type) {
        Object v = entries.get(name);
        if (v == null) throw new CheckpointException("checkpoint has no entry '" + name + "'");
        if (!type.isInstance(v)) {
            throw new CheckpointException("checkpoint entry '" + name + "' is a " + v.getClass().getSimpleName()
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(v);
    }

    Map<String, Object> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** True when both hold the same hash and the same entries with identical contents. */
    public boolean sameContent(Checkpoint other) {
        if (!Arrays.equals(configHash, other.configHash) || !entries.keySet().equals(other.entries.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {other.entries.get(e.getKey())})) {
                return false;
            }
        }
        return true;
    }
}
