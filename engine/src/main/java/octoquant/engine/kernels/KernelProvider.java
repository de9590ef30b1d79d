package octoquant.engine.kernels;

/**
 * Chooses the kernel backend once. (Provisional: scalar only until the Vector API backend lands.)
 */
public final class KernelProvider {
    private static final Kernels ACTIVE = new ScalarKernels();

    private KernelProvider() {}

    public static Kernels get() {
        return ACTIVE;
    }
}
