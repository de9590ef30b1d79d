package octoquant.engine.storage;

import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;

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
    void storageHeadroomIsTheLastOptionalElement() {
        assertEquals(QuantScheme.DEFAULT_STORAGE_HEADROOM, QuantScheme.parse("int8-pc").storageHeadroom());
        QuantScheme h1 = QuantScheme.parse("int8-pc-h1");
        assertEquals(1.0, h1.storageHeadroom());
        assertEquals("int8-pc-h1", h1.name());
        QuantScheme h = QuantScheme.parse("INT4-pc-minmax-stochastic-h1.5");
        assertEquals(1.5, h.storageHeadroom());
        assertEquals("int4-pc-minmax-stochastic-h1.5", h.name());
        assertEquals(h, QuantScheme.parse(h.name()));
        assertEquals("int8-pc", QuantScheme.parse("int8-pc-h2").name(), "the default is not spelled out");
        assertEquals(1.0, QuantScheme.parse("int8-fixed").storageHeadroom(), "the fixed grid calibrates nothing");
        assertEquals(1.0, QuantScheme.quant(8).storageHeadroom());
        for (String bad : new String[] {"int8-h0.5", "int8-h2-pc", "int8-h", "int8-h2-h3", "int8-hx"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantScheme.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("-h<F>"), e.getMessage());
        }
    }

    @Test
    void storageModeCalibratesWithHeadroomSoWeightsCanGrow() {
        float[] w = {0.5f, -0.25f, 0.125f, 0.1f};
        octoquant.engine.param.Parameter p = new octoquant.engine.param.Parameter("weight", new int[] {1, 4},
                new FloatStorage(1, 4, w.clone()));
        Quantization.prepare(java.util.List.of(p), QuantScheme.parse("int8-pc-h4"), TrainingMode.STORAGE, 1);
        QuantizedStorage q = (QuantizedStorage) p.storage();
        assertEquals(4 * 0.5 / 127, q.step(0), 1e-7, "range widened 4 times");
        q.applyUpdate(new float[] {1.2f, 0, 0, 0}); // 0.5 → 1.7 < 4·0.5: no clip
        assertEquals(0, q.lastUpdate().clipped());
        assertEquals(1.7, q.decodeAll()[0], q.step(0) / 2);
        q.applyUpdate(new float[] {0.5f, 0, 0, 0}); // 2.2 > 2.0: clipped and counted
        assertEquals(1, q.lastUpdate().clipped());
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
