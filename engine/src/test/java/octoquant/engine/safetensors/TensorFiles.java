package octoquant.engine.safetensors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Arbitrary valid contents for the properties: every dtype, scalars, empty tensors, awkward names. */
final class TensorFiles {
    private TensorFiles() {}

    /** Strings the format can hold (no lone surrogates), ASCII-heavy but with escapes and non-BMP characters. */
    static Arbitrary<String> names() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_', '0', '1', '9').ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> awkward = Arbitraries.strings().withChars('"', '\\', '\n', '\t', '\u0000', '\u001f', '/', 'é', '\u2028', 'ы', ' ')
                .ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> emoji = Arbitraries.of("😀", "𝔘", "a😀b");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(2, awkward), net.jqwik.api.Tuple.of(1, emoji))
                .filter(s -> !s.equals("__metadata__"));
    }

    static Arbitrary<TensorData> tensors() {
        Arbitrary<DType> dtype = Arbitraries.of(DType.class);
        Arbitrary<int[]> shape = Arbitraries.integers().between(0, 5).list().ofMinSize(0).ofMaxSize(4)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        return Combinators.combine(dtype, shape, Arbitraries.longs()).as((t, s, seed) -> {
            long count = 1;
            for (int d : s) count *= d;
            byte[] b = new byte[(int) count * t.size()];
            new java.util.Random(seed).nextBytes(b);
            return TensorData.ofBytes(t, s, b);
        });
    }

    static Arbitrary<SafetensorsFile> files() {
        Arbitrary<Map<String, TensorData>> tensors = Arbitraries.maps(names(), tensors()).ofMinSize(0).ofMaxSize(7)
                .map(m -> new LinkedHashMap<>(m));
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(names().filter(k -> !k.equals(SafetensorsFile.ORDER_KEY)), names())
                .ofMaxSize(3);
        return Combinators.combine(tensors, metadata, Arbitraries.longs()).as((t, m, seed) -> {
            List<Map.Entry<String, TensorData>> entries = new java.util.ArrayList<>(t.entrySet());
            java.util.Collections.shuffle(entries, new java.util.Random(seed)); // any order, not the map's
            Map<String, TensorData> ordered = new LinkedHashMap<>();
            for (Map.Entry<String, TensorData> e : entries) ordered.put(e.getKey(), e.getValue());
            return new SafetensorsFile(ordered, m);
        });
    }
}
