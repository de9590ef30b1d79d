package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpinBudgetTest {
    private final SpinBudget learned = new SpinBudget(20_000, 500_000);

    @Test
    void aParkThatALongerSpinWouldHaveSavedRaisesTheBudgetToTwiceTheWait() {
        // A 60 µs serial gap after a 20 µs spin: the next spin covers 120 µs, so the gap is caught.
        assertEquals(120_000, learned.afterPark(20_000, 60_000));
        // A park right after the spin ran out: twice the budget.
        assertEquals(40_000, learned.afterPark(20_000, 1_000));
        // Never past the longest spin: a wait of half of it or more goes straight there.
        assertEquals(500_000, learned.afterPark(62_500, 300_000));
        assertEquals(500_000, learned.afterPark(20_000, 250_000));
        assertEquals(480_000, learned.afterPark(20_000, 240_000));
        assertEquals(500_000, learned.afterPark(20_000, 500_000));
    }

    @Test
    void burstsBetweenIdleSpellsSettleTheBudgetNearTwiceTheirGaps() {
        // Bursts with 40 µs gaps, 50 ms apart: each idle spell halves, each short park doubles past the gap.
        // The spin an idle spell wastes (the budget it starts with) then stays at most 80 µs, never 500.
        long spin = learned.max, mostWasted = 0;
        for (int burst = 0; burst < 20; burst++) {
            if (burst >= 5) mostWasted = Math.max(mostWasted, spin);
            spin = learned.afterPark(spin, 50_000_000);
            if (spin < 40_000) spin = learned.afterPark(spin, 40_000);
        }
        assertEquals(80_000, mostWasted);
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
