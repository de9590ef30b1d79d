package octoquant.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StepBlocks} on a clock the test moves: the blocks' paces, the line, the fastest after the first. */
class StepBlocksTest {
    private long now;

    private void steps(StepBlocks blocks, int count, long nanosEach) {
        for (int i = 0; i < count; i++) {
            now += nanosEach;
            blocks.stepDone();
        }
    }

    @Test
    void theFastestFullBlockAfterTheFirstAndTheLineOfAll() {
        now = 1_000;
        StepBlocks blocks = new StepBlocks(4, () -> now);
        steps(blocks, 4, 9_000_000);   // the first block, 9 ms a step: left out of the fastest
        steps(blocks, 4, 6_000_000);
        steps(blocks, 2, 5_000_000);   // this block is 2 steps at 5 ms and 2 at 8 ms: 6.5 ms
        steps(blocks, 2, 8_000_000);
        steps(blocks, 4, 5_500_000);
        steps(blocks, 3, 1_000_000);   // a partial last block is dropped
        assertEquals(5.5, blocks.fastestAfterFirstMs(), 1e-12);
        assertEquals("# epoch, ms per step in blocks of 4 steps: 9.00 6.00 6.50 5.50", blocks.line());
    }

    @Test
    void fewerThanTwoFullBlocksHaveNoFastest() {
        now = 0;
        StepBlocks blocks = new StepBlocks(100, () -> now);
        assertTrue(Double.isNaN(blocks.fastestAfterFirstMs()));
        assertEquals("", blocks.line());
        steps(blocks, 199, 1_000_000);
        assertTrue(Double.isNaN(blocks.fastestAfterFirstMs()), "one full block and a partial one");
        steps(blocks, 1, 1_000_000);
        assertEquals(1.0, blocks.fastestAfterFirstMs(), 1e-12);
    }

    @Test
    void aBlockNeedsAStep() {
        assertThrows(IllegalArgumentException.class, () -> new StepBlocks(0));
    }
}
