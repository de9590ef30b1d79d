package octoquant.engine.quant;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.UpdateStats;

import octoquant.engine.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Locale;

/**
 * The closing note's table: MNIST MLP after 3 epochs, test accuracy for each scheme in each training mode
 * and the bytes of its weight matrices. Slow (19 trainings, about 4 minutes on 2 cores), so only on request:
 * {@code mvn -B -ntp -q -pl engine test -Dtest=MnistQuantFigures -Doctoquant.figures=true}.
 */
@EnabledIfSystemProperty(named = "octoquant.figures", matches = "true")
class MnistQuantFigures {
    @Test
    void table() {
        int epochs = Integer.getInteger("octoquant.figures.epochs", 3);
        long seed = Long.getLong("octoquant.figures.seed", 11);
        MnistData train = MnistData.train(), test = MnistData.test();
        MnistTraining.Result fp = MnistTraining.train(train, epochs, QuantScheme.FLOAT, TrainingMode.PTQ, seed);
        double floatAcc = MnistTraining.accuracy(fp.model(), test);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "MNIST MLP 784-128-10, Adam 1e-3, batch 64, %d epochs, seed %d%n", epochs, seed));
        out.append("| method | qat | storage | ptq | weight bytes | storage-mode updates lost | storage-mode clips | train s qat/storage |\n|---|---|---|---|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| float | %.2f | %.2f | %.2f | %d | - | - | %.0f |%n", floatAcc, floatAcc, floatAcc,
                MnistTraining.weightBytes(fp.model()), fp.seconds()));
        for (String name : List.of("quant8", "octal8", "int8-pc", "int4-pc", "int8-fixed-stochastic", "int8-pc-stochastic", "int4-pc-stochastic")) {
            QuantScheme scheme = QuantScheme.parse(name);
            MnistTraining.Result qat = MnistTraining.train(train, epochs, scheme, TrainingMode.QAT, seed);
            MnistTraining.Result sto = MnistTraining.train(train, epochs, scheme, TrainingMode.STORAGE, seed);
            Module ptq = MnistTraining.copyOf(fp.model(), seed);
            Quantization.ptq(ptq.parameters(), scheme);
            UpdateStats total = UpdateStats.NONE;
            for (UpdateStats s : sto.perStepUpdates()) total = total.plus(s);
            long overflow = 0;
            for (var p : ptq.parameters()) if (p.storage() instanceof QuantizedStorage q) overflow += q.overflowCount();
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d%s | %.1f%% (%d applied, %d lost) | %d | %.0f/%.0f |%n", name,
                    MnistTraining.accuracy(qat.model(), test), MnistTraining.accuracy(sto.model(), test),
                    MnistTraining.accuracy(ptq, test), MnistTraining.weightBytes(ptq),
                    overflow > 0 ? " (" + overflow + " overflow)" : "",
                    100 * total.lostFraction(), total.applied(), total.lost(), total.clipped(), qat.seconds(), sto.seconds()));
            System.out.print(out);
            out.setLength(0);
        }
        System.out.print(out);
    }
}
