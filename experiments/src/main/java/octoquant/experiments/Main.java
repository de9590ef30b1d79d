package octoquant.experiments;

import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.Options;
import octoquant.experiments.cli.Usage;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.io.OutputLock;
import octoquant.experiments.launch.StopSignal;
import octoquant.experiments.launch.VectorRelaunch;

import java.io.PrintStream;

/**
 * {@code java -jar experiments.jar <experiment> [options]}: parses the command line, maps every failure to
 * its exit code (0 ok, 1 failed, 2 bad command line or refused, 3 data problem, 130/143 stopped by Ctrl-C or
 * SIGTERM) and a one-line message, and runs the experiment. Stack traces are shown only for internal errors
 * and only with {@code --debug} or {@code OCTOQUANT_DEBUG=1}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (VectorRelaunch.shouldRelaunch()) {
            int code = VectorRelaunch.relaunch(Main.class, args);
            if (code >= 0) exit(code);
        }
        StopSignal.install();
        int code = run(args, System.out, System.err);
        StopSignal.finished();
        exit(code);
    }

    /**
     * Ends the JVM with {@code code}, unless it is already ending on SIGTERM or Ctrl-C: then it halts with
     * 143 or 130 once the shutdown hooks return, and an exit call here could halt first with another status.
     */
    private static void exit(int code) {
        if (StopSignal.shuttingDown() || VectorRelaunch.launcherStopping()) StopSignal.awaitHalt();
        System.exit(code);
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
        OutputLock.forgetMostRecent();
        try {
            Commands.run(options, out, err);
            if (StopSignal.requested()) {
                out.flush();
                err.println("note: " + StopSignal.reason() + " as the command ended; its output is complete");
            }
            return ExitCodes.OK;
        } catch (Throwable t) {
            if (out == System.out && System.console() != null) out.print("\r\033[K"); // end a progress bar
            out.flush();
            return ExitCodes.report(t, err, debug, Recovery.of(options));
        } finally {
            out.flush();
            err.flush();
        }
    }
}
