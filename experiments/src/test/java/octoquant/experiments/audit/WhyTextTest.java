package octoquant.experiments.audit;

import octoquant.experiments.stats.PairedComparison;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The "why" says only what its numbers meet the condition for, whichever way they come out. */
class WhyTextTest {

    static List<MechanismSummary.Epoch> epochs(double lost, double zero, double meanAbs, double changed) {
        return List.of(new MechanismSummary.Epoch(1, lost, 1 - lost, 0.1, zero, meanAbs, Double.NaN, changed, zero, Double.NaN),
                new MechanismSummary.Epoch(2, lost, 1 - lost, 0.1, zero, meanAbs, Double.NaN, changed, zero, Double.NaN));
    }

    static WhyText.ModelCase mlp(double quantChanged) {
        PairedComparison octalAhead = new PairedComparison(5, -33, -50, -16, 0.003, 0.06, 0.06, -2.5, 0.1, "");
        return new WhyText.ModelCase(new Target("mnist", "mlp", ""), "mnist-mlp-storage", octalAhead, 40, 73,
                epochs(0.999, 0.05, 0.018, quantChanged), epochs(0.98, 0.88, 0.002, 0.01), 33, 0.09);
    }

    static WhyText.ModelCase cnn(double quantChanged) {
        PairedComparison quantAhead = new PairedComparison(5, 15.7, 14.6, 16.9, 1e-5, 0.06, 0.06, 16, 1e-4, "");
        return new WhyText.ModelCase(new Target("fashion-mnist", "cnn", ""), "fashion-mnist-cnn-storage", quantAhead, 74.6, 58.9,
                epochs(0.999, 0.10, 0.011, quantChanged), epochs(0.995, 0.71, 0.003, 0.01), 29, 0.19);
    }

    @Test
    void eachModelSaysWhoLostMoreWhoDrainedAndWhichSignFollows() {
        String m = WhyText.model(mlp(0.0));
        assertTrue(m.contains("octal8 is ahead"), m);
        assertTrue(m.contains("quant8 lost more of its updates"), m);
        assertTrue(m.contains("octal8's weights drained toward zero"), m);
        assertTrue(m.contains("below the half step"), m);
        assertTrue(m.endsWith("Here losing more of its updates costs quant8 more than the drain costs octal8: truncation still moves octal8's weights."), m);
        String c = WhyText.model(cnn(0.05));
        assertTrue(c.contains("quant8 is ahead") && c.endsWith("Here the drain toward zero costs octal8 more than the lost updates cost quant8."), c);
    }

    @Test
    void theContrastStatesItsLinkOnlyWhenTheNumbersShowIt() {
        String shown = WhyText.contrast(mlp(0.0), cnn(0.05));
        assertTrue(shown.startsWith("The sign of quant8 − octal8 in storage mode differs: octal8 ahead for the MNIST MLP, quant8 ahead "
                + "for the Fashion-MNIST CNN."), shown);
        assertTrue(shown.contains("So where quant8 wins, enough of its updates cross half a grid step"), shown);
        assertTrue(shown.contains("it drains both networks"), shown);
        String notShown = WhyText.contrast(mlp(0.08), cnn(0.05));
        assertFalse(notShown.contains("So where quant8 wins"), notShown);
        assertTrue(notShown.contains("do not line up with the sign"), notShown);
        String same = WhyText.contrast(cnn(0.05), cnn(0.05));
        assertTrue(same.contains("nothing to contrast"), same);
    }
}
