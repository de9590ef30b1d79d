package octoquant.engine.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lays a {@link SafetensorsFile} out as the reference implementation does: tensors sorted by decreasing
 * alignment of their dtype, then by name (UTF-8 bytes), their data back to back in that order; the header
 * lists {@code __metadata__} first and the tensors in data order, compact, padded with spaces to a multiple
 * of 8 bytes — so every tensor's data starts aligned to its element size. The caller's order of the tensors
 * goes into the metadata under {@link SafetensorsFile#ORDER_KEY}.
 */
final class SafetensorsWriter {
    private SafetensorsWriter() {}

    /** The 8-byte length and the padded header, followed by nothing: the tensors' data comes after. */
    private record Layout(byte[] prefixAndHeader, List<TensorData> dataInOrder) {}

    static byte[] toBytes(SafetensorsFile file) {
        Layout layout = layout(file);
        long total = layout.prefixAndHeader.length;
        for (TensorData t : layout.dataInOrder) total += t.byteSize();
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("the file would be " + total + " bytes, too large for one array; write it to a file");
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(layout.prefixAndHeader);
        for (TensorData t : layout.dataInOrder) out.put(t.rawBytes());
        return out.array();
    }

    /** Writes to a temporary file beside {@code target}, forces it to disk, then renames it over {@code target}. */
    static void write(SafetensorsFile file, Path target) {
        Layout layout;
        try {
            layout = layout(file);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(target.toString(), "cannot write it: " + e.getMessage());
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = octoquant.engine.util.TemporaryFiles.createIn(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = Channels.newOutputStream(ch)) {
                os.write(layout.prefixAndHeader);
                for (TensorData t : layout.dataInOrder) os.write(t.rawBytes());
                os.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new SafetensorsException(target.toString(), "cannot write it: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; that error is the one to report
                }
            }
        }
    }

    private static Layout layout(SafetensorsFile file) {
        List<Map.Entry<String, TensorData>> sorted = new ArrayList<>(file.tensors().entrySet());
        sorted.sort(Comparator.<Map.Entry<String, TensorData>>comparingInt(e -> -e.getValue().dtype().alignmentRank())
                .thenComparing(Map.Entry::getKey, SafetensorsWriter::compareUtf8));

        StringBuilder json = new StringBuilder("{");
        json.append('"').append(SafetensorsReader.METADATA_KEY).append("\":{");
        boolean first = true;
        for (Map.Entry<String, String> m : file.metadataWithOrder().entrySet()) {
            if (!first) json.append(',');
            first = false;
            HeaderJsonWriter.appendString(json, m.getKey());
            json.append(':');
            HeaderJsonWriter.appendString(json, m.getValue());
        }
        json.append('}');
        long offset = 0;
        List<TensorData> data = new ArrayList<>(sorted.size());
        for (Map.Entry<String, TensorData> e : sorted) {
            TensorData t = e.getValue();
            json.append(',');
            HeaderJsonWriter.appendString(json, e.getKey());
            json.append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) json.append(i == 0 ? "" : ",").append(shape[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + t.byteSize()).append("]}");
            offset += t.byteSize();
            data.add(t);
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        if (padded > SafetensorsReader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("its header would be " + padded + " bytes, more than the format's " + SafetensorsReader.MAX_HEADER_BYTES);
        }
        byte[] prefixAndHeader = new byte[8 + padded];
        ByteBuffer.wrap(prefixAndHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(header, 0, prefixAndHeader, 8, header.length);
        Arrays.fill(prefixAndHeader, 8 + header.length, prefixAndHeader.length, (byte) ' ');
        return new Layout(prefixAndHeader, data);
    }

    /** Orders names by their UTF-8 bytes, as the reference implementation's sort does. */
    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
