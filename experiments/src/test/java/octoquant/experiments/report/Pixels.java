package octoquant.experiments.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a screenshot and counts pixels in boxes given in CSS pixels (one device pixel each). */
final class Pixels {
    /** A pixel farther than this from white in some channel is ink (the light grid lines are not). */
    static final int INK = 60;

    private final BufferedImage image;

    private Pixels(BufferedImage image) {
        this.image = image;
    }

    static Pixels read(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) throw new IOException(png + " is not an image");
        return new Pixels(img);
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    /** Pixels of ink inside [left, right) × [top, bottom) shrunk by {@code inset} on every side. */
    int ink(double left, double top, double right, double bottom, int inset) {
        int n = 0;
        for (int y = lo(top, inset, height()); y < hi(bottom, inset, height()); y++) {
            for (int x = lo(left, inset, width()); x < hi(right, inset, width()); x++) {
                int c = image.getRGB(x, y);
                int r = (c >> 16) & 255, g = (c >> 8) & 255, b = c & 255;
                if (255 - Math.min(r, Math.min(g, b)) > INK) n++;
            }
        }
        return n;
    }

    /** Pixels inside the box (shrunk by {@code inset}) within Euclidean RGB distance {@code tolerance} of {@code rgb}. */
    int near(double left, double top, double right, double bottom, int inset, int rgb, double tolerance) {
        int n = 0;
        int r0 = (rgb >> 16) & 255, g0 = (rgb >> 8) & 255, b0 = rgb & 255;
        for (int y = lo(top, inset, height()); y < hi(bottom, inset, height()); y++) {
            for (int x = lo(left, inset, width()); x < hi(right, inset, width()); x++) {
                int c = image.getRGB(x, y);
                double dr = ((c >> 16) & 255) - r0, dg = ((c >> 8) & 255) - g0, db = (c & 255) - b0;
                if (Math.sqrt(dr * dr + dg * dg + db * db) <= tolerance) n++;
            }
        }
        return n;
    }

    /** The darkest channel value in column x between the rows (0 black, 255 white). */
    int darkest(int x, double top, double bottom) {
        int min = 255;
        for (int y = lo(top, 0, height()); y < hi(bottom, 0, height()); y++) {
            int c = image.getRGB(x, y);
            min = Math.min(min, Math.min((c >> 16) & 255, Math.min((c >> 8) & 255, c & 255)));
        }
        return min;
    }

    private static int lo(double v, int inset, int limit) {
        return Math.max(0, Math.min(limit, (int) Math.ceil(v) + inset));
    }

    private static int hi(double v, int inset, int limit) {
        return Math.max(0, Math.min(limit, (int) Math.floor(v) - inset));
    }
}
