package octoquant.engine.nn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch fixtures: a {@code manifest.tsv} with one line per tensor
 * ({@code name<TAB>dims comma-separated<TAB>f32|i64<TAB>file}) and raw little-endian files beside it.
 */
final class GoldenTensors {
    /** One tensor of the fixture set. Exactly one of the arrays is non-null. */
    record Entry(String name, int[] dims, float[] f32, long[] i64) {}

    private final Map<String, Entry> entries;
    private final Path dir;

    private GoldenTensors(Path dir, Map<String, Entry> entries) {
        this.dir = dir;
        this.entries = entries;
    }

    static GoldenTensors load(Path dir) throws IOException {
        Path manifest = dir.resolve("manifest.tsv");
        if (!Files.isRegularFile(manifest)) throw new IOException(dir + " exists but holds no manifest.tsv");
        Map<String, Entry> map = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(manifest);
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 4) throw new IOException(manifest + ":" + (ln + 1) + ": expected 4 tab-separated fields, got " + f.length);
            int[] dims = f[1].isEmpty() ? new int[0] : java.util.Arrays.stream(f[1].split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            long count = 1;
            for (int d : dims) count *= d;
            byte[] bytes = Files.readAllBytes(dir.resolve(f[3]));
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            switch (f[2]) {
                case "f32" -> {
                    if (bytes.length != count * 4) throw new IOException(f[3] + ": " + bytes.length + " bytes for " + count + " f32 values");
                    float[] v = new float[(int) count];
                    buf.asFloatBuffer().get(v);
                    map.put(f[0], new Entry(f[0], dims, v, null));
                }
                case "i64" -> {
                    if (bytes.length != count * 8) throw new IOException(f[3] + ": " + bytes.length + " bytes for " + count + " i64 values");
                    long[] v = new long[(int) count];
                    buf.asLongBuffer().get(v);
                    map.put(f[0], new Entry(f[0], dims, null, v));
                }
                default -> throw new IOException(manifest + ":" + (ln + 1) + ": unknown dtype " + f[2]);
            }
        }
        return new GoldenTensors(dir, map);
    }

    Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalStateException(dir + ": fixture has no tensor '" + name + "'; it has " + entries.keySet());
        return e;
    }

    float[] f32(String name) {
        Entry e = get(name);
        if (e.f32() == null) throw new IllegalStateException(dir + ": tensor '" + name + "' is not f32");
        return e.f32();
    }

    int[] labels(String name) {
        Entry e = get(name);
        if (e.i64() == null) throw new IllegalStateException(dir + ": tensor '" + name + "' is not i64");
        int[] out = new int[e.i64().length];
        for (int i = 0; i < out.length; i++) out[i] = Math.toIntExact(e.i64()[i]);
        return out;
    }

    boolean has(String name) {
        return entries.containsKey(name);
    }
}
