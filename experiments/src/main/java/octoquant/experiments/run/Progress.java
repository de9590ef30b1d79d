package octoquant.experiments.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Reports training progress. On a terminal: one bar per epoch redrawn in place (examples/s, running loss,
 * time left); otherwise (CI, files, pipes): one plain line per finished epoch.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private String label = "";
    private int total;
    private long startNanos;
    private long lastDraw;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A terminal when the JVM has a console and stdout is it. */
    public static Progress forConsole(PrintStream out) {
        return new Progress(out, System.console() != null && out == System.out);
    }

    public void startEpoch(String label, int totalExamples) {
        this.label = label;
        this.total = totalExamples;
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
    }

    /** After each batch: {@code done} examples so far, running mean loss. */
    public void batch(int done, double loss) {
        if (!terminal) return;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done < total) return;
        lastDraw = now;
        double secs = (now - startNanos) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        double eta = (total - done) / Math.max(rate, 1e-9);
        int width = 28;
        int filled = (int) Math.round(width * (double) done / Math.max(1, total));
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %,8.0f ex/s loss %.4f eta %4.0fs ", label,
                "=".repeat(filled), " ".repeat(width - filled), 100L * done / Math.max(1, total), rate, loss, eta));
        out.flush();
    }

    /** The epoch's summary line (ends the bar on a terminal). */
    public void endEpoch(String summary) {
        if (terminal) out.print("\r\033[K");
        out.println(label + " " + summary);
        out.flush();
    }

    public void line(String s) {
        out.println(s);
        out.flush();
    }
}
