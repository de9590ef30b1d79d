package octoquant.engine.kernels;

import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the kernel backend once per JVM. The Vector API backend is used when module
 * {@code jdk.incubator.vector} is in the boot layer and readable and the CPU has real SIMD; its class is
 * loaded reflectively only then, so a JVM without the module never links against it. Otherwise the
 * scalar backend runs and one warning says how to get the fast one. One line on stderr names the
 * backend and width in use. System property {@code octoquant.kernels} = {@code auto} (default),
 * {@code scalar} (force scalar) or {@code vector} (fail if the Vector API is unusable).
 */
public final class KernelProvider {
    /** System property that selects the backend. */
    public static final String PROPERTY = "octoquant.kernels";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "octoquant.engine.kernels.VectorKernels";

    private static final ScalarKernels SCALAR = new ScalarKernels();

    private KernelProvider() {}

    /** Lazily resolved so the choice (and its log line) happens on first use, exactly once. */
    private static final class Active {
        static final Kernels INSTANCE = select(System.getProperty(PROPERTY, "auto"));
    }

    /** The backend every op uses. */
    public static Kernels get() {
        return Active.INSTANCE;
    }

    /** The scalar backend (always available); for tests and benchmarks that compare backends. */
    public static Kernels scalar() {
        return SCALAR;
    }

    /** The Vector API backend, or empty with the reason unavailable; never logs. For tests and benchmarks. */
    public static Optional<Kernels> vector() {
        return Optional.ofNullable(VectorHolder.INSTANCE);
    }

    /**
     * An engine class written against the Vector API beside this backend (e.g. {@code ops.VectorPoolPasses}
     * extending {@code ops.PoolPasses}), loaded reflectively so that no class links against
     * {@code jdk.incubator.vector} unless the Vector API backend is available; empty when it is not, or when
     * the class fails to load. For the choice itself use {@link #vectorCompanionOr}; this form is for tests
     * and benchmarks that compare the two.
     */
    public static <T> Optional<T> vectorCompanion(String className, Class<T> type) {
        if (vector().isEmpty()) return Optional.empty();
        try {
            var ctor = Class.forName(className).getDeclaredConstructor();
            ctor.setAccessible(true); // companions are package-private, next to their scalar form
            return Optional.of(type.cast(ctor.newInstance()));
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The {@link #vectorCompanion} when the backend in use ({@link #get()}) is the Vector API one, else {@code scalar}. */
    public static <T> T vectorCompanionOr(String className, Class<T> type, T scalar) {
        return get() == SCALAR ? scalar : vectorCompanion(className, type).orElse(scalar);
    }

    /** Why the vector backend is unavailable, or null when it is available. */
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
        static final Kernels INSTANCE;

        static {
            String[] reason = new String[1];
            INSTANCE = tryLoadVector(reason);
            REASON = reason[0];
        }
    }

    /** Prints the backend this JVM selects, e.g. {@code vector (512-bit vectors, 16 float lanes)}. */
    public static void main(String[] args) {
        System.out.println(describe(get()));
    }

    private static Kernels select(String property) {
        String choice = property.trim().toLowerCase(Locale.ROOT);
        Kernels chosen;
        switch (choice) {
            case "scalar":
                chosen = SCALAR;
                System.err.println("octoquant: kernels = " + describe(chosen) + ", forced by -D" + PROPERTY + "=scalar");
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
        System.err.println("octoquant: kernels = " + describe(chosen));
        return chosen;
    }

    private static Kernels tryLoadVector(String[] reason) {
        Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (module.isEmpty() || !KernelProvider.class.getModule().canRead(module.get())) {
            reason[0] = "the Vector API module " + VECTOR_MODULE + " is not loaded: run java with --add-modules "
                    + VECTOR_MODULE;
            return null;
        }
        try {
            Class<?> cls = Class.forName(VECTOR_CLASS);
            int bits = (Integer) cls.getDeclaredMethod("preferredBits").invoke(null);
            if (bits < 128) {
                reason[0] = "the CPU's preferred vector size is " + bits + " bits (no SIMD for the Vector API)";
                return null;
            }
            var ctor = cls.getDeclaredConstructor();
            return (Kernels) ctor.newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            reason[0] = "the Vector API backend failed to load (" + e + ")";
            return null;
        }
    }
}
