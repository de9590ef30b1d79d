package octoquant.cluster.sweep;

/** The exit codes of {@code octoquant-cluster.jar}. */
public final class ExitCode {
    public static final int OK = 0;
    /** A run failed on the executors, or an internal error. */
    public static final int FAILED = 1;
    /** A bad command line: sweep options or experiment arguments. */
    public static final int USAGE = 2;
    /** A data set is missing or corrupt. */
    public static final int DATA = 3;
    /** The Spark master cannot be reached, or no executor registered in time. */
    public static final int MASTER = 4;
    /** The output path cannot be written (or the driver cannot see what executors wrote there). */
    public static final int OUTPUT = 5;
    /** A grid spec that this build cannot read. */
    public static final int BAD_SPEC = 6;

    private ExitCode() {}
}
