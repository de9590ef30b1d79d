package octoquant.bench.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;

/**
 * Loads PyTorch through DJL for the race, offline: libtorch comes from the {@code pytorch-native-cpu} jar on
 * the class path (extracted once into the cache directory), the JNI glue from {@code pytorch-jni}; with
 * {@code ai.djl.offline=true} DJL fails instead of downloading anything. DJL reads every setting here only
 * when the engine is first loaded, so {@link #load} must run before any other DJL call of the process.
 */
public final class DjlPyTorch {
    /** Engine name DJL registers PyTorch under. */
    public static final String ENGINE = "PyTorch";

    private DjlPyTorch() {}

    /**
     * Sets DJL's offline mode, its cache directory (unless {@code DJL_CACHE_DIR} / {@code ENGINE_CACHE_DIR}
     * are already set, in the environment or as properties) and PyTorch's intra-op and inter-op thread
     * counts, then loads the engine.
     *
     * @throws IllegalStateException when the engine was loaded already with another thread count
     */
    public static Engine load(int threads, Path cacheDir) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.default_engine", ENGINE);
        setUnlessGiven("DJL_CACHE_DIR", cacheDir.toString());
        setUnlessGiven("ENGINE_CACHE_DIR", cacheDir.toString());
        // The CPU build: never let DJL look for a CUDA flavour (which it would download).
        setUnlessGiven("PYTORCH_FLAVOR", "cpu");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        Engine engine = Engine.getEngine(ENGINE);
        if (intraOpThreads() != threads) {
            throw new IllegalStateException("PyTorch runs " + intraOpThreads() + " intra-op threads, not " + threads
                    + " (the engine was loaded before DjlPyTorch.load set the count)");
        }
        return engine;
    }

    /** PyTorch's intra-op thread count (at::get_num_threads). */
    public static int intraOpThreads() {
        return JniUtils.getNumThreads();
    }

    /** PyTorch's inter-op thread count (at::get_num_interop_threads). */
    public static int interOpThreads() {
        return JniUtils.getNumInteropThreads();
    }

    private static void setUnlessGiven(String key, String value) {
        String env = System.getenv(key);
        if ((env == null || env.isEmpty()) && System.getProperty(key) == null) System.setProperty(key, value);
    }
}
