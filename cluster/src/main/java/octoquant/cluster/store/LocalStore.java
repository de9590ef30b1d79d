package octoquant.cluster.store;

import octoquant.experiments.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** An output directory on a file system this JVM sees as a plain path (one machine, or a shared mount). */
public final class LocalStore implements OutputStore {
    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path file(String rel) {
        return root.resolve(rel);
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Optional<Path> localRoot() {
        return Optional.of(root);
    }

    @Override
    public boolean exists(String rel) {
        return Files.isRegularFile(file(rel));
    }

    @Override
    public Optional<byte[]> readBytes(String rel) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file(rel)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void writeString(String rel, String text) throws IOException {
        AtomicFiles.writeString(file(rel), text);
    }

    @Override
    public void upload(Path local, String rel) throws IOException {
        AtomicFiles.write(file(rel), out -> Files.copy(local, out));
    }

    @Override
    public boolean download(String rel, Path local) throws IOException {
        if (!exists(rel)) return false;
        Files.createDirectories(local.toAbsolutePath().getParent());
        Files.copy(file(rel), local, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    @Override
    public void delete(String rel) throws IOException {
        Path p = file(rel);
        if (!Files.exists(p)) return;
        deleteTree(p);
    }

    /** Deletes {@code dir} and everything under it (a file alone when it is one); what is already gone is skipped. */
    public static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
