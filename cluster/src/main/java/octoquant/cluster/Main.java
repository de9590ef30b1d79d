package octoquant.cluster;

import octoquant.cluster.cli.CommandLineError;
import octoquant.cluster.cli.SweepCommandLine;
import octoquant.cluster.cli.Usage;
import octoquant.cluster.launch.SparkJvm;
import octoquant.cluster.sweep.ExitCode;
import octoquant.cluster.sweep.Sweep;
import octoquant.cluster.sweep.SweepException;
import octoquant.experiments.DataError;
import octoquant.experiments.UserError;
import octoquant.experiments.cli.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar octoquant-cluster.jar sweep …} (or the same through spark-submit): parses the command line,
 * runs the sweep, and maps every failure to one line and an exit code ({@link ExitCode}). Stack traces only
 * with {@code --debug} or {@code OCTOQUANT_DEBUG=1}. Spark's own log goes to standard error at WARN; the sweep's
 * progress goes to standard output.
 */
public final class Main {
    static final String LOG_CONFIG = "octoquant-cluster-log4j2.properties";

    private Main() {}

    public static void main(String[] args) {
        if (SparkJvm.shouldRelaunch()) {
            int code = SparkJvm.relaunch(Main.class, args);
            if (code >= 0) System.exit(code);
        }
        // Before anything starts log4j: Spark's WARN lines on standard error, their stack traces only with --debug.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:" + LOG_CONFIG);
        }
        System.setProperty("octoquant.log.stackTraces", debugRequested(args) ? "full" : "none");
        System.exit(run(args, System.out, System.err));
    }

    private static boolean debugRequested(String[] args) {
        if (System.getenv("OCTOQUANT_DEBUG") != null) return true;
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--debug")) return true;
        }
        return false;
    }

    /** Runs a command and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(Usage.text());
            return args.length == 0 ? ExitCode.USAGE : ExitCode.OK;
        }
        if (!args[0].equals("sweep")) {
            err.println("error: unknown command " + args[0] + " (the command is: sweep)");
            err.println();
            err.print(Usage.text());
            return ExitCode.USAGE;
        }
        SweepCommandLine.Parsed parsed;
        try {
            parsed = SweepCommandLine.parse(Arrays.copyOfRange(args, 1, args.length));
        } catch (CommandLineError e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(Usage.text());
            return ExitCode.USAGE;
        }
        if (parsed.help()) {
            out.print(Usage.text());
            return ExitCode.OK;
        }
        boolean debug = parsed.settings().debug() || System.getenv("OCTOQUANT_DEBUG") != null;
        try {
            return Sweep.run(parsed.settings(), out, err);
        } catch (Throwable t) {
            return report(t, err, debug);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int report(Throwable t, PrintStream err, boolean debug) {
        int code;
        if (t instanceof SweepException s) {
            err.println("error: " + s.getMessage());
            code = s.exitCode();
        } else if (t instanceof UsageException u) {
            err.println("error: " + u.getMessage());
            code = ExitCode.USAGE;
        } else if (t instanceof DataError || t instanceof octoquant.datasets.DataException) {
            err.println("data error: " + t.getMessage());
            code = ExitCode.DATA;
        } else if (t instanceof UserError || t instanceof IOException) {
            err.println("error: " + t.getMessage());
            code = ExitCode.FAILED;
        } else {
            err.println("internal error: " + t + (debug ? "" : " (run with --debug for the stack trace)"));
            code = ExitCode.FAILED;
        }
        if (debug) t.printStackTrace(err);
        return code;
    }
}
