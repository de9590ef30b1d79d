package octoquant.experiments.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The lock's rules within one JVM; between processes they are tested end to end (OutputLockProcessTest). */
class OutputLockTest {

    @Test
    void aHeldFolderIsRefusedNamingTheHolderAndFreedOnClose(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        long pid = ProcessHandle.current().pid();
        try (OutputLock lock = OutputLock.acquire(dir, null)) {
            assertEquals(dir, lock.folder());
            assertTrue(lock.takenOverFrom().isEmpty());
            String record = Files.readString(dir.resolve(OutputLock.FILE_NAME));
            assertTrue(record.startsWith("pid=" + pid + "\nhost="), record);
            OutputLock.FolderInUseException e = assertThrows(OutputLock.FolderInUseException.class,
                    () -> OutputLock.acquire(dir, null));
            assertEquals(pid, e.holder().orElseThrow().pid());
            assertTrue(e.getMessage().startsWith(dir + " is in use by another run (pid " + pid + " on host "), e.getMessage());
            assertTrue(e.getMessage().endsWith("); wait for it to end, or choose another folder"), e.getMessage());
            assertEquals(dir, OutputLock.mostRecent().orElseThrow());
        }
        assertEquals("", Files.readString(dir.resolve(OutputLock.FILE_NAME)), "a clean release empties the record");
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try (OutputLock again = OutputLock.acquire(dir, new PrintStream(notes, true, StandardCharsets.UTF_8))) {
            assertTrue(again.takenOverFrom().isEmpty());
        }
        assertEquals("", notes.toString(StandardCharsets.UTF_8), "no note after a clean release");
    }

    @Test
    void aRecordNobodyHoldsIsAStaleLockAndIsTakenOverWithANote(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        // What a process killed with -9 leaves: its record, and no OS lock (the system released it).
        Files.writeString(dir.resolve(OutputLock.FILE_NAME), "pid=999999\nhost=node7\nstarted=2026-01-02T03:04:05Z\n");
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try (OutputLock lock = OutputLock.acquire(dir, new PrintStream(notes, true, StandardCharsets.UTF_8))) {
            assertEquals(new OutputLock.Holder(999999, "node7", "2026-01-02T03:04:05Z"), lock.takenOverFrom().orElseThrow());
        }
        assertEquals("note: " + dir + " had a stale lock from pid 999999 on host node7, started 2026-01-02T03:04:05Z, "
                + "which ended without releasing it (killed or crashed); the lock was taken over (the system had "
                + "released it)\n", notes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileInPlaceOfTheFolderIsOneClearError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        FileSystemException e = assertThrows(FileSystemException.class, () -> OutputLock.acquire(file, null));
        assertEquals(file + ": it is a file, not a folder; give a folder", e.getMessage());
    }

    @Test
    void holderRecordsParseOnlyWhenComplete() {
        assertEquals(new OutputLock.Holder(12, "h", "t"), OutputLock.Holder.parse("pid=12\nhost=h\nstarted=t\n").orElseThrow());
        assertTrue(OutputLock.Holder.parse("pid=12\nhost=h\n").isEmpty(), "a record being written");
        assertTrue(OutputLock.Holder.parse("").isEmpty());
        assertTrue(OutputLock.Holder.parse("pid=x\nhost=h\nstarted=t").isEmpty());
    }
}
