package octoquant.engine.nn;

import octoquant.engine.param.Parameter;
import octoquant.engine.safetensors.TensorData;
import octoquant.engine.state.StateMismatchException;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.WeightStorage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link Module#stateDict()} and {@link Module#loadStateDict}: a model's parameters as entries and back. */
final class StateDicts {
    /** How many names a message lists before it says "and N more". */
    private static final int LISTED = 5;

    private StateDicts() {}

    static StateDict of(Module model) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) StorageEntries.write(p, tensors, metadata);
        return new StateDict(tensors, metadata);
    }

    /**
     * Checks every entry first and changes the model only when all of them fit: a failed load leaves the
     * model as it was.
     */
    static void load(Module model, StateDict dict, boolean strict) {
        List<Parameter> params = model.parameters();
        Set<String> used = new HashSet<>();
        List<String> missing = new ArrayList<>();
        List<Parameter> targets = new ArrayList<>();
        List<StorageEntries.Loaded> loaded = new ArrayList<>();
        for (Parameter p : params) {
            if (dict.get(p.name()) == null) {
                missing.add(p.name());
                continue;
            }
            targets.add(p);
            loaded.add(StorageEntries.read(p, dict, used));
        }
        if (strict && !missing.isEmpty()) {
            throw new StateMismatchException("state dict has no entry for " + list("parameter", missing)
                    + " of the model (load with strict = false to keep their current values)");
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : dict.tensors().keySet()) if (!used.contains(name)) unexpected.add(name);
        Set<String> names = new HashSet<>(dict.tensors().keySet());
        for (String key : dict.metadata().keySet()) {
            if (key.startsWith(StateDict.SCHEME_PREFIX) && !names.contains(key.substring(StateDict.SCHEME_PREFIX.length()))) {
                unexpected.add("metadata " + key);
            }
        }
        if (strict && !unexpected.isEmpty()) {
            throw new StateMismatchException("state dict has unexpected " + list("entry", unexpected)
                    + ", which no parameter of the model uses (the model's parameters: " + names(params) + ")");
        }
        for (int i = 0; i < targets.size(); i++) install(targets.get(i), loaded.get(i));
    }

    /**
     * Loads into the parameter's own storage when it is of the same scheme and size (so a stochastic
     * storage keeps its rounding generator), else gives the parameter the new storage. The mode (e.g. QAT)
     * is left as it is.
     */
    private static void install(Parameter p, StorageEntries.Loaded l) {
        WeightStorage current = p.storage();
        boolean sameKind = l.scheme().equals(StorageEntries.schemeName(current))
                && current.rows() == l.storage().rows() && current.cols() == l.storage().cols();
        if (!sameKind) {
            p.setStorage(l.storage());
        } else if (current instanceof QuantizedStorage q) {
            q.loadCodes(l.codes(), l.steps(), l.zeroPoints());
        } else {
            current.encodeFrom(l.values());
        }
    }

    private static String list(String noun, List<String> names) {
        StringBuilder sb = new StringBuilder(names.size() == 1 ? noun : plural(noun));
        for (int i = 0; i < Math.min(LISTED, names.size()); i++) sb.append(i == 0 ? " " : ", ").append(StorageEntries.quote(names.get(i)));
        if (names.size() > LISTED) sb.append(" and ").append(names.size() - LISTED).append(" more");
        return sb.toString();
    }

    private static String plural(String noun) {
        return noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
    }

    private static String names(List<Parameter> params) {
        List<String> n = new ArrayList<>();
        for (Parameter p : params) n.add(p.name());
        return n.size() <= 2 * LISTED ? String.join(", ", n) : String.join(", ", n.subList(0, 2 * LISTED)) + ", …";
    }
}
