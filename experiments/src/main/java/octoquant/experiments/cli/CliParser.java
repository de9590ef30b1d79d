package octoquant.experiments.cli;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.ModelKind;
import octoquant.experiments.run.OptimizerKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@code args} into {@link Options}, or throws a {@link UsageException} whose message is one line
 * naming the offending flag or value. Accepts {@code --flag value} and {@code --flag=value}.
 */
public final class CliParser {
    private CliParser() {}

    /** Options every training experiment takes. */
    private static final Set<String> TRAINING = Set.of("--data", "--out", "--epochs", "--seeds", "--seed-offset",
            "--batch-size", "--lr", "--optimizer", "--threads", "--methods", "--mode", "--model", "--limit-train",
            "--limit-test", "--resume", "--init-from");
    /** What an audit takes: its budget and the options that override it. */
    private static final Set<String> AUDIT = Set.of("--budget", "--data", "--out", "--seeds", "--epochs", "--limit-train",
            "--limit-test", "--threads", "--resume");

    public static Options parse(String[] args) throws UsageException {
        Options o = new Options();
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            o.help = true;
            // Still name the experiment when there is one, so help can be specific; never fail on help.
            if (args.length > 0) Experiment.byName(args[0]).ifPresent(e -> o.experiment = e);
            return o;
        }
        if (args.length == 0) throw new UsageException("no experiment given");
        String name = args[0];
        if (name.equals("--resume") || name.startsWith("--resume=")) {
            // "--resume DIR" alone: the folder's configuration names the experiment.
            String dir = name.contains("=") ? name.substring(name.indexOf('=') + 1) : args.length > 1 ? args[1] : "";
            if (dir.isBlank()) throw new UsageException("option --resume needs a directory");
            String[] named = new String[args.length + 1];
            named[0] = ResumeFolder.experimentOf(path("--resume", dir));
            System.arraycopy(args, 0, named, 1, args.length);
            return parse(named);
        }
        if (name.startsWith("-")) throw new UsageException("the experiment comes first, got option '" + name + "'");
        o.experiment = Experiment.byName(name).orElseThrow(() -> new UsageException(
                "unknown experiment '" + name + "' (expected one of: " + Experiment.names() + ")"));
        o.epochs = o.experiment.defaultEpochs();
        if (o.experiment == Experiment.CIFAR10) o.model = ModelKind.CNN;

