package octoquant.cluster.experiments;

import octoquant.experiments.cli.UsageException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An experiment command line as a sweep takes it: the options that belong to the sweep itself are refused with
 * the sweep's equivalent, and paths every executor reads ({@code --data}, {@code --init-from}) are made absolute
 * against the driver's working directory (an executor's working directory is somewhere else).
 */
final class SweepArgs {
    private static final Set<String> PATHS = Set.of("--data", "--init-from");

    private SweepArgs() {}

    static String[] normalize(String[] args) throws UsageException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String flag = a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            refuseSweepOption(flag);
            if (!PATHS.contains(flag)) {
                out.add(a);
            } else if (!flag.equals(a)) {
                out.add(flag + "=" + absolute(flag, a.substring(flag.length() + 1)));
            } else if (i + 1 < args.length) {
                out.add(flag);
                out.add(absolute(flag, args[++i]));
            } else {
                out.add(a); // "needs a value": the experiments' parser says so
            }
        }
        return out.toArray(String[]::new);
    }

    private static void refuseSweepOption(String flag) throws UsageException {
        switch (flag) {
            case "--out" -> throw new UsageException("--out after the experiment: the sweep's own --out (before --) is "
                    + "the experiment's output folder");
            case "--resume" -> throw new UsageException("--resume: a sweep resumes when it is started again with the "
                    + "same command and the same --out");
            case "--threads" -> throw new UsageException("--threads: each run of a sweep gets --run-cores threads "
                    + "(a sweep option, before --)");
            default -> {
                // an experiment option
            }
        }
    }

    private static String absolute(String flag, String value) throws UsageException {
        if (value.isBlank()) return value;
        try {
            return Path.of(value).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw new UsageException("option " + flag + ": '" + value + "' is not a valid path");
        }
    }
}
