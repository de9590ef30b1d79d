package octoquant.experiments.run;

import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Parallel;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where a run ran: JDK, OS, CPU count, kernel backend and vector width, threads. */
public final class Environment {
    private Environment() {}

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("jdkVendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        var k = VectorizationProvider.get().kernels();
        m.put("kernelBackend", k.name());
        m.put("floatLanes", k.floatLanes());
        m.put("threads", Parallel.threads());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        return m;
    }
}
