package octoquant.datasets.download;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Download progress on stderr: a redrawn bar on a terminal, a few plain lines otherwise (logs, CI).
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean interactive;
    private final String label;
    private final long total;
    private long lastDrawNanos;
    private int lastQuarter = -1;

    ProgressBar(PrintStream out, boolean interactive, String label, long total) {
        this.out = out;
        this.interactive = interactive;
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        if (out == null) return;
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDrawNanos < 100_000_000L && done != total) return;
            lastDrawNanos = now;
            out.print("\r" + line(done));
            out.flush();
        } else if (total > 0) {
            int quarter = (int) (4 * done / total);
            if (quarter > lastQuarter) {
                lastQuarter = quarter;
                out.println(line(done));
            }
        }
    }

    void finish(long done, String outcome) {
        if (out == null) return;
        if (interactive) out.print("\r" + line(done) + " " + outcome + "\n");
        else out.println(label + ": " + outcome + " (" + mb(done) + " MB)");
        out.flush();
    }

    private String line(long done) {
        if (total <= 0) return String.format(Locale.ROOT, "%s %8s MB", label, mb(done));
        int filled = (int) (WIDTH * done / total);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s MB", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), 100 * done / total, mb(done), mb(total));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
