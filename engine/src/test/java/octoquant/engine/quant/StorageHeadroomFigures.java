package octoquant.engine.quant;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.UpdateStats;

import octoquant.engine.nn.Models;
import octoquant.engine.nn.Module;
import octoquant.engine.param.Parameter;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Locale;

/**
 * Storage-mode training with the frozen step calibrated with and without headroom: MNIST MLP, test
 * accuracy, clips and lost updates for each scheme (the schemes' names say the headroom: {@code -h1} is
 * the old calibration on the initial weights' extremes). Also how far float training moves each row's
 * largest weight past its initial value, which is what the headroom has to cover. Slow, on request:
 * {@code mvn -B -ntp -q -pl engine test -Dtest=StorageHeadroomFigures -Doctoquant.figures=true}
 * ({@code -Doctoquant.figures.schemes=int8-pc-h1,int8-pc} to choose the rows).
 */
@EnabledIfSystemProperty(named = "octoquant.figures", matches = "true")
class StorageHeadroomFigures {
    @Test
    void table() {
        int epochs = Integer.getInteger("octoquant.figures.epochs", 3);
        long seed = Long.getLong("octoquant.figures.seed", 11);
        String schemes = System.getProperty("octoquant.figures.schemes",
                "int8-pc-h1,int8-pc,int4-pc-h1,int4-pc,int8-pc-stochastic-h1,int8-pc-stochastic");
        MnistData train = MnistData.train(), test = MnistData.test();
        MnistTraining.Result fp = MnistTraining.train(train, epochs, QuantScheme.FLOAT, TrainingMode.PTQ, seed);
        System.out.printf(Locale.ROOT, "MNIST MLP, Adam 1e-3, batch 64, %d epochs, seed %d: float %.2f%%; %s%n", epochs, seed,
                MnistTraining.accuracy(fp.model(), test), growth(fp.model(), Models.mlp(new Rng(seed))));
        System.out.println("| scheme (storage mode) | test accuracy | clips | updates lost | train s |\n|---|---|---|---|---|");
        for (String name : schemes.split(",")) {
            QuantScheme scheme = QuantScheme.parse(name);
            MnistTraining.Result sto = MnistTraining.train(train, epochs, scheme, TrainingMode.STORAGE, seed);
            UpdateStats total = UpdateStats.NONE;
            for (UpdateStats s : sto.perStepUpdates()) total = total.plus(s);
            System.out.printf(Locale.ROOT, "| %s (headroom %s) | %.2f | %d | %.1f%% | %.0f |%n", name, scheme.storageHeadroom(),
                    MnistTraining.accuracy(sto.model(), test), total.clipped(), 100 * total.lostFraction(), sto.seconds());
        }
    }

    /** Per weight matrix: the largest ratio, and the median, of a row's final max |w| to its initial one. */
    private static String growth(Module trained, Module initial) {
        StringBuilder out = new StringBuilder("row max|w| growth final/initial (median, max):");
        List<Parameter> a = trained.parameters(), b = initial.parameters();
        for (int k = 0; k < a.size(); k++) {
            if (Quantization.isBias(a.get(k))) continue;
            float[] fin = a.get(k).storage().decodeAll(), ini = b.get(k).storage().decodeAll();
            int rows = a.get(k).storage().rows(), cols = a.get(k).storage().cols();
            double[] ratio = new double[rows];
            for (int r = 0; r < rows; r++) {
                double mf = 0, mi = 0;
                for (int c = 0; c < cols; c++) {
                    mf = Math.max(mf, Math.abs(fin[r * cols + c]));
                    mi = Math.max(mi, Math.abs(ini[r * cols + c]));
                }
                ratio[r] = mf / mi;
            }
            java.util.Arrays.sort(ratio);
            out.append(String.format(Locale.ROOT, " %s %.2f, %.2f;", a.get(k).name(), ratio[rows / 2], ratio[rows - 1]));
        }
        return out.toString();
    }
}
