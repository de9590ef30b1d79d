package octoquant.experiments.io;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "quant8 \"seed\"\n\ttab\u0001");
        m.put("n", 3);
        m.put("x", 0.1);
        m.put("big", 1e300);
        m.put("nan", Double.NaN);
        m.put("flag", true);
        m.put("none", null);
        m.put("curve", new double[] {1.5, -2.25e-7, 3});
        m.put("runs", List.of(Map.of("seed", 0L), Map.of("seed", 1L)));
        m.put("empty", List.of());
        Object back = Json.parse(Json.write(m));
        JsonObject o = new JsonObject(back, "");
        assertEquals("quant8 \"seed\"\n\ttab\u0001", o.string("name"));
        assertEquals(3, o.integer("n"));
        assertEquals(0.1, o.number("x"));
        assertEquals(1e300, o.number("big"));
        assertTrue(Double.isNaN(o.number("nan")), "NaN is written as null and read back as NaN");
        assertTrue(o.bool("flag"));
        assertFalse(o.has("none"));
        assertArrayEquals(new double[] {1.5, -2.25e-7, 3}, o.numbers("curve"));
        assertEquals(1, o.element("runs", 1).integer("seed"));
        assertTrue(o.list("empty").isEmpty());
    }

    @Property(tries = 300)
    void doublesRoundTripExactly(@ForAll double d) {
        Object back = Json.parse(Json.write(List.of(d)));
        double got = ((Number) ((List<?>) back).get(0)).doubleValue();
        if (Double.isFinite(d)) assertEquals(d, got);
        else assertNull(((List<?>) back).get(0));
    }

    @Property(tries = 300)
    void stringsRoundTrip(@ForAll String s) {
        assertEquals(s, Json.parse(Json.write(s)));
    }

    @Test
    void malformedDocumentsNameTheOffset() {
        for (String bad : new String[] {"{", "{\"a\" 1}", "[1,]", "[1 2]", "01x", "\"abc", "{\"a\":tru}", "[1] x",
                "-", "1.e5", "\"\\q\""}) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        assertThrows(JsonException.class, () -> Json.parse(deep));
    }

    @Test
    void missingAndMistypedFieldsAreNamedByPath() {
        JsonObject o = new JsonObject(Json.parse("{\"methods\":[{\"runs\":[{\"seed\":\"x\"}]}]}"), "");
        JsonException e = assertThrows(JsonException.class,
                () -> o.element("methods", 0).element("runs", 0).integer("seed"));
        assertEquals("methods[0].runs[0].seed should be an integer", e.getMessage());
        JsonException e2 = assertThrows(JsonException.class, () -> o.string("config"));
        assertEquals("config is missing", e2.getMessage());
    }
}
