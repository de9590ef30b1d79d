package octoquant.experiments.report;

import com.sun.net.httpserver.HttpServer;
import octoquant.experiments.index.RenderRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The reports as a reader sees them: freshly rendered (the committed runs' results.json through the same
 * command that renders the committed reports, a synthetic storage-mode run with six methods, and the committed
 * audit's report with its plots), opened in
 * Debian's headless chromium at 1280 px, measured by a test-only harness page and screenshotted. Checks:
 * no horizontal scroll; every plot inside the page width and every drawn element inside its plot; every
 * plot area drawn (not blank) with every series' colour visible in it; nothing at the right edge of the
 * screenshot; each method one colour in every plot, key and report, and the palette's colours for the
 * seed's methods. Screenshots stay in {@code target/browser/screenshots/}. Without chromium the test is
 * skipped, except under CI ({@code CI} set), where that is a failure.
 */
class BrowserReportTest {
    static final int WIDTH = 1280;
    /** Taller screenshots take chromium minutes; the longest report (the audit's, about 24,000 px) is below. */
    static final int MAX_HEIGHT = 30_000;
    static final Path ROOT = Path.of("target", "browser");
    static final Path SHOTS = ROOT.resolve("screenshots");

    private static HeadlessChromium chromium;
    private static HttpServer server;
    private static String base;
    private static final Map<String, PageLayout> layouts = new HashMap<>();
    private static final List<String> PAGES = List.of("runs/mnist/report.html", "runs/fashion-mnist-cnn/report.html",
            "runs/gradients/report.html", "synthetic/report.html", "runs/index.html", "audit/report.html");

    @BeforeAll
    static void renderReportsAndServeThem() throws Exception {
        Optional<HeadlessChromium> found = HeadlessChromium.find(Path.of("target", "chromium-profiles"));
        if (found.isEmpty()) {
            String how = "install Debian's chromium (scripts/test.sh does when run as root: apt-get install chromium)";
            if (System.getenv("CI") != null) fail("chromium is not installed, and under CI the browser checks must run; " + how);
            Assumptions.abort("chromium is not installed; the real-browser report checks are skipped; " + how);
        }
        deleteTree(ROOT);
        Files.createDirectories(SHOTS);
        chromium = found.get();
        // The committed runs, rendered from their results.json by the command that renders the committed reports.
        Path runs = ROOT.resolve("runs");
        try (Stream<Path> dirs = Files.list(Path.of("docs", "runs"))) {
            for (Path d : dirs.filter(p -> Files.isRegularFile(p.resolve("results.json"))).toList()) {
                Path to = Files.createDirectories(runs.resolve(d.getFileName().toString()));
                for (String f : List.of("results.json", "console.log")) {
                    if (Files.isRegularFile(d.resolve(f))) Files.copy(d.resolve(f), to.resolve(f));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = RenderRuns.run(new String[] {runs.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "RenderRuns: " + err.toString(StandardCharsets.UTF_8));
        // The committed audit's report as the audit wrote it (its merge is not a plain render of a results.json).
        Path audit = Files.createDirectories(ROOT.resolve("audit").resolve("plots"));
        Path committedAudit = Path.of("docs", "runs", "audit-quick");
        Files.copy(committedAudit.resolve("report.html"), audit.getParent().resolve("report.html"));
        try (Stream<Path> svgs = Files.list(committedAudit.resolve("plots"))) {
            for (Path svg : svgs.toList()) Files.copy(svg, audit.resolve(svg.getFileName()));
        }
        Path synthetic = Files.createDirectories(ROOT.resolve("synthetic"));
        String html = HtmlReport.render(SampleResults.storageMethods());
        Files.writeString(synthetic.resolve("report.html"), html);
        PlotFiles.write(synthetic.resolve("plots"), html);
        try (InputStream in = BrowserReportTest.class.getResourceAsStream("harness.html")) {
            Files.write(ROOT.resolve("harness.html"), in.readAllBytes());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Path root = ROOT.toAbsolutePath().normalize();
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            byte[] body = file.startsWith(root) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type", name.endsWith(".svg") ? "image/svg+xml"
                    : name.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                if (body != null) os.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        // One browser start measures every page.
        String dom = chromium.dumpDom(base + "harness.html?reports=" + String.join(",", PAGES), WIDTH + 40, 900);
        layouts.putAll(PageLayout.fromDom(dom));
        for (String page : PAGES) assertNotNull(layouts.get(page), "the harness measured " + page);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void classificationReport() throws Exception {
        checkReport("classification", "runs/mnist/report.html");
    }

    @Test
    void storageModeReportWithSixMethods() throws Exception {
        checkReport("classification-storage", "synthetic/report.html");
    }

    @Test
    void auditReport() throws Exception {
        checkReport("audit", "audit/report.html");
    }

    @Test
    void gradientsReport() throws Exception {
        checkReport("gradients", "runs/gradients/report.html");
    }

    @Test
    void runsIndex() throws Exception {
        PageLayout l = layout("runs/index.html");
        assertNoHorizontalScroll("index", l);
        assertFalse(l.swatches().isEmpty(), "the index shows each method's colour");
        for (PageLayout.Swatch s : l.swatches()) {
            assertEquals(expectedColour(s.name()), s.colour(), "index swatch of " + s.name());
        }
        Path png = screenshot("index", "runs/index.html", l);
        assertRightEdgeEmpty("index", Pixels.read(png));
    }

    @Test
    void aMethodHasOneColourInEveryReport() throws Exception {
        Map<String, Set<String>> colours = new TreeMap<>();
        for (String page : PAGES) coloursByName(layout(page), colours);
        for (Map.Entry<String, Set<String>> e : colours.entrySet()) {
            assertEquals(1, e.getValue().size(), e.getKey() + " is drawn in " + e.getValue());
        }
        // The palette (Okabe-Ito): the seed's methods, and the int schemes by rounding whatever the width and mode.
        assertEquals(Set.of("#000000"), colours.get("float"));
        assertEquals(Set.of("#0072B2"), colours.get("quant8"));
        assertEquals(Set.of("#D55E00"), colours.get("octal8"));
        assertEquals(colours.get("storage int4 nearest"), colours.get("int8-pc"));
        assertEquals(colours.get("qat int8 nearest"), colours.get("int8-pc"));
        assertEquals(colours.get("storage int6 zero"), colours.get("int8-fixed-zero"));
        assertEquals(colours.get("storage int8 stochastic"), colours.get("int4-pc-stochastic"));
        Set<String> distinct = new TreeSet<>();
        for (String n : List.of("float", "quant8", "octal8", "int8-pc", "int8-fixed-zero", "int4-pc-stochastic")) {
            distinct.addAll(colours.get(n));
        }
        assertEquals(6, distinct.size(), "six scheme families, six colours: " + distinct);
    }

    @Test
    void aPlotFileOpenedOnItsOwnIsDrawnInTheSameColours() throws Exception {
        Path file;
        try (Stream<Path> s = Files.list(ROOT.resolve("runs/gradients/plots"))) {
            file = s.filter(p -> p.getFileName().toString().startsWith("01-")).findFirst().orElseThrow();
        }
        String svg = Files.readString(file);
        int width = Integer.parseInt(svg.replaceAll("(?s).*?<svg [^>]*width=\"(\\d+)\".*", "$1"));
        int height = Integer.parseInt(svg.replaceAll("(?s).*?<svg [^>]*height=\"(\\d+)\".*", "$1"));
        Path png = SHOTS.resolve("plot-file.png");
        chromium.screenshot(base + ROOT.relativize(file).toString().replace('\\', '/'), width, height, png);
        Pixels p = Pixels.read(png);
        // The main frame as the file states it: <rect x=.. y=.. width=.. height=.. class="frame">.
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<rect x=\"([\\d.]+)\" y=\"([\\d.]+)\" width=\"([\\d.]+)\" height=\"([\\d.]+)\" class=\"frame\"")
                .matcher(svg);
        assertTrue(m.find(), "the plot file has a frame");
        double l = Double.parseDouble(m.group(1)), t = Double.parseDouble(m.group(2));
        double r = l + Double.parseDouble(m.group(3)), b = t + Double.parseDouble(m.group(4));
        assertTrue(p.ink(l, t, r, b, 3) > 300, "the plot file's area is drawn");
        PageLayout report = layout("runs/gradients/report.html");
        PageLayout.Plot first = report.plots().get(0);
        for (PageLayout.Group g : first.groups()) {
            if (!g.kind().equals("series")) continue;
            int rgb = Integer.parseInt(g.colours().get(0).substring(1), 16);
            assertTrue(p.near(l, t, r, b, 2, rgb, 40) >= 10,
                    g.name() + " (" + g.colours() + ") is visible in the plot file as in the report");
        }
    }

    // --- the checks of one report page -------------------------------------------------------------

    private void checkReport(String type, String page) throws Exception {
        PageLayout l = layout(page);
        assertNoHorizontalScroll(type, l);
        String html = Files.readString(ROOT.resolve(page));
        int svgs = html.split("<svg ", -1).length - 1;
        assertTrue(svgs > 0, type + " has plots");
        assertEquals(svgs, l.plots().size(), type + ": every plot is laid out");
        assertEquals(List.of(), l.outside(), type + ": elements drawn outside their plot (cut off)");
        for (PageLayout.Plot p : l.plots()) {
            assertTrue(p.box().left() >= 0 && p.box().right() <= l.clientWidth(),
                    type + ": '" + p.title() + "' lies inside the page width: " + p.box());
            assertFalse(p.frames().isEmpty(), type + ": '" + p.title() + "' has a plot area");
        }
        Map<String, Set<String>> colours = coloursByName(l, new TreeMap<>());
        for (Map.Entry<String, Set<String>> e : colours.entrySet()) {
            assertEquals(Set.of(expectedColour(e.getKey())), e.getValue(),
                    type + ": " + e.getKey() + " in every plot and key in its own colour");
        }
        Path png = screenshot(type, page, l);
        Pixels px = Pixels.read(png);
        for (PageLayout.Plot p : l.plots()) {
            for (int f = 0; f < p.frames().size(); f++) {
                PageLayout.Box b = p.frames().get(f);
                String where = type + ": '" + p.title() + "' panel " + (f + 1);
                // The frame's border is where the layout says: screenshot and measurements agree.
                int column = (int) Math.round(b.left());
                int border = Math.min(px.darkest(column - 1, b.top() + 5, b.bottom() - 5),
                        Math.min(px.darkest(column, b.top() + 5, b.bottom() - 5), px.darkest(column + 1, b.top() + 5, b.bottom() - 5)));
                assertTrue(border < 170, where + ": no frame border at x = " + column + " in the screenshot");
                int ink = px.ink(b.left(), b.top(), b.right(), b.bottom(), 3);
                assertTrue(ink > (f == 0 ? 300 : 100), where + " is blank (" + ink + " drawn pixels)");
            }
            PageLayout.Box main = p.frames().get(0);
            for (PageLayout.Group g : p.groups()) {
                if (!g.kind().equals("series") || g.colours().isEmpty()) continue;
                int rgb = Integer.parseInt(g.colours().get(0).substring(1), 16);
                // The plot area and the few pixels around it where a line along the frame (a share stuck at 1) is drawn.
                int seen = px.near(main.left(), main.top(), main.right(), main.bottom(), -4, rgb, 40);
                assertTrue(seen >= 10, type + ": '" + p.title() + "': " + g.name() + " (" + g.colours().get(0)
                        + ") is hidden; only " + seen + " pixels of its colour in the plot area");
            }
        }
        assertRightEdgeEmpty(type, px);
    }

    private static void assertNoHorizontalScroll(String type, PageLayout l) {
        assertEquals(WIDTH, l.clientWidth(), 0.5, type + ": laid out at " + WIDTH + " px");
        assertTrue(l.scrollWidth() <= l.clientWidth() && l.bodyScrollWidth() <= l.clientWidth(),
                type + ": the page scrolls sideways (scroll width " + l.scrollWidth() + ", body " + l.bodyScrollWidth()
                        + ", window " + l.clientWidth() + ")");
    }

    /** Nothing drawn in the last 6 pixel columns: the page's content ends well inside the window. */
    private static void assertRightEdgeEmpty(String type, Pixels px) {
        for (int x = px.width() - 6; x < px.width(); x++) {
            int darkest = px.darkest(x, 0, px.height());
            assertTrue(darkest > 235, type + ": something is drawn at the right edge (column " + x + ", darkest " + darkest + ")");
        }
    }

    private static Map<String, Set<String>> coloursByName(PageLayout l, Map<String, Set<String>> into) {
        for (PageLayout.Plot p : l.plots()) {
            for (PageLayout.Group g : p.groups()) into.computeIfAbsent(g.name(), k -> new TreeSet<>()).addAll(g.colours());
        }
        for (PageLayout.Swatch s : l.swatches()) into.computeIfAbsent(s.name(), k -> new TreeSet<>()).add(s.colour());
        into.values().removeIf(Set::isEmpty);
        return into;
    }

    /** The colour the style function gives a series label, as the browser reports colours (#RRGGBB). */
    private static String expectedColour(String label) {
        return MethodStyle.ofLabel(label).colour().toUpperCase(java.util.Locale.ROOT);
    }

    private static PageLayout layout(String page) {
        return layouts.get(page);
    }

    private static Path screenshot(String type, String page, PageLayout l) throws Exception {
        int height = (int) Math.ceil(l.contentHeight());
        assertTrue(height <= MAX_HEIGHT, type + " is " + height + " px tall; the screenshot stops at " + MAX_HEIGHT);
        Path png = SHOTS.resolve(type + ".png");
        chromium.screenshot(base + page, WIDTH, height, png);
        return png;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) Files.delete(p);
        }
    }
}
