package octoquant.cluster.sweep;

import octoquant.cluster.grid.BadSpecException;
import octoquant.experiments.DataError;
import octoquant.experiments.UserError;
import octoquant.experiments.cli.UsageException;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Sorts a run's failure into a status and a one-line message. */
final class Failures {
    private Failures() {}

    static RunOutcome.Status status(Throwable t) {
        if (t instanceof BadSpecException) return RunOutcome.Status.BAD_SPEC;
        if (t instanceof DataError || t instanceof octoquant.datasets.DataException) return RunOutcome.Status.DATA;
        return RunOutcome.Status.FAILED;
    }

    /** The message alone for failures the user can act on; the exception's class too for anything else. */
    static String message(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        boolean expected = t instanceof BadSpecException || t instanceof DataError || t instanceof UserError
                || t instanceof UsageException || t instanceof octoquant.datasets.DataException;
        if (expected && !m.isEmpty()) return m;
        if (t instanceof java.io.IOException && !m.isEmpty()) return "cannot use " + m + " (" + t.getClass().getSimpleName() + ")";
        return t.getClass().getName() + (m.isEmpty() ? "" : ": " + m);
    }

    /** The first line of the message and the exception's simple name, for problems with a file or a connection. */
    static String brief(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().strip().lines().findFirst().orElse("");
        return (m.isEmpty() ? "" : m + " ") + "(" + t.getClass().getSimpleName() + ")";
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
