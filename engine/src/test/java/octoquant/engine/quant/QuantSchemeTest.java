package octoquant.engine.quant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class QuantSchemeTest {
    @Test
    void seedSchemes() {
        QuantScheme q = QuantScheme.parse("quant8");
        assertEquals(QuantScheme.Kind.INT, q.kind());
        assertEquals(ScalePolicy.FIXED, q.policy());
        assertEquals(RoundingMode.NEAREST_EVEN, q.rounding());
        assertEquals(8, q.bits());
        assertEquals(q, QuantScheme.parse("quant"));
        QuantScheme o = QuantScheme.parse("octal8");
        assertEquals(QuantScheme.Kind.OCTAL, o.kind());
        assertEquals(RoundingMode.TOWARD_ZERO, o.rounding());
        assertInstanceOf(OctalStorage.class, o.newStorage(2, 3, 0));
        assertInstanceOf(FloatStorage.class, QuantScheme.parse("float").newStorage(2, 3, 0));
        assertEquals(4, QuantScheme.parse("octal4").bits());
    }

    @Test
    void generalIntegerSchemes() {
        QuantScheme a = QuantScheme.parse("int4-pc");
        assertEquals(4, a.bits());
        assertTrue(a.perChannel());
        assertEquals(ScalePolicy.MAXABS, a.policy());
        assertEquals(RoundingMode.NEAREST_EVEN, a.rounding());
        QuantScheme b = QuantScheme.parse("INT8-pc-maxabs-stochastic");
        assertEquals(RoundingMode.STOCHASTIC, b.rounding());
        assertEquals("int8-pc-stochastic", b.name());
        QuantScheme c = QuantScheme.parse("int3-minmax-floor");
        assertFalse(c.perChannel());
        assertEquals(ScalePolicy.MINMAX, c.policy());
        assertEquals(RoundingMode.FLOOR, c.rounding());
        assertEquals(ScalePolicy.FIXED, QuantScheme.parse("int8-fixed-zero").policy());
        for (String name : new String[] {"int8", "int4-pc", "int8-pc-stochastic", "int3-minmax-floor", "quant8", "octal8", "float"}) {
            assertEquals(name, QuantScheme.parse(name).name());
            assertEquals(QuantScheme.parse(name), QuantScheme.parse(QuantScheme.parse(name).name()));
        }
    }

    @Test
    void unknownNamesListTheGrammar() {
        for (String bad : new String[] {"int", "int1", "int17", "int8-foo", "int8-nearest-pc", "quantx", "octal99", "", "fp16"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantScheme.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("int<B>[-pc]"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void trainingModes() {
        assertEquals(TrainingMode.QAT, TrainingMode.parse("qat"));
        assertEquals(TrainingMode.STORAGE, TrainingMode.parse("Storage"));
        assertThrows(IllegalArgumentException.class, () -> TrainingMode.parse("fp32"));
    }
}
