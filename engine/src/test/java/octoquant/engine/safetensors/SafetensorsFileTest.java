package octoquant.engine.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    /**
     * The bytes the reference implementation's serializer produces for one F32 tensor "attn.0" of shape
     * [1, 2, 3] holding 0…5 (its own unit test): a 64-byte header that needs no padding.
     */
    @Test
    void readsTheReferenceImplementationsBytes() {
        byte[] reference = HexFormat.of().parseHex("4000000000000000"
                + hex("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}")
                + "00000000" + "0000803f" + "00000040" + "00004040" + "00008040" + "0000a040");
        SafetensorsFile f = SafetensorsFile.parse(reference, "attn.safetensors");
        assertEquals(List.of("attn.0"), new ArrayList<>(f.tensors().keySet()));
        TensorData t = f.get("attn.0");
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new int[] {1, 2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.toFloats());
        assertTrue(f.metadata().isEmpty());
    }

    /** The reference's empty file with metadata {"framework": "pt"}, padded with five spaces. */
    @Test
    void readsTheReferenceImplementationsEmptyFileWithMetadata() {
        String header = "{\"__metadata__\":{\"framework\":\"pt\"}}     ";
        assertEquals(40, header.length());
        SafetensorsFile f = SafetensorsFile.parse(RawFiles.file(header, new byte[0]), "empty.safetensors");
        assertTrue(f.tensors().isEmpty());
        assertEquals(Map.of("framework", "pt"), f.metadata());
    }

    @Test
    void writesTheLayoutOfTheReferenceImplementation() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("b", TensorData.ofInts(DType.I8, new int[] {3}, new int[] {-1, 2, -3}));
        tensors.put("a", TensorData.ofFloats(new int[] {2}, new float[] {1.5f, -2f}));
        tensors.put("c", TensorData.ofLongs(DType.I64, new int[] {}, new long[] {Long.MIN_VALUE}));
        tensors.put("d", TensorData.ofInts(DType.I16, new int[] {1, 1}, new int[] {-300}));
        tensors.put("aa", TensorData.ofFloats(new int[] {0, 4}, new float[0]));
        byte[] bytes = new SafetensorsFile(tensors, Map.of("k", "v")).toBytes();

        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals(header.strip(), header.substring(0, header.lastIndexOf('}') + 1), "padding is spaces at the end");
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\":\"v\",\"octoquant.order\":\"[\\\"b\\\",\\\"a\\\",\\\"c\\\",\\\"d\\\",\\\"aa\\\"]\"}"), header);
        // by decreasing alignment (I64, F32, I16, I8), then name: c, a, aa, d, b
        int c = header.indexOf("\"c\":"), a = header.indexOf("\"a\":"), aa = header.indexOf("\"aa\":"), d = header.indexOf("\"d\":"), b = header.indexOf("\"b\":");
        assertTrue(c < a && a < aa && aa < d && d < b, header);
        assertTrue(header.contains("\"c\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}"), header);
        assertTrue(header.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}"), header);
        assertTrue(header.contains("\"aa\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[16,16]}"), header);
        assertTrue(header.contains("\"d\":{\"dtype\":\"I16\",\"shape\":[1,1],\"data_offsets\":[16,18]}"), header);
        assertTrue(header.contains("\"b\":{\"dtype\":\"I8\",\"shape\":[3],\"data_offsets\":[18,21]}"), header);
        assertEquals(8 + n + 21, bytes.length);

        SafetensorsFile back = SafetensorsFile.parse(bytes, "x");
        assertEquals(List.of("b", "a", "c", "d", "aa"), new ArrayList<>(back.tensors().keySet()), "the writer's order comes back");
        assertEquals(Map.of("k", "v"), back.metadata());
        assertEquals(tensors, back.tensors());
        assertArrayEquals(new long[] {Long.MIN_VALUE}, back.get("c").toLongs());
        assertArrayEquals(new int[] {-300}, back.get("d").toInts());
    }

    @Test
    void aFileWithoutTheOrderKeyReadsInDataOrder() {
        String header = "{\"z\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[4,5]},\"y\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        byte[] data = {0, 0, (byte) 0x80, 0x3f, (byte) 200};
        SafetensorsFile f = SafetensorsFile.parse(RawFiles.file(header, data), "foreign.safetensors");
        assertEquals(List.of("y", "z"), new ArrayList<>(f.tensors().keySet()));
        assertArrayEquals(new float[] {1f}, f.get("y").toFloats());
        assertArrayEquals(new long[] {200}, f.get("z").toLongs());
    }

    @Test
    void anOrderKeyThatListsOtherNamesOrdersWhatItCanAndLeavesTheMetadata() {
        String header = "{\"__metadata__\":{\"octoquant.order\":\"[\\\"b\\\",\\\"gone\\\"]\",\"x\":\"1\"},"
                + "\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]},\"b\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[1,2]}}";
        SafetensorsFile f = SafetensorsFile.parse(RawFiles.file(header, new byte[] {1, 2}), "f");
        assertEquals(List.of("b", "a"), new ArrayList<>(f.tensors().keySet()));
        assertEquals(Map.of("x", "1"), f.metadata());
        String garbage = header.replace("[\\\"b\\\",\\\"gone\\\"]", "not json");
        assertEquals(List.of("a", "b"), new ArrayList<>(SafetensorsFile.parse(RawFiles.file(garbage, new byte[] {1, 2}), "f").tensors().keySet()));
    }

    @Test
    void namesAndMetadataWithEscapesAndUnicodeRoundTrip() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        String[] names = {"", "quote\"back\\slash", "tab\tnew\nline\u0001", "ünïcødé 😀", "/slash", "__metadata", "0.weight"};
        for (int i = 0; i < names.length; i++) tensors.put(names[i], TensorData.ofInts(DType.U8, new int[] {1}, new int[] {i}));
        Map<String, String> metadata = Map.of("ключ\n", "значение \"😀\"\u001f");
        SafetensorsFile f = new SafetensorsFile(tensors, metadata);
        assertEquals(f, SafetensorsFile.parse(f.toBytes(), "x"));
    }

    @Test
    void escapesInAHeaderAreDecoded() {
        String header = "{\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\\"\\\\\" : { \"shape\" : [ ] , \"data_offsets\" :[0 ,1], \"dtype\":\"I8\" } }";
        SafetensorsFile f = SafetensorsFile.parse(RawFiles.file(header, new byte[] {7}), "f");
        assertEquals("é😀/\b\f\n\r\t\"\\", f.tensors().keySet().iterator().next());
    }

    /** Every F16 bit pattern, against the value computed from the IEEE definition in double. */
    @Test
    void f16ConvertsExactly() {
        for (int h = 0; h < 1 << 16; h++) {
            int sign = h >>> 15, exponent = (h >>> 10) & 0x1F, mantissa = h & 0x3FF;
            double magnitude = exponent == 0 ? mantissa * Math.pow(2, -24)
                    : exponent == 31 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            double expected = sign == 1 ? -magnitude : magnitude;
            float got = HalfFloats.f16ToFloat(h);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), "F16 " + Integer.toHexString(h));
                assertEquals(mantissa, (Float.floatToRawIntBits(got) >>> 13) & 0x3FF, "NaN payload of F16 " + Integer.toHexString(h));
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), "F16 " + Integer.toHexString(h));
            }
        }
    }

    /** Every BF16 bit pattern, against the value computed from its definition (float32 with 7 mantissa bits). */
    @Test
    void bf16ConvertsExactly() {
        for (int h = 0; h < 1 << 16; h++) {
            int sign = h >>> 15, exponent = (h >>> 7) & 0xFF, mantissa = h & 0x7F;
            double magnitude = exponent == 0 ? mantissa * Math.pow(2, -133)
                    : exponent == 255 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1 + mantissa / 128.0) * Math.pow(2, exponent - 127);
            double expected = sign == 1 ? -magnitude : magnitude;
            float got = HalfFloats.bf16ToFloat(h);
            if (Double.isNaN(expected)) assertTrue(Float.isNaN(got));
            else assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), "BF16 " + Integer.toHexString(h));
        }
    }

    @Test
    void readsF16AndBf16Tensors() {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}";
        byte[] data = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x01, 0x00, (byte) 0x80, 0x3F, 0x49, (byte) 0xC0};
        SafetensorsFile f = SafetensorsFile.parse(RawFiles.file(header, data), "f");
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, f.get("h").toFloats());
        assertArrayEquals(new float[] {1f, -3.140625f}, f.get("b").toFloats());
        assertThrows(IllegalStateException.class, () -> f.get("h").toLongs());
    }

    // ------------------------------------------------------------------ malformed files

    private static final String GOOD_ENTRY = "\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private void refused(byte[] bytes, String expectedPart) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), "expected '" + expectedPart + "' in: " + e.getMessage());
        SafetensorsException fromBytes = assertThrows(SafetensorsException.class, () -> SafetensorsFile.parse(bytes, "bytes"));
        assertEquals(e.getMessage().substring(f.toString().length()), fromBytes.getMessage().substring("bytes".length()));
    }

    private static byte[] withHeader(String header) {
        return RawFiles.file(header, RawFiles.f32(1, 2));
    }

    @Test
    void refusesMalformedFilesWithOneLineNamingTheFileAndTheProblem() throws IOException {
        refused(new byte[5], "shorter than the 8-byte header length");
        refused(RawFiles.withLength(-1, new byte[0], new byte[0]), "header length 18446744073709551615 is absurdly large");
        refused(RawFiles.withLength(200_000_000, new byte[0], new byte[0]), "absurdly large");
        refused(RawFiles.withLength(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "runs past the end of the file");
        refused(RawFiles.file(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}, new byte[0]), "not valid UTF-8");
        refused(withHeader("[" + GOOD_ENTRY + "]"), "must be a JSON object");
        refused(withHeader("{" + GOOD_ENTRY), "expected ',' or '}'");
        refused(withHeader("{" + GOOD_ENTRY + "}x"), "after the header object");
        refused(withHeader("{" + GOOD_ENTRY + "," + GOOD_ENTRY + "}"), "duplicate key \"t\"");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[2.0]") + "}"), "only integers");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[true]") + "}"), "unexpected 't'");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[[2]]") + "}"), "nested deeper");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[99999999999999999999]") + "}"), "too large");
        refused(withHeader("{\"a\nb\":1}"), "unescaped control character");
        refused(withHeader("{\"\\ud800\":1}"), "lone surrogate");
        refused(withHeader("{" + GOOD_ENTRY.replace("F32", "F99") + "}"), "unknown dtype \"F99\"");
        refused(withHeader("{" + GOOD_ENTRY.replace("F32", "F64") + "}"), "dtype F64 is not supported");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[3]") + "}"), "needs 12 bytes, but data_offsets [0, 8] span 8");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[-2]") + "}"), "shape must be a list of non-negative integers");
        refused(withHeader("{" + GOOD_ENTRY.replace("[0,8]", "[8,0]") + "}"), "end before they begin");
        refused(withHeader("{" + GOOD_ENTRY.replace("[0,8]", "[0,8,9]") + "}"), "data_offsets must be a list of 2");
        refused(withHeader("{" + GOOD_ENTRY.replace(",\"shape\":[2]", "") + "}"), "has no shape");
        refused(withHeader("{" + GOOD_ENTRY.replace("\"shape\"", "\"stride\":[1],\"shape\"") + "}"), "unknown field \"stride\"");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[4294967296,4294967296]") + "}"), "dimension 4294967296 is larger");
        refused(withHeader("{" + GOOD_ENTRY.replace("[2]", "[65536,65536]") + "}"), "holds more than");
        refused(withHeader("{\"__metadata__\":{\"a\":1}," + GOOD_ENTRY + "}"), "__metadata__ must map strings to strings");
        refused(withHeader("{\"t\":[1]}"), "must be an object with dtype, shape and data_offsets");
        refused(RawFiles.file("{" + GOOD_ENTRY + ",\"u\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[4,8]}}", RawFiles.f32(1, 2)), "overlap");
        refused(RawFiles.file("{" + GOOD_ENTRY.replace("[0,8]", "[4,12]") + "}", new byte[12]), "no tensor covers data bytes 0-4");
        refused(RawFiles.file("{" + GOOD_ENTRY + ",\"u\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[9,10]}}", new byte[10]), "no tensor covers data bytes 8-9");
        refused(RawFiles.file("{" + GOOD_ENTRY + "}", new byte[5]), "the data is truncated: the tensors need 8 bytes after the header, the file holds 5");
        refused(RawFiles.file("{" + GOOD_ENTRY + "}", new byte[11]), "3 bytes of trailing data");
    }

    @Test
    void aMissingFileIsOneLine() {
        Path f = dir.resolve("nothing.safetensors");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.read(f));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @Test
    void namesFromTheFileCannotBreakTheMessageLine() throws IOException {
        String evil = "line\\nbreak\\r\\u2028" + "x".repeat(200);
        refused(withHeader("{\"" + evil + "\":{\"dtype\":\"BAD\",\"shape\":[2],\"data_offsets\":[0,8]}}"), "tensor \"line\\u000abreak\\u000d\\u2028xx");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void writingReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Files.writeString(f, "old contents");
        SafetensorsFile contents = new SafetensorsFile(Map.of("x", TensorData.ofFloats(new int[] {2}, new float[] {Float.NaN, -0f})), Map.of());
        contents.write(f);
        assertArrayEquals(contents.toBytes(), Files.readAllBytes(f));
        assertEquals(contents, SafetensorsFile.read(f));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(SafetensorsFile.read(f).get("x").toFloats()[1]));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "only the target is left");
        }
    }

    @Test
    void aWriteThatFailsSaysWhereAndLeavesNothing() throws IOException {
        Path f = dir.resolve("no-such-dir").resolve("w.safetensors");
        SafetensorsFile contents = new SafetensorsFile(Map.of(), Map.of());
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> contents.write(f));
        assertTrue(e.getMessage().startsWith(f + ": cannot write it"), e.getMessage());
        Path target = dir.resolve("is-a-directory");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        assertThrows(SafetensorsException.class, () -> contents.write(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "the temporary file is gone");
        }
    }

    @Test
    void refusesWhatTheFormatCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsFile(Map.of("__metadata__", TensorData.ofFloats(new int[] {}, new float[] {1})), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsFile(Map.of(), Map.of(SafetensorsFile.ORDER_KEY, "[]")));
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsFile(Map.of("\ud800", TensorData.ofFloats(new int[] {}, new float[] {1})), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofInts(DType.I8, new int[] {1}, new int[] {128}));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofInts(DType.U8, new int[] {1}, new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofBytes(DType.I32, new int[] {2}, new byte[7]));
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
