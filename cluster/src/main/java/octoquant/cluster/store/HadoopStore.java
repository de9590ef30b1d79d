package octoquant.cluster.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;

/**
 * An output directory on any Hadoop file system ({@code hdfs://}, {@code file://}, {@code s3a://} with its
 * connector on the class path …). Writes go to a fresh file under {@code _sweep/tmp/} and are renamed over the
 * target; what a killed upload leaves in {@code _sweep/tmp} is never read and is deleted when a sweep finishes.
 *
 * <p>The rename replaces the target atomically on {@code file://} (the local file system's own rename, see
 * {@link #write}) and on HDFS ({@link Options.Rename#OVERWRITE}). Elsewhere Hadoop may fall back to its generic
 * overwrite, which deletes the target before it renames (on an object store, copies): a writer killed in between
 * leaves no file there.
 */
public final class HadoopStore implements OutputStore {
    static final String TMP = "_sweep/tmp";

    private final String text;
    private final org.apache.hadoop.fs.Path root;
    private final FileContext fc;
    private final boolean localFileSystem;

    public HadoopStore(String text, URI root, Configuration conf) throws IOException {
        this.text = text;
        this.root = new org.apache.hadoop.fs.Path(root);
        this.fc = FileContext.getFileContext(root, conf);
        this.localFileSystem = "file".equals(fc.getDefaultFileSystem().getUri().getScheme());
    }

    private org.apache.hadoop.fs.Path path(String rel) {
        return new org.apache.hadoop.fs.Path(root, rel);
    }

    @Override
    public String describe() {
        return text;
    }

    @Override
    public Optional<Path> localRoot() {
        return Optional.empty();
    }

    @Override
    public boolean exists(String rel) throws IOException {
        try {
            return fc.getFileStatus(path(rel)).isFile();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    @Override
    public Optional<byte[]> readBytes(String rel) throws IOException {
        try (InputStream in = fc.open(path(rel))) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void writeString(String rel, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(rel, out -> out.write(bytes));
    }

    @Override
    public void upload(Path local, String rel) throws IOException {
        write(rel, out -> Files.copy(local, out));
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private void write(String rel, Content content) throws IOException {
        org.apache.hadoop.fs.Path tmp = path(TMP + "/" + UUID.randomUUID());
        org.apache.hadoop.fs.Path target = path(rel);
        try {
            try (FSDataOutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
                    Options.CreateOpts.createParent())) {
                content.writeTo(out);
                out.hsync();
            }
            mkdirs(target.getParent());
            if (localFileSystem) {
                // Not fc.rename: for file:// Hadoop overwrites by deleting the target and then renaming (the generic
                // AbstractFileSystem.renameInternal), so a reader, or the next attempt of a run whose executor was
                // killed in between, finds no file. rename(2) replaces it in one step.
                Files.move(localPath(tmp), localPath(target), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                fc.rename(tmp, target, Options.Rename.OVERWRITE);
            }
        } finally {
            fc.delete(tmp, false);
        }
    }

    private Path localPath(org.apache.hadoop.fs.Path p) {
        return Path.of(fc.makeQualified(p).toUri());
    }

    private void mkdirs(org.apache.hadoop.fs.Path dir) throws IOException {
        try {
            FileStatus s = fc.getFileStatus(dir);
            if (s.isDirectory()) return;
        } catch (FileNotFoundException absent) {
            // create it below
        }
        fc.mkdir(dir, FsPermission.getDirDefault(), true);
    }

    @Override
    public boolean download(String rel, Path local) throws IOException {
        Path target = local.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (InputStream in = fc.open(path(rel))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileNotFoundException e) {
                return false;
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void delete(String rel) throws IOException {
        fc.delete(path(rel), true);
    }
}
