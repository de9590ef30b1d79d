package octoquant.experiments.run;

import octoquant.engine.optim.Optimizer;
import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Saves and restores an optimizer's state (Adam's moments and step count, SGD's momentum buffers, the
 * learning rate) into a checkpoint, so a resumed run continues with exactly the numbers it stopped with.
 *
 * <p>The engine's optimizers do not (yet) export their state, so this reads their fields by reflection:
 * every non-static field of type {@code float[][]}, {@code double[][]}, {@code long}, {@code int} or
 * {@code double} of the optimizer's class and its superclasses, named {@code optim.<Class>.<field>}.
 * Scratch buffers come along too, which is harmless. If the engine grows an explicit state API, switch
 * to it here; the checkpoint entries stay the same.
 */
public final class OptimizerState {
    private OptimizerState() {}

    public static void save(Optimizer opt, Checkpoint c) {
        for (Class<?> k = opt.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                String key = "optim." + k.getSimpleName() + "." + f.getName();
                Object v = read(f, opt);
                if (v instanceof float[][] a) {
                    c.putLong(key + ".rows", a.length);
                    for (int i = 0; i < a.length; i++) if (a[i] != null) c.putFloats(key + "." + i, a[i]);
                } else if (v instanceof double[][] a) {
                    c.putLong(key + ".rows", a.length);
                    for (int i = 0; i < a.length; i++) if (a[i] != null) c.putDoubles(key + "." + i, a[i]);
                } else if (f.getType() == long.class || f.getType() == int.class) {
                    c.putLong(key, ((Number) v).longValue());
                } else if (f.getType() == double.class) {
                    c.putDoubles(key, new double[] {(Double) v});
                }
            }
        }
    }

    public static void restore(Optimizer opt, Checkpoint c) {
        for (Class<?> k = opt.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                String key = "optim." + k.getSimpleName() + "." + f.getName();
                Object v = read(f, opt);
                if (v instanceof float[][] a) {
                    checkRows(c, key, a.length);
                    for (int i = 0; i < a.length; i++) a[i] = c.has(key + "." + i) ? c.floats(key + "." + i) : null;
                } else if (v instanceof double[][] a) {
                    checkRows(c, key, a.length);
                    for (int i = 0; i < a.length; i++) a[i] = c.has(key + "." + i) ? c.doubles(key + "." + i) : null;
                } else if (f.getType() == long.class) {
                    write(f, opt, c.longValue(key));
                } else if (f.getType() == int.class) {
                    write(f, opt, (int) c.longValue(key));
                } else if (f.getType() == double.class) {
                    write(f, opt, c.doubles(key)[0]);
                }
            }
        }
    }

    private static void checkRows(Checkpoint c, String key, int rows) {
        if (c.longValue(key + ".rows") != rows) {
            throw new CheckpointException("checkpoint optimizer state " + key + " has " + c.longValue(key + ".rows")
                    + " parameters, the model has " + rows);
        }
    }

    private static Object read(Field f, Object o) {
        try {
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read optimizer field " + f + ": " + e, e);
        }
    }

    private static void write(Field f, Object o, Object v) {
        if (Modifier.isFinal(f.getModifiers())) return; // hyper-parameters: fixed by the configuration
        try {
            f.setAccessible(true);
            f.set(o, v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot restore optimizer field " + f + ": " + e, e);
        }
    }
}
