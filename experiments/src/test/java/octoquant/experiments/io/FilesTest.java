package octoquant.experiments.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
