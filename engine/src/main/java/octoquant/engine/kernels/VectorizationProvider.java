package octoquant.engine.kernels;

import java.util.Locale;
import java.util.Optional;

/**
 * The one place that chooses between the scalar and the Vector API form of every loop that has both:
 * {@link #kernels()} (float GEMM, dot, axpy, ReLU, Adam), {@link #poolPasses()} (bias + ReLU + 2×2 pool),
 * {@link #winogradTransforms()} (Winograd tile transforms) and {@link #quantKernels()} (fake-quantize,
 * storage update, calibration, decoding, integer dots). Each pair is named {@code X} (the scalar form,
 * which is also the contract and the reference) and {@code VectorX} (the Vector API form, bit-identical).
 *
 * <p>The choice is made once per JVM, on first use of {@link #get()}. The Vector API provider is used when
 * module {@code jdk.incubator.vector} is in the boot layer and readable and the CPU has real SIMD (a
 * preferred vector size of at least 128 bits); its class, {@code octoquant.engine.vectorization.VectorProvider},
 * is the only one loaded reflectively, and only then, so a JVM without the module never links against the
 * Vector API. Otherwise the scalar provider runs and one warning says how to get the fast one. One line on
 * stderr names the backend and width in use. System property {@code octoquant.kernels} = {@code auto}
 * (default), {@code scalar} (force scalar) or {@code vector} (fail if the Vector API is unusable).
 *
 * <p>Providers and the objects they hand out are immutable and shared by all threads.
 */
public abstract class VectorizationProvider {
    /** System property that selects the backend. */
    public static final String PROPERTY = "octoquant.kernels";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_PROVIDER = "octoquant.engine.vectorization.VectorProvider";

    private static final VectorizationProvider SCALAR = new ScalarProvider();

    private final Kernels kernels;
    private final PoolPasses poolPasses;
    private final WinogradTransforms winogradTransforms;
    private final QuantKernels quantKernels;

    /** For the two providers only: the four forms they hand out. */
    protected VectorizationProvider(Kernels kernels, PoolPasses poolPasses, WinogradTransforms winogradTransforms,
                                    QuantKernels quantKernels) {
        this.kernels = kernels;
        this.poolPasses = poolPasses;
        this.winogradTransforms = winogradTransforms;
        this.quantKernels = quantKernels;
    }

    /** The float kernels. */
    public final Kernels kernels() {
        return kernels;
    }

    /** The bias + ReLU + 2×2 max-pool passes of the fused convolution. */
    public final PoolPasses poolPasses() {
        return poolPasses;
    }

    /** The input and output tile transforms of the Winograd convolution. */
    public final WinogradTransforms winogradTransforms() {
        return winogradTransforms;
    }

    /** The quantization loops. */
    public final QuantKernels quantKernels() {
        return quantKernels;
    }

    /** Lazily resolved so the choice (and its log line) happens on first use, exactly once. */
    private static final class Active {
        static final VectorizationProvider INSTANCE = select(System.getProperty(PROPERTY, "auto"));
    }

    /** The provider every op uses. */
    public static VectorizationProvider get() {
        return Active.INSTANCE;
    }

    /** The scalar provider (always available); for tests and benchmarks that compare the two. */
    public static VectorizationProvider scalar() {
        return SCALAR;
    }

    /**
     * The Vector API provider, or empty (the reason in {@link #vectorUnavailableReason()}); never logs. For
     * tests and benchmarks that compare the two.
     */
    public static Optional<VectorizationProvider> vector() {
        return Optional.ofNullable(VectorHolder.INSTANCE);
    }

    /** Why the Vector API provider is unavailable, or null when it is available. */
    public static String vectorUnavailableReason() {
        return VectorHolder.REASON;
    }

    /** One-line description of a backend: name and vector width. */
    public static String describe(Kernels k) {
        int lanes = k.floatLanes();
        return k.name() + " (" + (lanes == 1 ? "no SIMD" : (lanes * 32) + "-bit vectors, " + lanes + " float lanes") + ")";
    }

    private static final class VectorHolder {
        static final String REASON;
        static final VectorizationProvider INSTANCE;

        static {
            String[] reason = new String[1];
            INSTANCE = tryLoadVector(reason);
            REASON = reason[0];
        }
    }

    /** Prints the backend this JVM selects, e.g. {@code vector (512-bit vectors, 16 float lanes)}. */
    public static void main(String[] args) {
        System.out.println(describe(get().kernels()));
    }

    private static VectorizationProvider select(String property) {
        String choice = property.trim().toLowerCase(Locale.ROOT);
        VectorizationProvider chosen;
        switch (choice) {
            case "scalar":
                chosen = SCALAR;
                System.err.println("octoquant: kernels = " + describe(chosen.kernels()) + ", forced by -D" + PROPERTY + "=scalar");
                return chosen;
            case "vector":
                if (VectorHolder.INSTANCE == null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector was given but " + VectorHolder.REASON);
                }
                chosen = VectorHolder.INSTANCE;
                break;
            case "auto":
            case "":
                chosen = VectorHolder.INSTANCE;
                if (chosen == null) {
                    System.err.println("octoquant: WARNING " + VectorHolder.REASON + "; using the slow scalar kernels");
                    chosen = SCALAR;
                }
                break;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + property
                        + " is not a kernel backend; use auto, scalar or vector");
        }
        System.err.println("octoquant: kernels = " + describe(chosen.kernels()));
        return chosen;
    }

    private static VectorizationProvider tryLoadVector(String[] reason) {
        Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (module.isEmpty() || !VectorizationProvider.class.getModule().canRead(module.get())) {
            reason[0] = "the Vector API module " + VECTOR_MODULE + " is not loaded: run java with --add-modules "
                    + VECTOR_MODULE;
            return null;
        }
        try {
            Class<?> cls = Class.forName(VECTOR_PROVIDER);
            var preferredBits = cls.getDeclaredMethod("preferredBits");
            preferredBits.setAccessible(true); // the provider and its method are package-private
            int bits = (Integer) preferredBits.invoke(null);
            if (bits < 128) {
                reason[0] = "the CPU's preferred vector size is " + bits + " bits (no SIMD for the Vector API)";
                return null;
            }
            var ctor = cls.getDeclaredConstructor();
            ctor.setAccessible(true);
            return (VectorizationProvider) ctor.newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | SecurityException e) {
            reason[0] = "the Vector API backend failed to load (" + e + ")";
            return null;
        }
    }
}
