package octoquant.engine.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The seed document's printed numbers, reproduced from its two formulas. */
class SeedVectorsTest {
    static final double[] WEIGHTS = {0.03279644, 0.37225065, 0.03883055, 0.32002673};

    @Test
    void threeQuartersAtEightBits() {
        assertEquals(191, Seed.quantize(0.75, 8)); // 0.75·255 = 191.25
        assertEquals("0o277", Seed.octize(0.75, 8));
    }

    @Test
    void seedWeightVectors() {
        int[] q = new int[4];
        String[] o = new String[4];
        for (int i = 0; i < 4; i++) {
            q[i] = Seed.quantize(WEIGHTS[i], 8);
            o[i] = Seed.octize(WEIGHTS[i], 8);
        }
        assertArrayEquals(new int[] {8, 95, 10, 82}, q);
        assertArrayEquals(new String[] {"0o10", "0o136", "0o11", "0o121"}, o);
    }

    /**
     * The seed prints 97 as the quantized value of 0.37683514, but np.round(0.37683514·255) =
     * np.round(96.093…) = 96: that printed value does not follow from the seed's own formula.
     */
    @Test
    void seedsPrintedNinetySevenDoesNotFollowFromItsFormula() {
        assertEquals("0o140", Seed.octize(0.37683514, 8));
        assertEquals(96, Seed.quantize(0.37683514, 8));
        assertNotEquals(97, Seed.quantize(0.37683514, 8));
    }

    @Test
    void negativesAndZeroUsePythonNotation() {
        assertEquals("-0o12", Seed.octize(-10.9 / 255, 8)); // int() truncates toward zero: −10
        assertEquals("0o0", Seed.octize(0.9 / 255, 8));     // the toward-zero dead zone
        assertEquals(-11, Seed.quantize(-10.9 / 255, 8));
    }

    @Test
    void storagesHoldTheSeedsCodes() {
        float[] w = new float[WEIGHTS.length];
        for (int i = 0; i < w.length; i++) w[i] = (float) WEIGHTS[i];
        QuantizedStorage quant8 = (QuantizedStorage) QuantScheme.quant(8).newStorage(1, 4, 0);
        OctalStorage octal8 = (OctalStorage) QuantScheme.octal(8).newStorage(1, 4, 0);
        quant8.encodeFrom(w);
        octal8.encodeFrom(w);
        String[] expectedOctal = {"0o10", "0o136", "0o11", "0o121"};
        int[] expectedCodes = {8, 95, 10, 82};
        for (int i = 0; i < 4; i++) {
            assertEquals(expectedCodes[i], quant8.code(i));
            assertEquals(expectedOctal[i], octal8.toOctalString(i));
        }
        octal8.encodeFrom(new float[] {0.75f, -10.9f / 255, 0f, 0.37683514f});
        assertEquals("0o277", octal8.toOctalString(0));
        assertArrayEquals(new int[] {2, 7, 7}, octal8.digits(0));
        assertEquals("-0o12", octal8.toOctalString(1));
        assertEquals("0o0", octal8.toOctalString(2));
        assertEquals("0o140", octal8.toOctalString(3));
        assertEquals(191 / 255f, octal8.decodeAll()[0], 0f);
    }
}
