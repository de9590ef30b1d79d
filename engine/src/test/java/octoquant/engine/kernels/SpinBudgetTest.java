package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpinBudgetTest {
    private final SpinBudget learned = new SpinBudget(20_000, 500_000);

    @Test
    void aParkThatALongerSpinWouldHaveSavedRestoresTheLongestSpin() {
        // After idle spells cut the budget to 62.5 µs, a 300 µs serial gap parks once, then never again.
        assertEquals(500_000, learned.afterPark(62_500, 300_000));
        assertEquals(500_000, learned.afterPark(20_000, 1_000));
        assertEquals(500_000, learned.afterPark(20_000, 500_000));
    }

    @Test
    void idleSpellsHalveTheBudgetDownToTheShortest() {
        long idle = SpinBudget.IDLE_NANOS + 1;
        long spin = learned.max;
        int idleSpells = 0;
        while (spin > learned.min) {
            spin = learned.afterPark(spin, idle);
            idleSpells++;
        }
        // 500 → 250 → 125 → 62.5 → 31.25 → 20 µs: five idle spells, each spinning at most the budget before it.
        assertEquals(20_000, spin);
        assertEquals(5, idleSpells);
        assertEquals(20_000, learned.afterPark(20_000, idle));
    }

    @Test
    void aWaitBetweenTheLongestSpinAndIdlenessLeavesTheBudget() {
        // A collector's pause or a slow serial pass: neither a gap a spin should cover nor idleness.
        assertEquals(125_000, learned.afterPark(125_000, 500_001));
        assertEquals(125_000, learned.afterPark(125_000, SpinBudget.IDLE_NANOS));
        assertEquals(500_000, learned.afterPark(500_000, 3_000_000));
    }

    @Test
    void aFixedBudgetNeverMoves() {
        SpinBudget fixed = new SpinBudget(300_000, 300_000);
        assertEquals(300_000, fixed.afterPark(300_000, 10));
        assertEquals(300_000, fixed.afterPark(300_000, 1_000_000_000));
        SpinBudget none = new SpinBudget(0, 0);
        assertEquals(0, none.afterPark(0, 0));
        assertEquals(0, none.afterPark(0, Long.MAX_VALUE));
    }

    @Test
    void anInvertedOrNegativeRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SpinBudget(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> new SpinBudget(10, 5));
    }
}
