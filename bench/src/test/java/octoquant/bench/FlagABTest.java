package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagABTest {
    /** A flag for the option checks. */
    static boolean switchable;
    static final boolean FIXED = false;
    static int notABoolean;

    /**
     * On a clock that only the step moves (3 ms a step with the flag false, 2 with it true, and a slow
     * spell of 3× over pairs 3–5 that hits both sides of those pairs): every pair has the true side faster,
     * the geometric mean is 2/3 exactly, each side's steps were taken with its own flag, and the order of
     * the two blocks alternates from pair to pair.
     */
    @Test
    void pairsConsecutiveBlocksOnTheStepsOwnClock() {
        long warmupNs = 20_000_000L;
        long[] now = {0};
        boolean[] flag = {false};
        int[] measuredSwitches = {0};
        long[] slow = {1};
        List<Boolean> measuredOrder = new ArrayList<>();
        Runnable step = () -> now[0] += (flag[0] ? 2 : 3) * 1_000_000L * slow[0];
        FlagAB.Result r = FlagAB.measure(step, on -> {
            flag[0] = on;
            if (now[0] >= warmupNs) {
                int pair = measuredSwitches[0]++ / 2;
                slow[0] = pair >= 3 && pair < 6 ? 3 : 1;
                measuredOrder.add(on);
            }
        }, () -> now[0], 0.5, warmupNs / 1e9, 4);
        assertTrue(r.pairs >= 10, "pairs " + r.pairs);
        assertEquals(r.pairs, r.trueFaster);
        assertEquals(2.0 / 3, r.geometricMean, 1e-12);
        assertEquals(4 * r.pairs, r.ms[0].length);
        assertEquals(4 * r.pairs, r.ms[1].length);
        assertEquals(3.0, r.median(0), 1e-9);
        assertEquals(2.0, r.median(1), 1e-9);
        assertEquals(2.0, r.ms[1][0], 1e-9);
        assertEquals(9.0, r.ms[0][r.ms[0].length - 1], 1e-9);
        // The switches after the warm-up go F T, T F, F T, ...
        assertEquals(2 * r.pairs, measuredOrder.size());
        for (int p = 0; p < r.pairs; p++) {
            assertEquals(p % 2 == 1, measuredOrder.get(2 * p), "first block of pair " + p);
            assertEquals(p % 2 == 0, measuredOrder.get(2 * p + 1), "second block of pair " + p);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "X.FLAG", "cnn", 2);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("true/false: median 0.667 min 0.667; paired blocks " + r.pairs + ", true faster in "
                + r.pairs + ", geometric mean 0.667"), text);
    }

    @Test
    void refusesBadArgumentsWithWhatToFix() {
        String name = FlagABTest.class.getName();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FlagAB.Options.parse(new String[] {"--model", "cnn"}))
                .getMessage().startsWith("usage"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FlagAB.Options.parse(new String[] {name, "switchable", "--threads", "0"})).getMessage().contains("--threads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FlagAB.Options.parse(new String[] {name, "switchable", "--steps", "5"})).getMessage().contains("unknown option"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FlagAB.Options.parse(new String[] {"no.such.Klass", "x"}).field()).getMessage().contains("no class no.such.Klass"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FlagAB.Options.parse(new String[] {name, "missing"}).field()).getMessage().contains("has no field missing"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FlagAB.Options.parse(new String[] {name, "FIXED"}).field()).getMessage().contains("non-final boolean"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FlagAB.Options.parse(new String[] {name, "notABoolean"}).field()).getMessage().contains("non-final boolean"));
        assertEquals(boolean.class, FlagAB.Options.parse(new String[] {name, "switchable", "--block", "2"}).field().getType());
    }
}
