package octoquant.engine.safetensors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzing the reader: valid files get random byte flips (anywhere, or in the header), truncations,
 * extensions, absurd header lengths and edits of the header text (tokens replaced or inserted, the length
 * fixed up or not). Whatever happens, either the file reads — and then what it read writes and reads back
 * the same — or a {@link SafetensorsException} comes out with one line naming the file: no other
 * exception, no out-of-memory, no allocation far beyond the input, no hang.
 */
class SafetensorsFuzzProperties {
    /** Pieces of JSON and near-JSON that header edits put in. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "0", "1", "-1", "7",
            "18446744073709551615", "99999999999999999999", "4294967296", "1.5", "1e3", "true", "null", " ", "\n", "\u0000",
            "\"F16\"", "\"BF16\"", "\"I64\"", "\"U8\"", "\"F64\"", "\"X\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"",
            "\"__metadata__\"", "[0,0]", "[]", "[[[[1]]]]", "{}", "\"é\"", "😀");

    /** Values that field edits give a tensor's dtype, shape or data_offsets. */
    private static final List<String> FIELD_VALUES = List.of("\"F32\"", "\"F16\"", "\"BF16\"", "\"I8\"", "\"U8\"", "\"I16\"", "\"I32\"",
            "\"I64\"", "\"BOOL\"", "\"F8_E4M3\"", "\"f32\"", "[]", "[0]", "[1]", "[2,3]", "[0,0]", "[0,1]", "[1,0]", "[0,8]", "[8,16]",
            "[4,4]", "[0,1000000]", "[65536,65536]", "[4294967295,4294967295,4294967295]", "[-1]", "[0,0,0]", "7", "\"[0,4]\"", "{}");

    /**
     * One way of damaging a valid file. kind: 0 flip bytes, 1 flip header bytes, 2 truncate, 3 extend, 4 header
     * length, 5 header text edit, 6 all of those, 7 field edit (a dtype, shape or data_offsets value replaced).
     */
    record Damage(int kind, List<Integer> positions, List<Byte> values, int cutPermille, byte[] extra, long headerLength,
                  List<Integer> editPositions, List<String> edits, boolean fixLength) {
        byte[] apply(byte[] valid) {
            byte[] b = valid.clone();
            long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (kind == 5 || kind == 6) b = editHeader(b, (int) n);
            if (kind == 7) b = editField(b, (int) n);
            if (kind == 0 || kind == 6) {
                for (int i = 0; i < positions.size(); i++) b[Math.floorMod(positions.get(i), b.length)] ^= values.get(i % values.size());
            }
            if (kind == 1) {
                for (int i = 0; i < positions.size(); i++) b[8 + Math.floorMod(positions.get(i), (int) n)] ^= values.get(i % values.size());
            }
            if (kind == 4 || kind == 6) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
            if (kind == 2 || kind == 6) b = Arrays.copyOf(b, (int) ((long) b.length * cutPermille / 1000));
            if (kind == 3 || kind == 6) {
                byte[] c = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, c, b.length, extra.length);
                b = c;
            }
            return b;
        }

        /** Replaces the values of fields of the writer's compact header, e.g. {@code "shape":[2,3]} → {@code "shape":[0,1]}. */
        private byte[] editField(byte[] b, int n) {
            String header = new String(b, 8, n, StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(dtype|shape|data_offsets)\":(\"[A-Z0-9_]+\"|\\[[0-9,]*\\])").matcher(header);
            List<int[]> spans = new java.util.ArrayList<>();
            while (m.find()) spans.add(new int[] {m.start(2), m.end(2)});
            if (spans.isEmpty()) return b;
            StringBuilder sb = new StringBuilder(header);
            for (int i = edits.size() - 1; i >= 0; i--) { // right to left, so earlier spans stay valid
                int[] span = spans.get(Math.floorMod(editPositions.get(i % editPositions.size()) + i, spans.size()));
                if (span[1] > sb.length() || !sb.substring(span[0], span[1]).equals(header.substring(span[0], span[1]))) continue;
                sb.replace(span[0], span[1], FIELD_VALUES.get(Math.floorMod(positions.get(i % positions.size()) + i, FIELD_VALUES.size())));
            }
            byte[] h = sb.toString().getBytes(StandardCharsets.UTF_8);
            return RawFiles.withLength(fixLength ? h.length : n, h, Arrays.copyOfRange(b, 8 + n, b.length));
        }

