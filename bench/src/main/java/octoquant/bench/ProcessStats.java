package octoquant.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the race reports about the process itself: its CPU time and its peak resident set. */
public final class ProcessStats {
    private ProcessStats() {}

    /** This process's CPU time (all threads), or 0 when the JVM cannot tell. */
    public static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return Math.max(0, ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime());
        }
        return 0;
    }

    /**
     * Peak resident set of this process (VmHWM in /proc/self/status: Java heap, native allocations such as
     * libtorch's, and mapped code alike), or -1 where there is none.
     */
    public static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
