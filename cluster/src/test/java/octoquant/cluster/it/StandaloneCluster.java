package octoquant.cluster.it;

import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 made of the Maven-resolved Spark jars on this test's class path:
 * a master and workers, each its own JVM, with no Spark distribution. Workers start executors themselves, as
 * {@code java -cp $SPARK_HOME/conf:$SPARK_HOME/jars/*:$SPARK_DIST_CLASSPATH}, so they get a SPARK_HOME with an
 * empty jars/, the class path's Spark jars in SPARK_DIST_CLASSPATH, and SPARK_SCALA_VERSION (without it every
 * executor launch fails). Everything binds to 127.0.0.1 (SPARK_LOCAL_IP). {@link #close} stops every JVM it
 * started, executors included.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int webPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final Map<String, String> env;

    private StandaloneCluster(Path dir, int port, int webPort, Process master, Map<String, String> env) {
        this.dir = dir;
        this.port = port;
        this.webPort = webPort;
        this.master = master;
        this.env = env;
    }

    /** Starts a master and {@code workers} workers of {@code cores} cores each, and waits until all are registered. */
    static StandaloneCluster start(Path dir, int workers, int cores, String workerMemory, long timeoutSeconds)
            throws Exception {
        Path home = sparkHome(dir.resolve("spark-home"));
        Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_DIST_CLASSPATH", sparkClassPath(), "SPARK_LOCAL_IP", "127.0.0.1");
        int port = freePort(), webPort = freePort();
        Process master = Processes.start(daemon(home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", Integer.toString(webPort)), env,
                dir.resolve("master.log").toFile());
        StandaloneCluster cluster = new StandaloneCluster(dir, port, webPort, master, env);
        try {
            for (int w = 1; w <= workers; w++) {
                Path work = Files.createDirectories(dir.resolve("worker" + w));
                cluster.workers.add(Processes.start(daemon(home, "org.apache.spark.deploy.worker.Worker", "--host",
                        "127.0.0.1", "--webui-port", "0", "--cores", Integer.toString(cores), "--memory", workerMemory,
                        "--work-dir", work.toString(), cluster.masterUrl()), env, dir.resolve("worker" + w + ".log").toFile()));
            }
            cluster.awaitWorkers(workers, timeoutSeconds);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static List<String> daemon(Path home, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(TestJvm.java()));
        cmd.addAll(TestJvm.sparkOptions());
        cmd.addAll(TestJvm.QUICK_START);
        cmd.addAll(List.of("-Xmx256m", "-cp", home.resolve("conf") + java.io.File.pathSeparator + sparkClassPath(), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * SPARK_HOME with an empty jars/ (workers build an executor's class path from it and from SPARK_DIST_CLASSPATH,
     * which gets the Spark jars of this class path) and a conf/ with a log configuration.
     */
    private static Path sparkHome(Path home) throws IOException {
        Files.createDirectories(home.resolve("jars"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("log4j2.properties"), """
                rootLogger.level = info
                rootLogger.appenderRef.stderr.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.target = SYSTEM_ERR
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
                """);
        return home;
    }

    /** The jars of this class path that are not the project's: Spark and what it needs. */
    private static String sparkClassPath() {
        List<String> jars = new ArrayList<>();
        for (Path e : TestJvm.entries()) if (!TestJvm.isProjectEntry(e) && Files.isRegularFile(e)) jars.add(e.toString());
        return String.join(java.io.File.pathSeparator, jars);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** Waits until the master reports {@code n} alive workers. */
    private void awaitWorkers(int n, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) throw new AssertionError("the master died:\n" + log("master.log"));
            try {
                if (new JsonObject(Json.parse(http("/json/")), "master").integer("aliveworkers") >= n) return;
            } catch (IOException notYet) {
                // the web UI is not up yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(n + " workers did not register within " + timeoutSeconds + " s:\n" + logs());
    }

    private String http(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + webPort + path).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** The executor JVMs alive now: a worker starts nothing but executors. */
    List<ProcessHandle> executors() {
        List<ProcessHandle> found = new ArrayList<>();
        for (Process w : workers) w.toHandle().children().forEach(found::add);
        return found;
    }

    /** The executor JVMs worker {@code w} (1-based) runs now. */
    List<ProcessHandle> executorsOf(int w) {
        return workers.get(w - 1).toHandle().children().toList();
    }

    /**
     * The worker (1-based) whose executor has a staged run holding {@code rel} (a path relative to the run's
     * directory, as in the output), or -1. A staged run works under its executor's directory in the worker's
     * work directory: {@code worker<w>/<app>/<executor>/octoquant-runs/run-…/}.
     */
    int workerHolding(String rel) throws IOException {
        for (int w = 1; w <= workers.size(); w++) {
            Path work = dir.resolve("worker" + w);
            try (java.util.stream.Stream<Path> runs = Files.find(work, 4, (p, a) -> a.isDirectory()
                    && p.getFileName().toString().startsWith("run-") && p.getParent().getFileName().toString().equals("octoquant-runs"))) {
                if (runs.anyMatch(r -> Files.isRegularFile(r.resolve(rel)))) return w;
            } catch (java.io.UncheckedIOException vanished) {
                // a directory deleted while we looked
            }
        }
        return -1;
    }

    String log(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    String logs() {
        StringBuilder sb = new StringBuilder("--- master.log\n").append(log("master.log"));
        for (int w = 1; w <= workers.size(); w++) sb.append("\n--- worker").append(w).append(".log\n").append(log("worker" + w + ".log"));
        return sb.toString();
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        for (Process w : workers) Processes.stopTree(w.toHandle());
        Processes.stopTree(master.toHandle());
    }
}