        private byte[] editHeader(byte[] b, int n) {
            StringBuilder header = new StringBuilder(new String(b, 8, n, StandardCharsets.UTF_8));
            for (int i = 0; i < edits.size(); i++) {
                int p = editPositions.get(i % editPositions.size()) + i;
                int at = Math.floorMod(p, header.length() + 1);
                int replace = p % 3 == 0 ? Math.min(header.length() - at, 1 + Math.floorMod(p >> 2, 4)) : 0;
                header.replace(at, at + replace, edits.get(i));
            }
            byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
            byte[] data = Arrays.copyOfRange(b, 8 + n, b.length);
            return RawFiles.withLength(fixLength ? h.length : n, h, data);
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 7);
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<List<Byte>> values = Arbitraries.bytes().filter(v -> v != 0).list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 999);
        Arbitrary<byte[]> extra = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
        Arbitrary<Long> length = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 4096),
                Arbitraries.of(0L, 1L, 7L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000L, 100_000_001L, 1L << 32));
        Arbitrary<List<String>> edits = Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Boolean> fix = Arbitraries.of(true, true, true, false);
        return Combinators.combine(kind, positions, values, cut, extra, length, positions, edits)
                .as((k, p, v, c, e, l, ep, ed) -> new Object[] {k, p, v, c, e, l, ep, ed})
                .flatMap(a -> fix.map(f -> new Damage((Integer) a[0], cast(a[1]), cast(a[2]), (Integer) a[3], (byte[]) a[4], (Long) a[5],
                        cast(a[6]), cast(a[7]), f)));
    }

    @Provide
    Arbitrary<SafetensorsFile> files() {
        return TensorFiles.files();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    @Property(tries = 600)
    void damagedBytesReadOrFailWithTheOneException(@ForAll("files") SafetensorsFile valid, @ForAll("damage") Damage d) {
        byte[] bytes = d.apply(valid.toBytes());
        onlySafetensorsException("fuzzed.safetensors", bytes.length, () -> SafetensorsFile.parse(bytes, "fuzzed.safetensors"));
    }

    @Property(tries = 60)
    void damagedFilesReadOrFailWithTheOneException(@ForAll("files") SafetensorsFile valid, @ForAll("damage") Damage d) throws IOException {
        Path f = Files.createTempFile("octoquant-fuzz", ".safetensors");
        try {
            byte[] bytes = d.apply(valid.toBytes());
            Files.write(f, bytes);
            onlySafetensorsException(f.toString(), bytes.length, () -> SafetensorsFile.read(f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** Runs the read; anything but a result or a one-line SafetensorsException fails, as does a hang or a huge allocation. */
    private static void onlySafetensorsException(String source, long size, Supplier<SafetensorsFile> read) {
        String outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long before = allocatedBytes();
            String result;
            try {
                SafetensorsFile f = read.get();
                // whatever was read is valid contents: it writes and reads back the same
                assertEquals(f, SafetensorsFile.parse(f.toBytes(), "again"));
                result = "read";
            } catch (SafetensorsException e) {
                assertTrue(e.getMessage().startsWith(source + ": ") && !e.getMessage().contains("\n") && !e.getMessage().contains("\r"),
                        "one line naming the file: " + e.getMessage());
                // the kind of problem: names and numbers left out
                String m = e.getMessage().substring(source.length() + 2).replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"…\"").replaceAll("[0-9]+", "#");
                result = m.length() > 40 ? m.substring(0, 40) : m;
            } catch (Throwable t) {
                return fail("only SafetensorsException may come out, got " + t, t);
            }
            long used = allocatedBytes() - before;
            long budget = 16L * 1024 * 1024 + 64 * size;
            assertTrue(before < 0 || used < budget, "allocated " + used + " bytes for a " + size + "-byte input");
            return result;
        });
        Statistics.collect(outcome);
    }

    /** Bytes allocated by the current thread so far (HotSpot), or -1 when the JVM cannot tell. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean hs) return hs.getThreadAllocatedBytes(Thread.currentThread().getId());
        return -1;
    }
}
