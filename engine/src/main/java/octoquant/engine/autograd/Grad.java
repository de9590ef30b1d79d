package octoquant.engine.autograd;

/**
 * Whether ops record a graph. Inference runs inside {@code try (var off = Grad.disabled()) { ... }} so
 * that no closures or intermediate buffers are kept for a backward pass that will never come.
 */
public final class Grad {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Grad() {}

    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /** A scope in which no graph is recorded; scopes nest. */
    public static Scope disabled() {
        int[] depth = DISABLED_DEPTH.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** An AutoCloseable whose close() does not throw. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
