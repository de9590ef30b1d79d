package octoquant.experiments;

import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.Options;
import octoquant.experiments.cli.Usage;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.launch.VectorRelaunch;

import java.io.PrintStream;

/**
 * {@code java -jar experiments.jar <experiment> [options]}: parses the command line, maps every failure to
 * its exit code (0 ok, 1 internal, 2 bad command line, 3 data problem) and a one-line message, and runs the
 * experiment. Stack traces are shown only for internal errors and only with {@code --debug} or
 * {@code OCTOQUANT_DEBUG=1}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (VectorRelaunch.shouldRelaunch()) {
            int code = VectorRelaunch.relaunch(Main.class, args);
            if (code >= 0) System.exit(code);
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the program in this JVM and returns the exit code (tests call this directly). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = CliParser.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(Usage.text());
            return ExitCodes.USAGE;
        }
        if (options.help) {
            out.print(Usage.text());
            return ExitCodes.OK;
        }
        boolean debug = options.debug || System.getenv("OCTOQUANT_DEBUG") != null;
        try {
            Commands.run(options, out, err);
            return ExitCodes.OK;
        } catch (Throwable t) {
            return ExitCodes.report(t, err, debug);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
