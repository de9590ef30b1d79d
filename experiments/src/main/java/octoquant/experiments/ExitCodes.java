package octoquant.experiments;

import octoquant.experiments.cli.Usage;
import octoquant.experiments.cli.UsageException;

import java.io.PrintStream;

/** The process exit codes of the CLI and the mapping from failures to them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int DATA = 3;

    private ExitCodes() {}

    /** Prints the one-line message for {@code t} (plus a stack trace only if internal and debugging). */
    static int report(Throwable t, PrintStream err, boolean debug) {
        if (t instanceof UsageException u) {
            err.println("error: " + u.getMessage());
            err.println();
            err.print(Usage.text());
            return USAGE;
        }
        if (DataProblems.isDataProblem(t)) {
            err.println("data error: " + t.getMessage());
            return DATA;
        }
        if (t instanceof java.io.IOException io) {
            // A file the run must read or write: the user can fix the path or the permissions.
            err.println("error: cannot use " + io.getMessage() + " (" + io.getClass().getSimpleName() + ")");
            return INTERNAL;
        }
        if (t instanceof UserError u) {
            err.println("error: " + u.getMessage());
            return INTERNAL;
        }
        err.println("internal error: " + t + (debug ? "" : " (run with --debug for the stack trace)"));
        if (debug) t.printStackTrace(err);
        return INTERNAL;
    }
}
