package octoquant.engine.util;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary files for writes that end with a rename over their target. {@link Files#createTempFile} makes a
 * file only its owner can read (rw-------), and the rename keeps that, so results written this way would be
 * private where a plain write is not. Here the temporary file is created rw-r--r-- on POSIX file systems,
 * which the process's umask then narrows as it does for any new file.
 */
public final class TemporaryFiles {
    private TemporaryFiles() {}

    /** A new empty file in {@code dir} named {@code prefix + random + suffix}, readable like a plainly written file. */
    public static Path createIn(Path dir, String prefix, String suffix) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix") && dir.getFileSystem() == FileSystems.getDefault()) {
            return Files.createTempFile(dir, prefix, suffix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        return Files.createTempFile(dir, prefix, suffix);
    }
}
