package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BitPackerTest {
    @Property(tries = 300)
    void packUnpackIsLossless(@ForAll("widths") int width, @ForAll @IntRange(min = 0, max = 1001) int n,
                              @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] codes = new int[n];
        long bound = 1L << width;
        for (int i = 0; i < n; i++) codes[i] = (int) ((rng.nextLong() >>> 1) % bound);
        long[] packed = BitPacker.pack(codes, width);
        assertEquals(((long) n * width + 63) / 64, packed.length, "no word beyond what the bits need");
        assertArrayEquals(codes, BitPacker.unpack(packed, width, n));
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 17, 1, 31, 32);
    }

    @Property(tries = 200)
    void overwritingOneCodeLeavesItsNeighbours(@ForAll("widths") int width, @ForAll @IntRange(min = 1, max = 200) int n,
                                               @ForAll long seed) {
        Rng rng = new Rng(seed);
        long bound = 1L << width;
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = (int) ((rng.nextLong() >>> 1) % bound);
        long[] packed = BitPacker.pack(codes, width);
        int at = rng.nextInt(n);
        codes[at] = (int) ((rng.nextLong() >>> 1) % bound);
        BitPacker.set(packed, width, at, codes[at]);
        assertArrayEquals(codes, BitPacker.unpack(packed, width, n));
    }

    @Test
    void rejectsCodesWiderThanTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BitPacker.pack(new int[] {16}, 4));
        assertTrue(e.getMessage().contains("4 bits"), e.getMessage());
    }

    @Test
    void threeBitCodesStraddleWords() {
        int[] codes = new int[23]; // 69 bits: code 21 spans bits 63..65
        for (int i = 0; i < codes.length; i++) codes[i] = 7 - i % 8;
        long[] packed = BitPacker.pack(codes, 3);
        assertEquals(2, packed.length);
        assertEquals(codes[21], BitPacker.get(packed, 3, 21));
        assertArrayEquals(codes, BitPacker.unpack(packed, 3, 23));
    }
}
