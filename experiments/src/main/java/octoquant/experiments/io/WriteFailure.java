package octoquant.experiments.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A file that could not be written, with the cause in plain words: {@code writing DIR/checkpoints/x.ckpt: no
 * space left on device}. Whoever reports it adds what is intact and how to continue; the writers guarantee
 * that nothing half-written is left under the final name.
 */
public final class WriteFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String reason;

    public WriteFailure(Path file, String reason) {
        super("writing " + file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public WriteFailure(Path file, String reason, Throwable cause) {
        super("writing " + file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** Wraps an I/O error met while writing {@code file} (kept as it is when it already names a file). */
    public static WriteFailure of(Path file, Throwable cause) {
        if (cause instanceof WriteFailure w) return w;
        return new WriteFailure(file, reason(cause), cause);
    }

    public Path file() {
        return file;
    }

    /** The cause alone, e.g. {@code no space left on device}. */
    public String reason() {
        return reason;
    }

    /** What to do about the cause, e.g. {@code free space}. */
    public String fix() {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("no space left") || r.contains("quota")) return "free space";
        if (r.contains("file too large")) return "raise the file size limit (ulimit -f)";
        if (r.contains("permission denied") || r.contains("read-only")) return "make the folder writable";
        return "fix that";
    }

    /** The operating system's words for {@code e}, lower-cased, without the file name Java puts in front. */
    static String reason(Throwable e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "its folder does not exist";
        if (e instanceof NotDirectoryException n) return n.getFile() + " is not a folder";
        if (e instanceof FileAlreadyExistsException f) return f.getFile() + " is in the way (it exists and is not a folder)";
        String text = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        if (text == null || text.isBlank()) text = e.getClass().getSimpleName();
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            text = Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }
}
