package octoquant.datasets.io;

import octoquant.datasets.DataException;
import octoquant.datasets.DataException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks a tar or tar.gz archive into a folder without ever writing outside it.
 *
 * <p>Refused, with the whole extraction stopped: absolute names ("/x", "C:x", "\\x"), any ".." component,
 * symbolic and hard links, devices and FIFOs, and any entry whose parent folder resolves (through a link
 * already on disk) outside the target. Each file is written to a temporary name in its folder and renamed
 * when complete, so an interrupted extraction leaves no partial file under a final name.
 */
public final class TarExtractor {
    private TarExtractor() {}

    /** Extracts {@code archive} (raw tar or gzip'ed tar) into {@code target}; returns the files written. */
    public static List<Path> extract(Path archive, Path target) {
        List<Path> written = new ArrayList<>();
        try (InputStream in = Inputs.open(archive)) {
            Files.createDirectories(target);
            Path root = target.toRealPath();
            TarReader tar = new TarReader(in, archive);
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                Path dest = safeDestination(archive, root, e);
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    checkInside(archive, root, dest, e.name());
                } else {
                    Files.createDirectories(dest.getParent());
                    checkInside(archive, root, dest.getParent(), e.name());
                    Path tmp = Files.createTempFile(dest.getParent(), ".extract-", ".part");
                    try {
                        try (OutputStream out = Files.newOutputStream(tmp)) {
                            tar.entryData().transferTo(out);
                        }
                        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                    written.add(dest);
                }
            }
            return written;
        } catch (IOException ex) {
            throw Inputs.translate(archive, ex);
        }
    }

    /** Where an entry would go, or a BAD_ARCHIVE error when that is unsafe. */
    static Path safeDestination(Path archive, Path root, TarReader.Entry e) {
        String name = e.name();
        if (!e.isFile() && !e.isDirectory()) {
            throw refuse(archive, name, "is a " + describe(e.type()) + ", which this extractor never creates");
        }
        if (name.isEmpty()) throw refuse(archive, name, "has an empty name");
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':')) {
            throw refuse(archive, name, "has an absolute path");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) throw refuse(archive, name, "climbs out of the target folder with '..'");
        }
        Path dest;
        try {
            dest = root.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException ex) {
            throw refuse(archive, name, "is not a valid file name here (" + ex.getReason() + ")");
        }
        if (!dest.startsWith(root) || dest.equals(root) && !e.isDirectory()) {
            throw refuse(archive, name, "resolves outside the target folder");
        }
        return dest;
    }

    /** A folder on disk may itself be a link planted earlier: check where it really is. */
    private static void checkInside(Path archive, Path root, Path dir, String name) throws IOException {
        if (!dir.toRealPath().startsWith(root)) {
            throw refuse(archive, name, "would be written through a link that leads outside the target folder");
        }
    }

    private static DataException refuse(Path archive, String name, String why) {
        return DataException.of(Problem.BAD_ARCHIVE, archive, "entry '" + name + "' " + why
                + "; refusing to extract this archive (get the canonical file instead)");
    }

    private static String describe(char type) {
        switch (type) {
            case '1': return "hard link";
            case '2': return "symbolic link";
            case '3': return "character device";
            case '4': return "block device";
            case '6': return "FIFO";
            default: return "tar entry of type '" + type + "'";
        }
    }
}
