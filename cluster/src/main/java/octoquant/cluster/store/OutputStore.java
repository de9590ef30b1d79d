package octoquant.cluster.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sweep's output directory, addressed by paths relative to it with '/' separators. Every write is atomic and
 * replaces what was there: a reader sees the old file or the new one, never part of either, so a task that is
 * retried (or runs twice) can neither lose a file nor leave half of one.
 */
public interface OutputStore {

    /** The output as the user wrote it (for messages). */
    String describe();

    /** The directory itself when the output is a plain path every executor writes to directly; else empty. */
    Optional<Path> localRoot();

    boolean exists(String rel) throws IOException;

    /** The file's bytes, or empty when it does not exist. */
    Optional<byte[]> readBytes(String rel) throws IOException;

    /** The file's text (UTF-8), or empty when it does not exist. */
    default Optional<String> readString(String rel) throws IOException {
        return readBytes(rel).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }

    void writeString(String rel, String text) throws IOException;

    /** Copies a local file to {@code rel}, atomically. */
    void upload(Path local, String rel) throws IOException;

    /** Copies {@code rel} to a local file (created with its parents); false when {@code rel} does not exist. */
    boolean download(String rel, Path local) throws IOException;

    /** Deletes {@code rel} and everything under it; nothing happens when it does not exist. */
    void delete(String rel) throws IOException;
}
