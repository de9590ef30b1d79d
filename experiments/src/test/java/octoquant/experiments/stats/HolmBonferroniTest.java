package octoquant.experiments.stats;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Holm–Bonferroni against hand-worked families and against the step-down rejection rule it comes from. */
class HolmBonferroniTest {

    @Test
    void handWorkedFamily() {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (monotone).
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02},
                HolmBonferroni.adjust(new double[] {0.01, 0.04, 0.03, 0.005}), 1e-15);
    }

    @Test
    void capsAtOneAndLeavesNaNOutOfTheFamily() {
        assertArrayEquals(new double[] {1, 1}, HolmBonferroni.adjust(new double[] {0.5, 0.6}), 0);
        double[] adjusted = HolmBonferroni.adjust(new double[] {0.01, Double.NaN, 0.04});
        assertEquals(0.02, adjusted[0], 1e-15, "m = 2: the NaN is not a member");
        assertTrue(Double.isNaN(adjusted[1]));
        assertEquals(0.04, adjusted[2], 1e-15);
        assertEquals(0, HolmBonferroni.adjust(new double[0]).length);
        assertArrayEquals(new double[] {0.3}, HolmBonferroni.adjust(new double[] {0.3}), 0, "a family of one");
    }

    @Test
    void refusesNumbersThatAreNotPValues() {
        assertThrows(IllegalArgumentException.class, () -> HolmBonferroni.adjust(new double[] {0.1, 1.5}));
        assertThrows(IllegalArgumentException.class, () -> HolmBonferroni.adjust(new double[] {-0.01}));
    }

    /**
     * Holm's procedure as he stated it: order the p-values, find the first p(k) > α / (m − k + 1) and reject the
     * hypotheses before it. The adjusted p-values must reject exactly those at every α.
     */
    @Property
    void adjustedPValuesRejectWhatTheStepDownProcedureRejects(
            @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 1) @Scale(4) Double> pList,
            @ForAll @DoubleRange(min = 0.001, max = 0.5) @Scale(3) double alpha) {
        double[] p = pList.stream().mapToDouble(Double::doubleValue).toArray();
        double[] adjusted = HolmBonferroni.adjust(p);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.length; i++) order.add(i);
        order.sort(Comparator.comparingDouble(i -> p[i]));
        boolean[] rejected = new boolean[p.length];
        int m = p.length;
        for (int k = 0; k < m; k++) {
            if (p[order.get(k)] > alpha / (m - k)) break;
            rejected[order.get(k)] = true;
        }
        for (int i = 0; i < m; i++) {
            // Away from the boundary, where α/(m−k+1) and (m−k+1)·p round differently.
            if (Math.abs(adjusted[i] - alpha) < 1e-12) continue;
            assertEquals(rejected[i], adjusted[i] <= alpha, "p = " + Arrays.toString(p) + ", α = " + alpha + ", index " + i);
        }
    }

    @Property
    void adjustedPValuesAreAtLeastTheRawOnesAtMostOneAndKeepTheirOrder(
            @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 1) @Scale(4) Double> pList) {
        double[] p = pList.stream().mapToDouble(Double::doubleValue).toArray();
        double[] adjusted = HolmBonferroni.adjust(p);
        for (int i = 0; i < p.length; i++) {
            assertTrue(adjusted[i] >= p[i] && adjusted[i] <= 1, "p " + p[i] + " -> " + adjusted[i]);
            assertTrue(adjusted[i] <= Math.min(1, p.length * p[i]) + 1e-15, "never above Bonferroni");
            for (int j = 0; j < p.length; j++) {
                if (p[i] <= p[j]) assertTrue(adjusted[i] <= adjusted[j], "monotone in p");
            }
        }
    }
}
