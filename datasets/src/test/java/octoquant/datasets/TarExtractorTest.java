package octoquant.datasets;

import octoquant.datasets.DataException.Problem;
import octoquant.datasets.io.TarExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crafted archives: nothing is ever written outside the target folder. */
class TarExtractorTest {
    @TempDir
    Path tmp;

    private static final byte[] EVIL = "evil".getBytes(StandardCharsets.UTF_8);

    private Path target() {
        return tmp.resolve("a/b/target");
    }

    private Path archive(TestFiles.Tar tar, boolean gz) {
        return TestFiles.write(tmp.resolve(gz ? "x.tar.gz" : "x.tar"), gz ? TestFiles.gzip(tar.bytes()) : tar.bytes());
    }

    private void refused(TestFiles.Tar tar, String expectedWords) throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path a = archive(tar, gz);
            DataException e = assertThrows(DataException.class, () -> TarExtractor.extract(a, target()));
            assertEquals(Problem.BAD_ARCHIVE, e.problem());
            assertTrue(e.getMessage().contains(expectedWords), e.getMessage());
            assertNoEvilAnywhere();
        }
    }

    /** No file named "evil" anywhere under the temp root, and nothing outside the target but the archives. */
    private void assertNoEvilAnywhere() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            List<Path> evil = s.filter(p -> p.getFileName().toString().contains("evil")).toList();
            assertTrue(evil.isEmpty(), "written: " + evil);
        }
        assertFalse(Files.exists(Path.of("/tmp/evil-octoquant-test")));
    }

    @Test
    void extractsAValidArchive() throws IOException {
        Path a = archive(new TestFiles.Tar().dir("d/").file("d/one.bin", new byte[] {1, 2, 3}).file("two.txt", "hi".getBytes(StandardCharsets.UTF_8)), true);
        List<Path> written = TarExtractor.extract(a, target());
        assertEquals(2, written.size());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target().resolve("d/one.bin")));
        assertEquals("hi", Files.readString(target().resolve("two.txt")));
        try (Stream<Path> s = Files.list(target().resolve("d"))) {
            assertEquals(1, s.count(), "no temporary files left");
        }
    }

    @Test
    void dotDotEntry() throws IOException {
        refused(new TestFiles.Tar().file("ok.txt", new byte[] {1}).file("../evil", EVIL), "'..'");
        refused(new TestFiles.Tar().file("d/../../evil", EVIL), "'..'");
    }

    @Test
    void absolutePath() throws IOException {
        refused(new TestFiles.Tar().file("/tmp/evil-octoquant-test", EVIL), "absolute path");
    }

    @Test
    void symbolicLinkThenWriteThroughIt() throws IOException {
        // The classic attack: a link to outside, then a file "through" the link.
        refused(new TestFiles.Tar().symlink("link", "../../..").file("link/evil", EVIL), "symbolic link");
    }

    @Test
    void hardLink() throws IOException {
        refused(new TestFiles.Tar().hardlink("evil-hard", "/etc/passwd"), "hard link");
    }

    @Test
    void existingLinkOnDiskIsNotFollowedOutside() throws IOException {
        Files.createDirectories(target());
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(target().resolve("sub"), outside);
        refused(new TestFiles.Tar().file("sub/evil", EVIL), "link that leads outside");
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void corruptHeaderChecksum() throws IOException {
        byte[] t = new TestFiles.Tar().file("a.txt", new byte[] {1}).bytes();
        t[0] ^= 1;
        Path a = TestFiles.write(tmp.resolve("bad.tar"), t);
        DataException e = assertThrows(DataException.class, () -> TarExtractor.extract(a, target()));
        assertEquals(Problem.BAD_ARCHIVE, e.problem());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void truncatedArchiveLeavesNoPartialFile() throws IOException {
        byte[] t = new TestFiles.Tar().file("big.bin", new byte[5000]).bytes();
        byte[] cut = java.util.Arrays.copyOf(t, 512 + 2000);
        Path a = TestFiles.write(tmp.resolve("cut.tar"), cut);
        DataException e = assertThrows(DataException.class, () -> TarExtractor.extract(a, target()));
        assertEquals(Problem.BAD_ARCHIVE, e.problem());
        assertFalse(Files.exists(target().resolve("big.bin")));
        try (Stream<Path> s = Files.list(target())) {
            assertEquals(0, s.count(), "no temporary file left");
        }
    }
}
