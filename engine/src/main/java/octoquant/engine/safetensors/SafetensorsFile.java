package octoquant.engine.safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of a safetensors file: named tensors in an order, and free-form string metadata.
 *
 * <p><b>Order.</b> The format lays tensors out sorted (by dtype alignment, then name), so the writer also
 * stores the order of {@link #tensors()} in the metadata under {@link #ORDER_KEY} as a JSON array of names,
 * and the reader gives that order back: the names it lists first, then any others in the order of their
 * data. A file without the key (written elsewhere) reads in the order of its data. The key is not part of
 * {@link #metadata()}.
 *
 * <p><b>Errors.</b> {@link #read} and {@link #parse} validate the whole file (see the package documentation)
 * and throw {@link SafetensorsException} with a one-line message naming the file and the problem.
 */
public final class SafetensorsFile {
    /** Where the writer records the order of the tensors; reserved, not allowed in {@link #metadata()}. */
    public static final String ORDER_KEY = "octoquant.order";

    private final Map<String, TensorData> tensors;
    private final Map<String, String> metadata;

    /**
     * Copies the tensors (in their iteration order) and the metadata.
     *
     * @throws IllegalArgumentException for a name {@code __metadata__}, the reserved {@link #ORDER_KEY}, or a
     *                                  string that has no UTF-8 form (a lone surrogate)
     */
    public SafetensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (Map.Entry<String, TensorData> e : this.tensors.entrySet()) {
            checkEncodable(e.getKey());
            if (e.getKey().equals(SafetensorsReader.METADATA_KEY)) throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            if (e.getValue() == null) throw new IllegalArgumentException("tensor " + HeaderJsonWriter.forMessage(e.getKey()) + " is null");
        }
        for (Map.Entry<String, String> e : this.metadata.entrySet()) {
            checkEncodable(e.getKey());
            checkEncodable(e.getValue());
            if (e.getKey().equals(ORDER_KEY)) throw new IllegalArgumentException("metadata key " + ORDER_KEY + " is reserved for the tensors' order");
        }
    }

    /**
     * As read: the order key leaves the metadata and, when it is a JSON array of strings, gives the order
     * (a value that is not one — the key was edited by hand — orders nothing).
     */
    static SafetensorsFile ofRead(Map<String, TensorData> inDataOrder, Map<String, String> metadata) {
        Map<String, String> rest = new LinkedHashMap<>(metadata);
        String order = rest.remove(ORDER_KEY);
        List<String> names = List.of();
        if (order != null) {
            try {
                names = HeaderJsonReader.parseStringArray(order);
            } catch (HeaderJsonReader.SyntaxError e) {
                names = List.of();
            }
        }
        Map<String, TensorData> ordered = new LinkedHashMap<>();
        for (String name : names) {
            TensorData t = inDataOrder.get(name);
            if (t != null) ordered.putIfAbsent(name, t);
        }
        for (Map.Entry<String, TensorData> e : inDataOrder.entrySet()) ordered.putIfAbsent(e.getKey(), e.getValue());
        return new SafetensorsFile(ordered, rest);
    }

    /** The tensors in order (unmodifiable). */
    public Map<String, TensorData> tensors() {
        return tensors;
    }

    /** The metadata (unmodifiable), without {@link #ORDER_KEY}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor named {@code name}, or null. */
    public TensorData get(String name) {
        return tensors.get(name);
    }

    /** Reads and validates {@code file}. */
    public static SafetensorsFile read(Path file) {
        return SafetensorsReader.read(file);
    }

    /** Reads and validates the bytes of a file; {@code source} names it in messages. */
    public static SafetensorsFile parse(byte[] bytes, String source) {
        return SafetensorsReader.parse(bytes, source);
    }

    /**
     * Writes this to {@code file} atomically: a temporary file in the same directory, forced to disk, then
     * renamed over {@code file}, so readers see the old file or the new one and never a part.
     */
    public void write(Path file) {
        SafetensorsWriter.write(this, file);
    }

    /** The bytes {@link #write} would write. */
    public byte[] toBytes() {
        return SafetensorsWriter.toBytes(this);
    }

    /** The metadata the writer stores: this one's, then {@link #ORDER_KEY} with the tensors' order. */
    Map<String, String> metadataWithOrder() {
        Map<String, String> out = new LinkedHashMap<>(metadata);
        StringBuilder sb = new StringBuilder("[");
        for (String name : tensors.keySet()) {
            if (sb.length() > 1) sb.append(',');
            HeaderJsonWriter.appendString(sb, name);
        }
        out.put(ORDER_KEY, sb.append(']').toString());
        return out;
    }

    private static void checkEncodable(String s) {
        if (s == null) throw new IllegalArgumentException("names and metadata cannot be null");
        HeaderJsonWriter.appendString(new StringBuilder(), s); // throws for a lone surrogate
    }

    /** The same tensors in the same order, and the same metadata. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsFile f && f.metadata.equals(metadata) && new ArrayList<>(f.tensors.entrySet()).equals(new ArrayList<>(tensors.entrySet()));
    }

    @Override
    public int hashCode() {
        return tensors.hashCode() * 31 + metadata.hashCode();
    }
}
