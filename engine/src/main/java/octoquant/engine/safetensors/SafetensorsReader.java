package octoquant.engine.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a safetensors file completely before it allocates any tensor: the header length
 * against the file size, the JSON, every tensor's dtype, shape and byte count, and that the tensors' data
 * ranges tile the data section exactly — starting at 0, contiguous, no overlap, nothing after the last. So
 * no tensor is allocated that the file does not hold, and every problem is one {@link SafetensorsException}.
 */
final class SafetensorsReader {
    /** The reference implementation's limit on the header, against headers built to exhaust memory. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA_KEY = "__metadata__";

    /** Random access to the bytes being read: a file or an array. */
    private interface Input {
        long size() throws IOException;

        void readFully(long position, byte[] dst) throws IOException;
    }

    /** What the header says about one tensor. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    private final String source;
    private final Input input;

    private SafetensorsReader(String source, Input input) {
        this.source = source;
        this.input = input;
    }

    static SafetensorsFile read(Path file) {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Input in = new Input() {
                public long size() throws IOException {
                    return ch.size();
                }

                public void readFully(long position, byte[] dst) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(dst);
                    while (b.hasRemaining()) {
                        if (ch.read(b, position + b.position()) < 0) throw new EOFException();
                    }
                }
            };
            return new SafetensorsReader(source, in).read();
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(source, "no such file");
        } catch (AccessDeniedException e) {
            throw new SafetensorsException(source, "permission denied");
        } catch (EOFException e) {
            throw new SafetensorsException(source, "the file got shorter while it was being read");
        } catch (IOException e) {
            throw new SafetensorsException(source, "cannot read it: " + e.getMessage(), e);
        }
    }

    static SafetensorsFile parse(byte[] bytes, String source) {
        Input in = new Input() {
            public long size() {
                return bytes.length;
            }

            public void readFully(long position, byte[] dst) {
                System.arraycopy(bytes, Math.toIntExact(position), dst, 0, dst.length);
            }
        };
        try {
            return new SafetensorsReader(source, in).read();
        } catch (IOException e) {
            throw new AssertionError("arrays do not fail to read", e);
        }
    }

    private SafetensorsFile read() throws IOException {
        long size = input.size();
        if (size < 8) throw fail("the file is " + size + " bytes long, shorter than the 8-byte header length");
        byte[] prefix = new byte[8];
        input.readFully(0, prefix);
        long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail("the header length " + Long.toUnsignedString(n) + " is absurdly large (the format allows at most "
                    + MAX_HEADER_BYTES + " bytes); this is not a safetensors file or it is damaged");
        }
        if (8 + n > size) {
            throw fail("the header length " + n + " runs past the end of the file (" + size + " bytes); the file is "
                    + "truncated or not a safetensors file");
        }
        byte[] headerBytes = new byte[(int) n];
        input.readFully(8, headerBytes);
        Map<String, Object> header = parseHeader(headerBytes);

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) metadata = metadata(e.getValue());
            else entries.add(entry(e.getKey(), e.getValue()));
        }
        long dataBytes = size - 8 - n;
        Map<String, TensorData> byName = new LinkedHashMap<>();
        for (Entry e : inLayoutOrder(entries, dataBytes)) {
            byte[] data = new byte[(int) (e.end - e.begin)];
            input.readFully(8 + n + e.begin, data);
            byName.put(e.name, TensorData.trusted(e.dtype, e.shape, data));
        }
        return SafetensorsFile.ofRead(byName, metadata);
    }

    private Map<String, Object> parseHeader(byte[] headerBytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail("the header is not valid UTF-8");
        }
        try {
            return HeaderJsonReader.parseObject(text);
        } catch (HeaderJsonReader.SyntaxError e) {
            throw fail("bad JSON in the header: " + e.getMessage());
        }
    }

    private Map<String, String> metadata(Object value) {
        if (!(value instanceof Map<?, ?> map)) throw fail(METADATA_KEY + " must be an object mapping strings to strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw fail(METADATA_KEY + " must map strings to strings, but " + HeaderJsonWriter.forMessage((String) e.getKey())
                        + " holds " + kind(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private Entry entry(String name, Object value) {
        String quoted = "tensor " + HeaderJsonWriter.forMessage(name);
        if (!(value instanceof Map<?, ?> fields)) throw fail(quoted + " must be an object with dtype, shape and data_offsets, not " + kind(value));
        for (Object key : fields.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw fail(quoted + " has an unknown field " + HeaderJsonWriter.forMessage((String) key)
                        + " (a tensor has dtype, shape and data_offsets)");
            }
        }
        Object dtypeName = required(fields, "dtype", quoted);
        if (!(dtypeName instanceof String typeName)) throw fail(quoted + ": dtype must be a string, not " + kind(dtypeName));
        DType dtype = DType.fromHeader(typeName);
        if (dtype == null) {
            throw fail(quoted + ": " + (DType.isKnownButUnsupported(typeName) ? "dtype " + typeName + " is not supported"
                    : "unknown dtype " + HeaderJsonWriter.forMessage(typeName)) + " (this reader reads " + DType.supportedList() + ")");
        }
        long[] shape = integers(required(fields, "shape", quoted), quoted + ": shape", -1);
        long[] offsets = integers(required(fields, "data_offsets", quoted), quoted + ": data_offsets", 2);
        int[] intShape = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) throw fail(quoted + ": dimension " + shape[i] + " is larger than this reader can hold");
            intShape[i] = (int) shape[i];
        }
        long bytes = TensorData.byteCount(dtype, shape);
        if (bytes < 0) throw fail(quoted + ": shape " + Arrays.toString(shape) + " holds more than " + TensorData.MAX_BYTES + " bytes of " + dtype);
        if (offsets[1] < offsets[0]) throw fail(quoted + ": data_offsets " + Arrays.toString(offsets) + " end before they begin");
        if (offsets[1] - offsets[0] != bytes) {
            throw fail(quoted + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes + " bytes, but data_offsets "
                    + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, intShape, offsets[0], offsets[1]);
    }

    private Object required(Map<?, ?> fields, String key, String quoted) {
        Object v = fields.get(key);
        if (v == null) throw fail(quoted + " has no " + key);
        return v;
    }

    /** A JSON array of non-negative integers, of {@code length} elements unless it is −1. */
    private long[] integers(Object value, String what, int length) {
        String expected = length < 0 ? "a list of non-negative integers" : "a list of " + length + " non-negative integers";
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) throw fail(what + " must be " + expected);
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) throw fail(what + " must be " + expected);
            out[i] = v;
        }
        return out;
    }

    /** The entries in the order of their data, which must tile [0, dataBytes) exactly. */
    private List<Entry> inLayoutOrder(List<Entry> entries, long dataBytes) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < covered) {
                throw fail("tensors " + HeaderJsonWriter.forMessage(previous.name) + " and " + HeaderJsonWriter.forMessage(e.name)
                        + " overlap (data bytes " + previous.begin + "-" + previous.end + " and " + e.begin + "-" + e.end + ")");
            }
            if (e.begin > covered) {
                throw fail("no tensor covers data bytes " + covered + "-" + e.begin + " (before tensor " + HeaderJsonWriter.forMessage(e.name)
                        + "): data_offsets must be contiguous from 0");
            }
            covered = e.end;
            previous = e;
        }
        if (covered > dataBytes) {
            throw fail("the data is truncated: the tensors need " + covered + " bytes after the header, the file holds " + dataBytes);
        }
        if (covered < dataBytes) {
            throw fail((dataBytes - covered) + " bytes of trailing data after the last tensor (the tensors end at data byte " + covered + ")");
        }
        return byOffset;
    }

    private static String kind(Object v) {
        if (v instanceof String) return "a string";
        if (v instanceof Long) return "a number";
        if (v instanceof List) return "an array";
        return "an object";
    }

    private SafetensorsException fail(String problem) {
        return new SafetensorsException(source, problem);
    }
}
