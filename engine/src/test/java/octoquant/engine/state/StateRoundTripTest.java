package octoquant.engine.state;

import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Save, keep training, restore into a freshly built identical set-up, continue: the restored run must end
 * bit for bit where the uninterrupted one did — every storage, mode and optimizer, stochastic rounding
 * and a growing overflow table included — and saving must not disturb the run it is taken from.
 */
class StateRoundTripTest {
    private static final int BEFORE = 12, AFTER = 30;

    @ParameterizedTest(name = "{0} in {1} mode with {2}")
    @CsvSource({"float, storage, adam", "quant8, storage, adam", "octal8, storage, sgd", "int4-stochastic, storage, adam",
        "int6-pc-minmax-stochastic, qat, adam", "quant8, qat, sgd", "octal8, qat, adam", "int4-pc, storage, sgd"})
    void restoredRunContinuesBitForBit(String scheme, String mode, String optimizer) {
        Trainee whole = new Trainee(scheme, mode, optimizer, 3);
        whole.steps(BEFORE);
        // An evaluation before saving leaves QAT's shadow fresh, as a checkpoint after an epoch's test pass
        // does: the next step then reads the restored shadow's values without re-encoding them.
        whole.predict();
        MemoryState saved = MemoryState.of(whole);
        whole.steps(AFTER);
        MemoryState end = MemoryState.of(whole);

        Trainee resumed = new Trainee(scheme, mode, optimizer, 3);
        resumed.steps(2); // whatever it did before is overwritten
        resumed.restoreState(saved.reader());
        resumed.steps(AFTER);
        assertNull(end.firstDifference(MemoryState.of(resumed)), "first entry that differs after the restore");
        assertArrayEquals(whole.predict(), resumed.predict());

        // The comparison can fail: the state moved during the last AFTER steps.
        assertNotNull(saved.firstDifference(end));
    }

    @ParameterizedTest(name = "{0} in {1} mode")
    @CsvSource({"int4-stochastic, storage", "int6-pc-minmax-stochastic, qat", "quant8, qat"})
    void savingDoesNotDisturbTheRun(String scheme, String mode) {
        Trainee plain = new Trainee(scheme, mode, "adam", 8);
        plain.steps(BEFORE + AFTER);
        Trainee saving = new Trainee(scheme, mode, "adam", 8);
        for (int s = 0; s < BEFORE + AFTER; s++) {
            saving.step();
            MemoryState.of(saving); // packs QAT's shadow; must change no number
        }
        assertNull(MemoryState.of(plain).firstDifference(MemoryState.of(saving)));
    }

    @Test
    void overflowTableGrowsAcrossTheRestore() {
        Trainee whole = new Trainee("quant8", "storage", "adam", 3);
        whole.steps(25); // some weights have grown past 1 by then
        MemoryState saved = MemoryState.of(whole);
        int atSave = overflow(whole);
        whole.steps(AFTER);
        int atEnd = overflow(whole);
        assertTrue(atSave > 0 && atEnd > atSave, "overflow entries at save " + atSave + ", at end " + atEnd);

        Trainee resumed = new Trainee("quant8", "storage", "adam", 3);
        resumed.restoreState(saved.reader());
        assertEquals(atSave, overflow(resumed));
        resumed.steps(AFTER);
        assertEquals(atEnd, overflow(resumed));
        assertArrayEquals(whole.parameters().get(0).storage().decodeAll(), resumed.parameters().get(0).storage().decodeAll());
    }

    @Test
    void stochasticRoundingStreamIsPartOfTheState() {
        Trainee whole = new Trainee("int4-stochastic", "storage", "adam", 3);
        whole.steps(BEFORE);
        MemoryState saved = MemoryState.of(whole);
        whole.steps(AFTER);

        Trainee exact = new Trainee("int4-stochastic", "storage", "adam", 3);
        exact.restoreState(saved.reader());
        exact.steps(AFTER);
        assertArrayEquals(whole.predict(), exact.predict());

        // The same restore with the first weight's rounding generator left where a fresh build starts it:
        // the continuation differs, so the generator's state is what makes the resume exact.
        String key = "0.weight.storage.rng.state";
        long fresh = MemoryState.of(new Trainee("int4-stochastic", "storage", "adam", 3)).reader().longValue(key);
        assertNotEquals(fresh, saved.reader().longValue(key));
        Trainee rewound = new Trainee("int4-stochastic", "storage", "adam", 3);
        rewound.restoreState(new Patched(saved.reader(), key, fresh));
        rewound.steps(AFTER);
        assertFalse(java.util.Arrays.equals(whole.predict(), rewound.predict()));
    }

    /** Overflow entries of the first layer's weight (a fixed-grid storage). */
    private static int overflow(Trainee t) {
        return ((QuantizedStorage) t.parameters().get(0).storage()).overflowCount();
    }

    /** A reader that answers one long entry with another value. */
    private record Patched(StateReader in, String key, long value) implements StateReader {
        @Override public boolean has(String name) { return in.has(name); }
        @Override public float[] floats(String name) { return in.floats(name); }
        @Override public double[] doubles(String name) { return in.doubles(name); }
        @Override public long[] longs(String name) { return name.equals(key) ? new long[] {value} : in.longs(name); }
        @Override public int[] ints(String name) { return in.ints(name); }
        @Override public byte[] bytes(String name) { return in.bytes(name); }
        @Override public String string(String name) { return in.string(name); }
    }

    @Test
    void rngRoundTripKeepsTheSpareGaussian() {
        Rng a = new Rng(11);
        a.nextGaussian(); // leaves the pair's second half waiting
        MemoryState saved = MemoryState.of(a);
        double[] expected = {a.nextGaussian(), a.nextGaussian(), a.nextDouble()};
        Rng b = new Rng(12345);
        b.restoreState(saved.reader());
        assertArrayEquals(expected, new double[] {b.nextGaussian(), b.nextGaussian(), b.nextDouble()});
    }
}
