package octoquant.experiments.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FilesTest {

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub/results.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void anAtomicWriteIsReadableByWhoeverCouldReadAPlainlyWrittenFile(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x"); // what the umask allows a new file
        Path atomic = dir.resolve("report.html");
        AtomicFiles.writeString(atomic, "x");
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(plain), a = Files.getPosixFilePermissions(atomic);
        for (PosixFilePermission read : List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ)) {
            assertEquals(p.contains(read), a.contains(read), read + ": plain " + p + ", atomic " + a);
        }
        assertTrue(a.contains(PosixFilePermission.OWNER_WRITE));
        assertFalse(a.contains(PosixFilePermission.OTHERS_WRITE));
    }

    @Test
    void failedWriteKeepsTheOldFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("results.json");
        AtomicFiles.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void aWriteThatCannotHappenNamesTheFileAndTheCause(@TempDir Path dir) throws IOException {
        Path blocker = Files.writeString(dir.resolve("plots"), "a file where a folder should be");
        Path target = blocker.resolve("01-loss.svg");
        WriteFailure e = assertThrows(WriteFailure.class, () -> AtomicFiles.writeString(target, "<svg/>"));
        assertEquals(target, e.file());
        assertEquals("writing " + target + ": " + blocker + " is in the way (it exists and is not a folder)", e.getMessage());
        assertEquals("fix that", e.fix());
    }

    @Test
    void aFailureInTheMiddleOfAWriteNamesTheTargetAndLeavesNothingUnderItsName(@TempDir Path dir) {
        Path f = dir.resolve("checkpoints/octal8-seed0.ckpt");
        WriteFailure e = assertThrows(WriteFailure.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals("writing " + f + ": no space left on device", e.getMessage());
        assertEquals("free space", e.fix());
        assertFalse(Files.exists(f));
        assertEquals(0, f.getParent().toFile().list().length, "the temporary file is gone");
    }

    @Test
    void causesAreTheSystemsWordsInLowerCase() {
        assertEquals("no space left on device", WriteFailure.reason(new IOException("No space left on device")));
        assertEquals("no space left on device",
                WriteFailure.reason(new java.nio.file.FileSystemException("/x", null, "No space left on device")));
        assertEquals("permission denied", WriteFailure.reason(new java.nio.file.AccessDeniedException("/x")));
        assertEquals("file too large", WriteFailure.reason(new IOException("File too large")));
        assertEquals("raise the file size limit (ulimit -f)", new WriteFailure(Path.of("/x"), "file too large").fix());
        assertEquals("make the folder writable", new WriteFailure(Path.of("/x"), "read-only file system").fix());
        assertEquals("IOException", WriteFailure.reason(new IOException()));
    }

    @Test
    void csvQuotesOnlyWhenNeeded() {
        Csv csv = new Csv(List.of("method", "epoch", "loss"));
        csv.row("float", 1, 0.5);
        csv.row("int8,pc", 2, Double.NaN);
        csv.row("say \"hi\"", 3, 1e-9);
        assertEquals("method,epoch,loss\r\nfloat,1,0.5\r\n\"int8,pc\",2,\r\n\"say \"\"hi\"\"\",3,1.0E-9\r\n",
                csv.toString());
        assertThrows(IllegalArgumentException.class, () -> csv.row("x"));
    }
}
