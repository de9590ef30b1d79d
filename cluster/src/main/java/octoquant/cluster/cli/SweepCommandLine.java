package octoquant.cluster.cli;

import octoquant.cluster.grid.GridJobs;
import octoquant.cluster.sweep.SweepSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code sweep [options] [--] EXPERIMENT [experiment options]}. The sweep's options come first; the
 * experiment's command line starts after {@code --}, or at the first argument that is not a sweep option.
 */
public final class SweepCommandLine {
    /** Parsed arguments, or a request for help. */
    public record Parsed(SweepSettings settings, boolean help) {}

    private SweepCommandLine() {}

    public static Parsed parse(String[] args) throws CommandLineError {
        String master = null, out = null, job = GridJobs.DEFAULT;
        int runCores = 1;
        double connect = 30, executors = 180, sync = 30;
        boolean debug = false;
        Map<String, String> conf = new LinkedHashMap<>();
        List<String> experiment = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                experiment.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (!a.startsWith("--")) {
                experiment.addAll(Arrays.asList(args).subList(i, args.length));
                break;
            }
            switch (a) {
                case "--help", "-h" -> {
                    return new Parsed(null, true);
                }
                case "--debug" -> debug = true;
                case "--master" -> master = value(args, i++);
                case "--out" -> out = value(args, i++);
                case "--job" -> job = value(args, i++);
                case "--run-cores" -> runCores = positiveInt(a, value(args, i++));
                case "--connect-timeout" -> connect = positiveSeconds(a, value(args, i++));
                case "--executor-timeout" -> executors = positiveSeconds(a, value(args, i++));
                case "--sync-interval" -> sync = positiveSeconds(a, value(args, i++));
                case "--conf" -> {
                    String kv = value(args, i++);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new CommandLineError("--conf " + kv + ": expected KEY=VALUE");
                    conf.put(kv.substring(0, eq).strip(), kv.substring(eq + 1));
                }
                default -> throw new CommandLineError("unknown sweep option " + a
                        + " (experiment options go after --, e.g. sweep --out runs -- mnist --seeds 3)");
            }
            i++;
        }
        if (out == null) throw new CommandLineError("--out is required: the directory (or URI) the sweep writes to and resumes from");
        if (experiment.isEmpty()) throw new CommandLineError("no experiment given (e.g. sweep --out runs -- mnist --seeds 3)");
        if (master != null && master.isBlank()) throw new CommandLineError("--master is empty");
        return new Parsed(new SweepSettings(master, out, runCores, conf, job, connect, executors, sync, debug, experiment), false);
    }

    private static String value(String[] args, int i) throws CommandLineError {
        if (i + 1 >= args.length || args[i + 1].equals("--")) throw new CommandLineError(args[i] + " needs a value");
        return args[i + 1];
    }

    private static int positiveInt(String flag, String v) throws CommandLineError {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new CommandLineError(flag + " " + v + ": expected a whole number >= 1");
    }

    private static double positiveSeconds(String flag, String v) throws CommandLineError {
        try {
            double s = Double.parseDouble(v.strip());
            if (s > 0 && Double.isFinite(s)) return s;
        } catch (NumberFormatException e) {
            // below
        }
        throw new CommandLineError(flag + " " + v + ": expected a number of seconds > 0");
    }
}
