package octoquant.experiments.run;

import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Saves and restores the complete mutable state of engine objects — a weight storage with its packed codes,
 * scales, overflow table and rounding random generator; a QAT mode with its quantized shadow — so a resumed
 * run continues bit for bit, stochastic rounding included. The engine has no state API for these yet, so
 * this walks their fields by reflection:
 * <ul>
 *   <li>non-final primitive fields are saved and restored (counters, versions, generator states);</li>
 *   <li>primitive arrays are saved, and restored into the existing array (or a new one when the length
 *       changed, e.g. a grown overflow table);</li>
 *   <li>fields holding other {@code octoquant.engine} objects (not records, enums or lambdas) are walked
 *       recursively under {@code <key>.<field>}; a null is recorded as such;</li>
 *   <li>everything else (records such as schemes and counters, strings, collections) is configuration or
 *       bookkeeping that the model's construction already recreates identically, and is skipped.</li>
 * </ul>
 * Restoring needs the same object structure as saving: build the model the same way first.
 */
public final class ObjectState {
    private ObjectState() {}

    public static void save(String key, Object o, Checkpoint c) {
        save(key, o, c, new IdentityHashMap<>());
    }

    private static void save(String key, Object o, Checkpoint c, IdentityHashMap<Object, Boolean> seen) {
        if (seen.put(o, Boolean.TRUE) != null) return;
        for (Field f : fields(o.getClass())) {
            String k = key + "." + f.getName();
            Class<?> t = f.getType();
            Object v = get(f, o);
            if (t.isPrimitive()) {
                if (!Modifier.isFinal(f.getModifiers())) c.putLong(k, bits(v));
            } else if (v == null) {
                if (walkable(t) || t.isArray()) c.putString(k + ".null", "");
            } else if (v instanceof float[] a) {
                c.putFloats(k, a);
            } else if (v instanceof double[] a) {
                c.putDoubles(k, a);
            } else if (v instanceof long[] a) {
                c.putLongs(k, a);
            } else if (v instanceof int[] a) {
                c.putInts(k, a);
            } else if (v instanceof byte[] a) {
                c.putBytes(k, a);
            } else if (v instanceof boolean[] a) {
                byte[] b = new byte[a.length];
                for (int i = 0; i < a.length; i++) b[i] = (byte) (a[i] ? 1 : 0);
                c.putBytes(k, b);
            } else if (walkable(v.getClass())) {
                save(k, v, c, seen);
            }
        }
    }

    public static void restore(String key, Object o, Checkpoint c) {
        restore(key, o, c, new IdentityHashMap<>());
    }

    private static void restore(String key, Object o, Checkpoint c, IdentityHashMap<Object, Boolean> seen) {
        if (seen.put(o, Boolean.TRUE) != null) return;
        for (Field f : fields(o.getClass())) {
            String k = key + "." + f.getName();
            Class<?> t = f.getType();
            Object v = get(f, o);
            if (t.isPrimitive()) {
                if (!Modifier.isFinal(f.getModifiers())) set(f, o, unbits(t, c.longValue(k)));
            } else if (c.has(k + ".null")) {
                if (v != null) set(f, o, null);
            } else if (v instanceof float[] a) {
                float[] s = c.floats(k);
                if (s.length == a.length) System.arraycopy(s, 0, a, 0, s.length); else set(f, o, s);
            } else if (v instanceof double[] a) {
                double[] s = c.doubles(k);
                if (s.length == a.length) System.arraycopy(s, 0, a, 0, s.length); else set(f, o, s);
            } else if (v instanceof long[] a) {
                long[] s = c.longs(k);
                if (s.length == a.length) System.arraycopy(s, 0, a, 0, s.length); else set(f, o, s);
            } else if (v instanceof int[] a) {
                int[] s = c.ints(k);
                if (s.length == a.length) System.arraycopy(s, 0, a, 0, s.length); else set(f, o, s);
            } else if (v instanceof byte[] a) {
                byte[] s = c.bytes(k);
                if (s.length == a.length) System.arraycopy(s, 0, a, 0, s.length); else set(f, o, s);
            } else if (v instanceof boolean[] a) {
                byte[] s = c.bytes(k);
                boolean[] b = s.length == a.length ? a : new boolean[s.length];
                for (int i = 0; i < s.length; i++) b[i] = s[i] != 0;
                if (b != a) set(f, o, b);
            } else if (v != null && walkable(v.getClass())) {
                restore(k, v, c, seen);
            } else if (v == null && walkable(t) && hasPrefix(c, k + ".")) {
                throw new CheckpointException("checkpoint holds state for " + k + " but the rebuilt model has none there");
            }
        }
    }

    private static boolean hasPrefix(Checkpoint c, String prefix) {
        return c.names().stream().anyMatch(n -> n.startsWith(prefix));
    }

    private static boolean walkable(Class<?> t) {
        return t.getName().startsWith("octoquant.engine.") && !t.isRecord() && !t.isEnum() && !t.isSynthetic()
                && !t.isHidden() && !t.isInterface();
    }

    private static List<Field> fields(Class<?> k) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = k; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) if (!Modifier.isStatic(f.getModifiers())) out.add(f);
        }
        return out;
    }

    private static long bits(Object v) {
        if (v instanceof Double d) return Double.doubleToRawLongBits(d);
        if (v instanceof Float f) return Float.floatToRawIntBits(f);
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Character ch) return ch;
        return ((Number) v).longValue();
    }

    private static Object unbits(Class<?> t, long v) {
        if (t == double.class) return Double.longBitsToDouble(v);
        if (t == float.class) return Float.intBitsToFloat((int) v);
        if (t == boolean.class) return v != 0;
        if (t == char.class) return (char) v;
        if (t == long.class) return v;
        if (t == int.class) return (int) v;
        if (t == short.class) return (short) v;
        return (byte) v;
    }

    private static Object get(Field f, Object o) {
        try {
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + f + ": " + e, e);
        }
    }

    private static void set(Field f, Object o, Object v) {
        try {
            f.setAccessible(true);
            f.set(o, v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot restore " + f + ": " + e, e);
        }
    }
}
