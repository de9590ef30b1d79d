package octoquant.cluster.store;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a sweep writes: a plain path (used directly by the driver and every executor, so on several machines it
 * must be a mount they share at the same path) or a Hadoop file system URI such as {@code hdfs://nn:8020/runs}
 * or {@code file:///data/runs} (executors run in a local work directory and copy files to and from it).
 */
public final class OutputLocation implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern URI_FORM = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]+:/.*");

    private final String text;
    private final boolean hadoop;

    private OutputLocation(String text, boolean hadoop) {
        this.text = text;
        this.hadoop = hadoop;
    }

    /**
     * Reads {@code --out}: a URI when it starts with a scheme and ":/", else a path (made absolute against the
     * driver's working directory).
     *
     * @throws IllegalArgumentException when it is neither a valid URI nor a valid path
     */
    public static OutputLocation parse(String text) {
        if (text.isBlank()) throw new IllegalArgumentException("the output path is empty");
        if (URI_FORM.matcher(text).matches()) {
            try {
                URI uri = new URI(text);
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw new IllegalArgumentException(text + " names no directory (add a path after the host)");
                }
                return new OutputLocation(uri.normalize().toString(), true);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(text + " is not a valid URI: " + e.getReason());
            }
        }
        try {
            return new OutputLocation(Path.of(text).toAbsolutePath().normalize().toString(), false);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(text + " is not a valid path: " + e.getReason());
        }
    }

    /** True when executors work in a local directory and copy to and from the output. */
    public boolean staged() {
        return hadoop;
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * Opens the output. {@code hadoopSettings} are Hadoop configuration entries (Spark's {@code spark.hadoop.*}
     * settings without the prefix) on top of what the JVM's Hadoop configuration files say.
     */
    public OutputStore open(Map<String, String> hadoopSettings) throws IOException {
        if (!hadoop) return new LocalStore(Path.of(text));
        Configuration conf = new Configuration();
        // file:// without checksum side files: the output holds exactly the files a run wrote.
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        conf.set("fs.AbstractFileSystem.file.impl", "org.apache.hadoop.fs.local.RawLocalFs");
        hadoopSettings.forEach(conf::set);
        return new HadoopStore(text, URI.create(text), conf);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputLocation l && l.text.equals(text) && l.hadoop == hadoop;
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
