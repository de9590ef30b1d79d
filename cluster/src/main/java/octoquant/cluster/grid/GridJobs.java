package octoquant.cluster.grid;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Creates grid jobs by class name, once per class loader and name (executors get a name, not an object). */
public final class GridJobs {
    /** The experiments' grids (mnist, fashion-mnist, cifar10, audit …). */
    public static final String DEFAULT = "octoquant.cluster.experiments.GridTasks";

    private static final Map<ClassLoader, Map<String, GridJob>> CACHE = new ConcurrentHashMap<>();

    private GridJobs() {}

    /**
     * The job named {@code className}, looked up through the thread's context class loader (on an executor,
     * the loader that holds the application jar).
     *
     * @throws IllegalArgumentException when there is no such class, or it is not a {@link GridJob} with a public
     *         no-argument constructor; the message says which
     */
    public static GridJob load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) loader = GridJobs.class.getClassLoader();
        ClassLoader key = loader;
        return CACHE.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(className, name -> create(name, key));
    }

    private static GridJob create(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("grid job class " + className + " is not on the class path");
        }
        if (!GridJob.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " is not a " + GridJob.class.getName());
        }
        try {
            return (GridJob) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor that works ("
                    + (e.getCause() != null ? e.getCause() : e) + ")", e);
        }
    }
}
