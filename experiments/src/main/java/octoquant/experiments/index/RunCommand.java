package octoquant.experiments.index;

import octoquant.experiments.DataError;
import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.Options;
import octoquant.experiments.cli.UsageException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shortest command line that reproduces a run: the experiment and every option of its configuration
 * that differs from that experiment's default. The data location and the thread count are not part of a
 * configuration (they do not change the numbers) and are left out.
 */
final class RunCommand {
    private RunCommand() {}

    static final String JAR = "java -jar experiments/target/experiments.jar";

    /** @throws DataError when the configuration names no experiment the command line knows */
    static String of(Map<String, Object> config) {
        String experiment = String.valueOf(config.get("experiment"));
        Options defaults;
        try {
            defaults = CliParser.parse(new String[] {experiment});
        } catch (UsageException e) {
            throw new DataError("the configuration names experiment '" + experiment + "', which this version does not know");
        }
        boolean gradients = experiment.equals("gradients");
        boolean regression = experiment.equals("regression");
        List<String> args = new ArrayList<>(List.of(JAR, experiment));
        if (!regression && !gradients) flag(args, "--model", config.get("model"), defaults.model.token());
        flag(args, "--epochs", config.get("epochs"), defaults.epochs);
        if (!gradients) {
            flag(args, "--methods", methods(config.get("methods")),
                    String.join(",", defaults.methods.stream().map(m -> m.name()).toList()));
            flag(args, "--mode", config.get("mode"), defaults.mode.token());
            flag(args, "--seeds", config.get("seeds"), defaults.seeds);
        }
        flag(args, "--seed-offset", config.get("seedOffset"), defaults.seedOffset);
        flag(args, "--batch-size", config.get("batchSize"), defaults.batchSize);
        flag(args, "--lr", config.get("lr"), defaults.lr);
        flag(args, "--optimizer", config.get("optimizer"), defaults.optimizer.token());
        flag(args, "--limit-train", config.get("limitTrain"), defaults.limitTrain);
        flag(args, "--limit-test", config.get("limitTest"), defaults.limitTest);
        return String.join(" ", args);
    }

    private static Object methods(Object v) {
        if (v instanceof List<?> l) {
            List<String> names = new ArrayList<>();
            for (Object o : l) names.add(String.valueOf(o));
            return String.join(",", names);
        }
        return v;
    }

    private static void flag(List<String> args, String flag, Object value, Object fallback) {
        if (value == null) return;
        String v = text(value), d = text(fallback);
        if (!v.equals(d)) {
            args.add(flag);
            args.add(v);
        }
    }

    /** Numbers as the command line writes them: 20, 0.001 (never 20.0 or 1.0E-3). */
    private static String text(Object o) {
        if (o instanceof Number n) return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
        return String.valueOf(o);
    }
}
