package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class OctalDigitsTest {
    @Property(tries = 500)
    void digitsToCodeToDigitsIsTheIdentity(@ForAll @IntRange(min = 2, max = 16) int bits, @ForAll long raw,
                                           @ForAll boolean negative) {
        int count = OctalDigits.digitsFor(bits);
        long mag = Math.floorMod(raw, 1L << (3 * count));
        int[] digits = OctalDigits.toDigits(mag, count);
        long code = negative ? -OctalDigits.fromDigits(digits) : OctalDigits.fromDigits(digits);
        assertArrayEquals(digits, OctalDigits.toDigits(Math.abs(code), count));
        // and through the packed field of the octal layout, sign included
        CodeLayout layout = OctalDigits.layout(count);
        assertTrue(layout.fits(code));
        int field = layout.pack(code);
        assertTrue(field >>> layout.width() == 0, "field fits its " + layout.width() + " bits");
        if (field != layout.escape()) assertEquals(code, layout.unpack(field));
        else assertEquals(0, code); // only −0 packs as the escape
    }

    @Property(tries = 300)
    void pythonNotationRoundTrips(@ForAll @IntRange(min = -100000, max = 100000) int code) {
        String s = OctalDigits.toOctalString(code);
        assertEquals(code, OctalDigits.parseOctalString(s));
        assertEquals(code < 0, s.startsWith("-0o"));
    }

    @Test
    void pythonNotation() {
        assertEquals("0o277", OctalDigits.toOctalString(191));
        assertEquals("-0o12", OctalDigits.toOctalString(-10));
        assertEquals("0o0", OctalDigits.toOctalString(0));
        assertEquals(3, OctalDigits.digitsFor(8));
        assertEquals(1, OctalDigits.digitsFor(3));
        assertEquals(2, OctalDigits.digitsFor(4));
        assertThrows(IllegalArgumentException.class, () -> OctalDigits.parseOctalString("277"));
    }

    @Test
    void octalStorageKeepsNegativeCodesAsDigitsAndSign() {
        OctalStorage s = new OctalStorage(1, 3, 8);
        s.encodeFrom(new float[] {-0.75f, 0.5f, -1.9f}); // −191, 127, −484 (fits the 3-digit field)
        assertEquals("-0o277", s.toOctalString(0));
        assertArrayEquals(new int[] {2, 7, 7}, s.digits(0));
        assertEquals(-484, s.code(2));
        assertEquals(0, s.overflowCount());
    }
}
