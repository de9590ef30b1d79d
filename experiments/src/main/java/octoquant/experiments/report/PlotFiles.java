package octoquant.experiments.report;

import octoquant.experiments.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes each plot of a report as its own SVG file ({@code plots/01-training-loss-per-epoch.svg}, …), so
 * the figures can be linked from a README or a paper without a browser or a converter.
 */
public final class PlotFiles {
    private PlotFiles() {}

    private static final Pattern SVG = Pattern.compile("(?s)<svg [^>]*aria-label=\"([^\"]*)\".*?</svg>");

    /** Writes every inline SVG of {@code html} under {@code dir}; returns the files written. */
    public static List<Path> write(Path dir, String html) throws IOException {
        Files.createDirectories(dir);
        // The report is rewritten after every run and its plots renumber as it grows: drop the old set first.
        try (var old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.svg")).toList()) {
                Files.deleteIfExists(p);
            }
        }
        List<Path> out = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        int i = 0;
        while (m.find()) {
            String slug = m.group(1).replace("&amp;", "and").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("(^-|-$)", "");
            if (slug.length() > 60) slug = slug.substring(0, 60);
            Path f = dir.resolve(String.format(Locale.ROOT, "%02d-%s.svg", ++i, slug));
            AtomicFiles.writeString(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + m.group());
            out.add(f);
        }
        return out;
    }
}
