package octoquant.datasets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The copy of the engine's SplitMix64 must produce the published reference sequence. */
class SplitMix64Test {
    @Test
    void referenceValuesForSeedZero() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }
}
