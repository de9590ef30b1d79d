package octoquant.experiments.memory;

/**
 * What an {@link OutOfMemoryError} means for the user: which memory ran out and what to change. The JVM names
 * the memory in the error's message ("Java heap space", "Metaspace", "Direct buffer memory", "unable to create
 * native thread", …).
 *
 * @param what      e.g. {@code out of memory: the Java heap (256 MB, -Xmx) ran out}
 * @param fix       what to change
 * @param jvmOption the JVM option to resume with (empty when none)
 */
public record OutOfMemory(String what, String fix, String jvmOption) {

    public static OutOfMemory of(OutOfMemoryError e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("Metaspace") || m.contains("Compressed class space")) {
            return new OutOfMemory("out of memory: the JVM's class metadata space ran out (" + m + ")",
                    "raise it with -XX:MaxMetaspaceSize=512m", "-XX:MaxMetaspaceSize=512m");
        }
        if (m.contains("Direct buffer")) {
            return new OutOfMemory("out of memory: direct (off-heap) buffer memory ran out",
                    "raise it with -XX:MaxDirectMemorySize=2g", "-XX:MaxDirectMemorySize=2g");
        }
        if (m.contains("native thread")) {
            return new OutOfMemory("out of memory: the system refused the JVM a new thread (" + m + ")",
                    "use fewer --threads or raise the process limit (ulimit -u)", "");
        }
        if (m.contains("Requested array size")) {
            return new OutOfMemory("out of memory: an array larger than the JVM allows was needed (" + m + ")",
                    "start again with a smaller --batch-size", "");
        }
        long heap = Runtime.getRuntime().maxMemory();
        String xmx = "-Xmx" + suggestedHeap(2 * heap);
        return new OutOfMemory("out of memory: the Java heap (" + MemoryEstimate.size(heap) + ", -Xmx) ran out"
                + (m.isEmpty() || m.equals("Java heap space") ? "" : " (" + m + ")"),
                "give the JVM more heap (e.g. java " + xmx + " -jar experiments.jar …; the relaunch passes JVM options "
                        + "on to its child JVM) or start again with a smaller --batch-size", xmx);
    }

    /** A round {@code -Xmx} value at least {@code bytes}: 256m steps below 1 GB, whole gigabytes above. */
    static String suggestedHeap(long bytes) {
        long mb = (bytes + (1L << 20) - 1) >> 20;
        if (mb <= 1024) return ((mb + 255) / 256 * 256) + "m";
        return ((mb + 1023) / 1024) + "g";
    }
}
