package octoquant.engine.safetensors;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What is written reads back identical (order, metadata, every byte), is laid out as the format wants
 * (header a multiple of 8 bytes, each tensor aligned to its element size); and files laid out in any other
 * valid way — data in any order, keys in any order, whitespace anywhere — read as what they hold, in the
 * order of their data.
 */
class SafetensorsRoundTripProperties {
    @Provide
    Arbitrary<SafetensorsFile> files() {
        return TensorFiles.files();
    }

    @Property(tries = 300)
    void writtenBytesReadBackIdenticalAndAligned(@ForAll("files") SafetensorsFile f) {
        byte[] bytes = f.toBytes();
        assertEquals(f, SafetensorsFile.parse(bytes, "x"));
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        // every tensor's data starts aligned to its size in the file
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        for (Map.Entry<String, TensorData> e : f.tensors().entrySet()) {
            StringBuilder key = new StringBuilder();
            HeaderJsonWriter.appendString(key, e.getKey());
            int at = header.indexOf(key + ":{\"dtype\"");
            assertTrue(at >= 0, header);
            int offsets = header.indexOf("\"data_offsets\":[", at) + 16;
            long begin = Long.parseLong(header.substring(offsets, header.indexOf(',', offsets)));
            assertEquals(0, (8 + n + begin) % e.getValue().dtype().size(), "alignment of " + e.getKey());
        }
    }

    @Property(tries = 40)
    void writtenFilesReadBackIdentical(@ForAll("files") SafetensorsFile f) throws IOException {
        Path dir = Files.createTempDirectory("octoquant-st");
        try {
            Path p = dir.resolve("f.safetensors");
            f.write(p);
            assertEquals(f, SafetensorsFile.read(p));
        } finally {
            try (var s = Files.list(dir)) {
                s.forEach(q -> {
                    try {
                        Files.delete(q);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.delete(dir);
        }
    }

    /** A header written by hand here: keys in random order, random whitespace, the data in a random order. */
    @Property(tries = 300)
    void anyValidLayoutReadsAsWhatItHolds(@ForAll("files") SafetensorsFile f, @ForAll long seed) {
        Random rnd = new Random(seed);
        List<String> dataOrder = new ArrayList<>(f.tensors().keySet());
        Collections.shuffle(dataOrder, rnd);
        List<String> keyOrder = new ArrayList<>(dataOrder);
        Collections.shuffle(keyOrder, rnd);
        java.util.Map<String, long[]> offsets = new java.util.HashMap<>();
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (String name : dataOrder) {
            byte[] b = f.get(name).bytes();
            offsets.put(name, new long[] {data.size(), data.size() + b.length});
            data.writeBytes(b);
        }
        StringBuilder h = new StringBuilder(ws(rnd)).append('{');
        List<String> parts = new ArrayList<>();
        for (String name : keyOrder) {
            TensorData t = f.get(name);
            StringBuilder e = new StringBuilder();
            HeaderJsonWriter.appendString(e, name);
            List<String> fields = new ArrayList<>(List.of(
                    "\"dtype\"" + ws(rnd) + ":" + ws(rnd) + "\"" + t.dtype() + "\"",
                    "\"shape\"" + ws(rnd) + ":" + ws(rnd) + list(rnd, java.util.Arrays.stream(t.shape()).asLongStream().toArray()),
                    "\"data_offsets\"" + ws(rnd) + ":" + ws(rnd) + list(rnd, offsets.get(name))));
            Collections.shuffle(fields, rnd);
            e.append(ws(rnd)).append(':').append(ws(rnd)).append('{').append(ws(rnd)).append(String.join(ws(rnd) + "," + ws(rnd), fields)).append(ws(rnd)).append('}');
            parts.add(e.toString());
        }
        if (!f.metadata().isEmpty() || rnd.nextBoolean()) {
            StringBuilder m = new StringBuilder("\"__metadata__\"" + ws(rnd) + ":" + ws(rnd) + "{");
            List<String> kv = new ArrayList<>();
            for (Map.Entry<String, String> e : f.metadata().entrySet()) {
                StringBuilder s = new StringBuilder();
                HeaderJsonWriter.appendString(s, e.getKey());
                s.append(ws(rnd)).append(':').append(ws(rnd));
                HeaderJsonWriter.appendString(s, e.getValue());
                kv.add(s.toString());
            }
            m.append(String.join(",", kv)).append('}');
            parts.add(rnd.nextInt(parts.size() + 1), m.toString());
        }
        h.append(String.join(ws(rnd) + "," + ws(rnd), parts)).append('}').append(ws(rnd));
        SafetensorsFile read = SafetensorsFile.parse(RawFiles.file(h.toString(), data.toByteArray()), "hand-made");
        assertEquals(f.tensors(), read.tensors()); // as maps: the same names and contents
        // without an order key: the order of the data; empty tensors sharing an offset in the header's order
        List<String> expected = new ArrayList<>(keyOrder);
        expected.sort(java.util.Comparator.<String>comparingLong(k -> offsets.get(k)[0]).thenComparingLong(k -> offsets.get(k)[1]));
        assertEquals(expected, new ArrayList<>(read.tensors().keySet()));
        assertEquals(f.metadata(), read.metadata());
    }

    private static String ws(Random rnd) {
        String[] choices = {"", "", "", " ", "\n", "\t ", "\r\n  "};
        return choices[rnd.nextInt(choices.length)];
    }

    private static String list(Random rnd, long[] values) {
        StringBuilder sb = new StringBuilder("[").append(ws(rnd));
        for (int i = 0; i < values.length; i++) sb.append(i == 0 ? "" : ws(rnd) + "," + ws(rnd)).append(values[i]);
        return sb.append(ws(rnd)).append(']').toString();
    }
}
