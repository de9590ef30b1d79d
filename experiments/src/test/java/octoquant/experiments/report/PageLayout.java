package octoquant.experiments.report;

import octoquant.experiments.io.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the test harness page measured of a report laid out by the browser (see harness.html). */
record PageLayout(double scrollWidth, double clientWidth, double bodyScrollWidth, double contentHeight,
                  List<Plot> plots, List<Swatch> swatches, List<String> outside) {

    record Box(double left, double top, double right, double bottom) {}

    /** One series group of a plot: its name, its kind (series, band, key) and the colours it paints. */
    record Group(String name, String kind, List<String> colours) {}

    record Plot(String title, Box box, List<Box> frames, List<Group> groups) {}

    record Swatch(String name, String colour) {}

    /** Parses the harness's JSON out of chromium's DOM dump: one layout per page it loaded. */
    static Map<String, PageLayout> fromDom(String dom) {
        int start = dom.indexOf("<pre id=\"result\">"), end = dom.indexOf("</pre>", start);
        if (start < 0 || end < 0) throw new AssertionError("the harness wrote no result; DOM:\n" + dom);
        String text = dom.substring(start + "<pre id=\"result\">".length(), end)
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        if (!text.startsWith("{")) throw new AssertionError("the harness did not measure the pages: " + text);
        Map<String, PageLayout> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) Json.parse(text)).entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> page)) throw new AssertionError(e.getKey() + ": " + e.getValue());
            out.put((String) e.getKey(), of(page));
        }
        return out;
    }

    private static PageLayout of(Map<?, ?> m) {
        List<Plot> plots = new ArrayList<>();
        for (Object o : (List<?>) m.get("svgs")) {
            Map<?, ?> s = (Map<?, ?>) o;
            List<Box> frames = new ArrayList<>();
            for (Object f : (List<?>) s.get("frames")) frames.add(box(f));
            List<Group> groups = new ArrayList<>();
            for (Object g : (List<?>) s.get("series")) {
                Map<?, ?> gm = (Map<?, ?>) g;
                List<String> colours = new ArrayList<>();
                for (Object c : (List<?>) gm.get("colours")) colours.add((String) c);
                groups.add(new Group((String) gm.get("name"), (String) gm.get("kind"), colours));
            }
            plots.add(new Plot((String) s.get("title"), box(s.get("box")), frames, groups));
        }
        List<Swatch> swatches = new ArrayList<>();
        for (Object o : (List<?>) m.get("swatches")) {
            Map<?, ?> s = (Map<?, ?>) o;
            swatches.add(new Swatch((String) s.get("name"), (String) s.get("colour")));
        }
        List<String> outside = new ArrayList<>();
        for (Object o : (List<?>) m.get("outside")) outside.add(Json.write(o));
        return new PageLayout(num(m.get("scrollWidth")), num(m.get("clientWidth")), num(m.get("bodyScrollWidth")),
                num(m.get("contentHeight")), plots, swatches, outside);
    }

    private static Box box(Object o) {
        Map<?, ?> b = (Map<?, ?>) o;
        return new Box(num(b.get("left")), num(b.get("top")), num(b.get("right")), num(b.get("bottom")));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }
}
