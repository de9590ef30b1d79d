package octoquant.datasets.io;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** readAtMost with right, low, high and absent size hints, at and around the cap. */
class InputsTest {
    /** A stream that hands out at most 7 bytes per read, as network and inflater streams do. */
    private static InputStream dribble(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @ParameterizedTest
    @CsvSource({
            "1000, 5000, 1000", "1000, 5000, 10", "1000, 5000, 4000", "1000, 5000, -1", "1000, 5000, 0",
            "5000, 5000, 5000", "5000, 5000, -1", "5000, 5000, 9000", "0, 5000, -1", "0, 5000, 100"})
    void readsEverythingUpToTheCap(int length, int cap, long hint) throws IOException {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte) (i * 13);
        assertArrayEquals(data, Inputs.readAtMost(dribble(data), cap, hint));
    }

    @ParameterizedTest
    @CsvSource({"5001, 5000, 5000", "5001, 5000, -1", "5001, 5000, 9000", "9000, 5000, 100", "3000000, 5000, -1"})
    void moreThanTheCapIsNull(int length, int cap, long hint) throws IOException {
        assertNull(Inputs.readAtMost(dribble(new byte[length]), cap, hint));
    }
}