        Set<String> seen = new HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || looksNumeric(a)) {
                positional.add(a);
                continue;
            }
            String flag = a, value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                flag = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (flag.equals("--debug")) {
                o.debug = true;
                continue;
            }
            if (!TRAINING.contains(flag) && !flag.equals("--bits") && !flag.equals("--budget")) {
                throw new UsageException("unknown option '" + flag + "'");
            }
            if (!applies(o.experiment, flag)) {
                throw new UsageException("option " + flag + " does not apply to '" + o.experiment.cliName() + "'");
            }
            if (!seen.add(flag)) throw new UsageException("option " + flag + " is given twice");
            if (value == null) {
                if (i + 1 >= args.length) throw new UsageException("option " + flag + " needs a value");
                value = args[++i];
            }
            set(o, flag, value);
        }
        checkPositional(o, positional);
        checkCombinations(o, seen);
        o.given = Set.copyOf(seen);
        return o;
    }

    private static boolean looksNumeric(String a) {
        try {
            Double.parseDouble(a);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean applies(Experiment e, String flag) {
        if (flag.equals("--bits")) return e == Experiment.QUANTIZE;
        if (e == Experiment.AUDIT) return AUDIT.contains(flag);
        if (flag.equals("--budget")) return false;
        if (e == Experiment.MERGE) return flag.equals("--out");
        return e.trains();
    }

    private static void set(Options o, String flag, String v) throws UsageException {
        switch (flag) {
            case "--data" -> o.data = path(flag, v);
            case "--out" -> o.out = path(flag, v);
            case "--resume" -> o.resume = path(flag, v);
            case "--init-from" -> o.initFrom = existingFile(flag, path(flag, v));
            case "--epochs" -> o.epochs = intIn(flag, v, 1, 100_000);
            case "--seeds" -> o.seeds = intIn(flag, v, 1, 1000);
            case "--seed-offset" -> o.seedOffset = intIn(flag, v, 0, 1_000_000_000);
            case "--batch-size" -> o.batchSize = intIn(flag, v, 1, 1 << 20);
            case "--threads" -> o.threads = intIn(flag, v, 1, 1024);
            case "--limit-train" -> o.limitTrain = intIn(flag, v, 1, Integer.MAX_VALUE);
            case "--limit-test" -> o.limitTest = intIn(flag, v, 1, Integer.MAX_VALUE);
            case "--bits" -> o.bits = bits(v);
            case "--budget" -> o.budget = oneOf(flag, v, "quick", "standard", "full");
            case "--lr" -> o.lr = learningRate(v);
            case "--optimizer" -> o.optimizer = OptimizerKind.parse(oneOf(flag, v, "adam", "sgd"));
            case "--mode" -> o.mode = TrainingMode.parse(oneOf(flag, v, "qat", "storage", "ptq"));
            case "--model" -> o.model = ModelKind.parse(oneOf(flag, v, "mlp", "cnn"));
            case "--methods" -> o.methods = methods(v);
            default -> throw new IllegalStateException("option " + flag + " has no handler");
        }
    }

    private static Path path(String flag, String v) throws UsageException {
        if (v.isBlank()) throw new UsageException("option " + flag + " needs a directory, got an empty value");
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("option " + flag + ": '" + v + "' is not a valid path");
        }
    }

    private static Path existingFile(String flag, Path p) throws UsageException {
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new UsageException("option " + flag + ": " + p + " is not a file (give a .safetensors file of the model's weights)");
        }
        return p;
    }

    static int intIn(String flag, String v, int min, int max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + flag + " needs a whole number, got '" + v + "'");
        }
        if (n < min) throw new UsageException("option " + flag + " must be at least " + min + ", got " + v);
        if (n > max) throw new UsageException("option " + flag + " must be at most " + max + ", got " + v);
        return (int) n;
    }

    private static int bits(String v) throws UsageException {
        // The same widths the storages pack (QuantScheme: 2..16).
        return intIn("--bits", v, 2, 16);
    }

    private static double learningRate(String v) throws UsageException {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --lr needs a number, got '" + v + "'");
        }
        if (!(d > 0) || !Double.isFinite(d) || d > 10) {
            throw new UsageException("option --lr must be a positive number up to 10, got " + v);
        }
        return d;
    }

    private static String oneOf(String flag, String v, String... allowed) throws UsageException {
        String lower = v.toLowerCase(Locale.ROOT);
        for (String a : allowed) if (a.equals(lower)) return a;
        throw new UsageException("option " + flag + " must be one of " + String.join("|", allowed) + ", got '" + v + "'");
    }

    private static List<Method> methods(String v) throws UsageException {
        LinkedHashMap<String, Method> out = new LinkedHashMap<>();
        for (String raw : v.split(",", -1)) {
            String m = raw.trim().toLowerCase(Locale.ROOT);
            if (m.isEmpty()) throw new UsageException("option --methods has an empty name in '" + v + "'");
            Method method;
            try {
                method = Method.parse(m);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (out.put(m, method) != null) throw new UsageException("option --methods names '" + m + "' twice");
        }
        return List.copyOf(out.values());
    }

    private static void checkPositional(Options o, List<String> positional) throws UsageException {
        switch (o.experiment) {
            case QUANTIZE -> {
                if (positional.isEmpty()) throw new UsageException("quantize needs at least one VALUE, e.g. quantize 0.75");
                for (String p : positional) {
                    if (p.startsWith("-") && !looksNumeric(p)) throw new UsageException("unknown option '" + p + "'");
                    double d;
                    try {
                        d = Double.parseDouble(p);
                    } catch (NumberFormatException e) {
                        throw new UsageException("quantize: '" + p + "' is not a number");
                    }
                    if (!Double.isFinite(d)) throw new UsageException("quantize: '" + p + "' is not a finite number");
                    // Codes are 32-bit integers, as the seed's astype(np.int32): keep w·(2^16 − 1) inside them.
                    if (Math.abs(d) > 1e4) throw new UsageException("quantize: '" + p + "' is outside -10000..10000");
                }
            }
            case MERGE -> {
                if (positional.isEmpty()) throw new UsageException("merge needs at least one RUN_DIR");
                for (String p : positional) {
                    if (p.startsWith("-")) throw new UsageException("unknown option '" + p + "'");
                }
            }
            default -> {
                if (!positional.isEmpty()) {
                    String p = positional.get(0);
                    if (p.startsWith("-")) throw new UsageException("unknown option '" + p + "'");
                    throw new UsageException("unexpected argument '" + p + "' for '" + o.experiment.cliName() + "'");
                }
            }
        }
        o.positional = List.copyOf(positional);
    }

    private static void checkCombinations(Options o, Set<String> given) throws UsageException {
        if (o.experiment == Experiment.CIFAR10 && o.model == ModelKind.MLP) {
            throw new UsageException("cifar10 runs the seed's CNN only; drop --model mlp");
        }
        if (o.experiment == Experiment.REGRESSION && given.contains("--model")) {
            throw new UsageException("regression has one model (an MLP); drop --model");
        }
        if (o.experiment == Experiment.REGRESSION && (given.contains("--limit-train") || given.contains("--limit-test"))) {
            throw new UsageException("regression data is generated; --limit-train/--limit-test do not apply");
        }
        if (o.experiment == Experiment.GRADIENTS && (given.contains("--methods") || given.contains("--mode"))) {
            throw new UsageException("gradients fixes its own methods and modes; drop --methods/--mode");
        }
        if (o.resume != null && given.contains("--out")) {
            throw new UsageException("--resume continues in the given directory; drop --out");
        }
        if (o.resume != null) {
            for (String f : given) {
                if (!f.equals("--resume") && !f.equals("--threads") && !f.equals("--data")) {
                    throw new UsageException("--resume uses the interrupted run's own configuration; drop " + f
                            + " (only --threads and --data may change)");
                }
            }
        }
        if (o.experiment == Experiment.REGRESSION && given.contains("--init-from")) {
            throw new UsageException("--init-from loads weights into the image models (mlp, cnn); regression has none to load");
        }
        if (o.experiment == Experiment.GRADIENTS && given.contains("--seeds")) {
            throw new UsageException("gradients runs one seed (pick it with --seed-offset)");
        }
    }
}
