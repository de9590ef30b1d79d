package octoquant.experiments.checkpoint;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointFileTest {
    private static final byte[] HASH = CheckpointFile.hashConfig("experiment=mnist;epochs=2");

    private static Checkpoint sample() {
        return new Checkpoint(HASH)
                .putFloats("layer0.weight", new float[] {0.1f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f})
                .putDoubles("metrics.testLoss", new double[] {0.25, Double.NaN})
                .putLongs("rng", new long[] {Long.MIN_VALUE, 42})
                .putInts("codes", new int[] {-128, 127, 191})
                .putBytes("raw", new byte[] {1, 2, (byte) 0xff})
                .putString("method", "octal8 ✓")
                .putLong("epoch", 3);
    }

    @Test
    void roundTripsBitForBit(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("run.ckpt");
        long size = CheckpointFile.write(f, sample());
        assertEquals(Files.size(f), size);
        Checkpoint back = CheckpointFile.read(f, HASH);
        assertTrue(back.sameContent(sample()));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.floats("layer0.weight")[1]));
        assertEquals(3, back.longValue("epoch"));
        assertEquals("octal8 ✓", back.string("method"));
    }

    @Test
    void foreignFileIsRefused() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CheckpointFile.decode("{\"json\": true}".getBytes(), "x.ckpt", null));
        assertEquals("x.ckpt is not an octoquant checkpoint (wrong magic bytes)", e.getMessage());
    }

    @Test
    void newerVersionIsRefused() {
        byte[] data = withVersion(CheckpointFile.encode(sample()), 7);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.decode(data, "x", null));
        assertEquals("checkpoint x has format version 7; this build reads version 2 (resume it with the octoquant "
                + "that wrote it, or delete it to start that run again)", e.getMessage());
    }

    @Test
    void versionOneIsRefusedWithWhatToDo() {
        // A well-formed version-1 file (its checksum matches): the entries are fine, their names are not ours.
        byte[] data = withVersion(CheckpointFile.encode(sample()), 1);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.decode(data, "x", null));
        assertEquals("checkpoint x has format version 1, written by an earlier octoquant whose saved engine state this "
                + "build (version 2) cannot read; delete it to start that run again", e.getMessage());
    }

    /** The same file with another version number and a checksum that matches it. */
    static byte[] withVersion(byte[] data, int version) {
        byte[] out = data.clone();
        out[8] = (byte) (version >> 8);
        out[9] = (byte) version;
        int body = out.length - CheckpointFile.HASH_BYTES;
        try {
            byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(out, body));
            System.arraycopy(sum, 0, out, body, sum.length);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    @Test
    void otherConfigurationIsRefused() {
        byte[] data = CheckpointFile.encode(sample());
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CheckpointFile.decode(data, "x", CheckpointFile.hashConfig("experiment=mnist;epochs=3")));
        assertTrue(e.getMessage().startsWith("checkpoint x belongs to a different configuration"), e.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CheckpointFile.read(dir.resolve("none.ckpt"), HASH));
        assertTrue(e.getMessage().endsWith("none.ckpt does not exist"), e.getMessage());
    }

    @Property(tries = 200)
    void anyFlippedBitIsDetected(@ForAll @IntRange(min = 10, max = 10_000) int where, @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] data = CheckpointFile.encode(sample());
        int i = where % data.length;
        data[i] ^= (byte) (1 << bit);
        // Bytes 0..9 are magic and version (their own messages); any other flip fails the checksum.
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.decode(data, "x", null));
        assertNotNull(e.getMessage());
    }

    @Property(tries = 100)
    void anyTruncationIsDetected(@ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] data = CheckpointFile.encode(sample());
        byte[] shorter = java.util.Arrays.copyOf(data, cut % data.length);
        assertThrows(CheckpointException.class, () -> CheckpointFile.decode(shorter, "x", null));
    }

    @Test
    void missingEntryIsNamed() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> sample().floats("nope"));
        assertEquals("checkpoint has no entry 'nope'", e.getMessage());
    }
}
