package octoquant.experiments;

import octoquant.experiments.cli.Usage;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.io.OutputLock;
import octoquant.experiments.io.WriteFailure;
import octoquant.experiments.launch.StopSignal;
import octoquant.experiments.memory.HeapCheck;
import octoquant.experiments.memory.OutOfMemory;

import java.io.PrintStream;

/**
 * The process exit codes of the CLI and the mapping from failures to them. Every failure is one line; a
 * failure in the middle of a run also says what is kept and how to continue ({@link Recovery}).
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A failure: an unusable checkpoint, a write that failed, memory that ran out, an internal error. */
    public static final int INTERNAL = 1;
    /** A bad command line (then the usage), or a run refused before it starts (folder in use, too little heap). */
    public static final int USAGE = 2;
    public static final int DATA = 3;
    /** Stopped by Ctrl-C (the JVM's own status for SIGINT). */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (the JVM's own status for it), or because the launching JVM ended. */
    public static final int TERMINATED = 143;

    private ExitCodes() {}

    private static boolean outOfSpace(java.io.IOException e) {
        String m = e instanceof java.nio.file.FileSystemException fs ? fs.getReason() : e.getMessage();
        return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
    }

    /** Prints the one-line message for {@code t} (plus a stack trace only if internal and debugging). */
    static int report(Throwable t, PrintStream err, boolean debug, Recovery recovery) {
        if (t instanceof UsageException u) {
            err.println("error: " + u.getMessage());
            err.println();
            err.print(Usage.text());
            return USAGE;
        }
        if (t instanceof StopSignal.StopRequested s) {
            err.println(s.getMessage() + ", between two batches (nothing half-written); " + recovery.kept() + "; "
                    + recovery.howToContinue(null, ""));
            return TERMINATED;
        }
        if (t instanceof OutputLock.FolderInUseException || t instanceof HeapCheck.TooLittleHeap) {
            err.println("error: " + t.getMessage());
            return USAGE;
        }
        if (t instanceof OutOfMemoryError oom) {
            OutOfMemory memory = OutOfMemory.of(oom);
            err.println("error: " + memory.what() + "; " + recovery.kept() + "; "
                    + recovery.howToContinue(memory.fix(), memory.jvmOption()));
            return INTERNAL;
        }
        if (t instanceof java.io.IOException io && !(t instanceof WriteFailure) && outOfSpace(io)) {
            // A write this program does not route through its writers (a folder made on a full disk): same message.
            String file = io instanceof java.nio.file.FileSystemException fs && fs.getFile() != null ? fs.getFile()
                    : recovery.folder() != null ? recovery.folder().toString() : "the output folder";
            t = WriteFailure.of(java.nio.file.Path.of(file), io);
        }
        if (t instanceof WriteFailure w) {
            err.println("error: " + w.getMessage() + "; " + recovery.kept() + "; "
                    + recovery.howToContinue(w.fix(), ""));
            return INTERNAL;
        }
        if (DataProblems.isDataProblem(t)) {
            err.println("data error: " + t.getMessage());
            return DATA;
        }
        if (t instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            err.println("error: cannot use " + fs.getFile() + ": " + fs.getReason());
            return INTERNAL;
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
