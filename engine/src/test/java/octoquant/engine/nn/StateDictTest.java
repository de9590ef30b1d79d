package octoquant.engine.nn;

import octoquant.engine.autograd.Grad;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.QatMode;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.safetensors.DType;
import octoquant.engine.safetensors.SafetensorsException;
import octoquant.engine.safetensors.SafetensorsFile;
import octoquant.engine.safetensors.TensorData;
import octoquant.engine.state.StateMismatchException;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.OctalStorage;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StateDictTest {
    @TempDir
    Path dir;

    @Test
    void anMlpsStateDictHasPyTorchsNamesShapesAndOrder() {
        Sequential mlp = Models.mlp(new Rng(1));
        StateDict d = mlp.stateDict();
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), new ArrayList<>(d.tensors().keySet()));
        assertArrayEquals(new int[] {128, 784}, d.get("1.weight").shape());
        assertArrayEquals(new int[] {128}, d.get("1.bias").shape());
        assertArrayEquals(new int[] {10, 128}, d.get("3.weight").shape());
        for (Parameter p : mlp.parameters()) {
            assertEquals(DType.F32, d.get(p.name()).dtype());
            assertArrayEquals(p.storage().decodeAll(), d.get(p.name()).toFloats());
            assertEquals("float", d.scheme(p.name()));
        }
        assertTrue(d.metadata().isEmpty());
        float before = d.get("1.weight").toFloats()[0];
        mlp.parameter("1.weight").storage().applyUpdate(filled(128 * 784, 1f));
        assertEquals(before, d.get("1.weight").toFloats()[0], "a snapshot: later changes do not reach it");
    }

    @Test
    void theSeedCnnsNamesAndShapes() {
        StateDict d = Models.seedCnn(new Rng(2), 3, 32, 32).stateDict();
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                new ArrayList<>(d.tensors().keySet()));
        assertArrayEquals(new int[] {32, 3, 3, 3}, d.get("0.weight").shape());
        assertArrayEquals(new int[] {64, 32, 3, 3}, d.get("3.weight").shape());
        assertArrayEquals(new int[] {64, 4096}, d.get("7.weight").shape());
    }

    @Test
    void loadingAFloatStateDictReproducesTheModel() {
        Sequential a = Models.seedCnn(new Rng(3), 1, 8, 8), b = Models.seedCnn(new Rng(4), 1, 8, 8);
        b.loadStateDict(a.stateDict(), true);
        for (Parameter p : a.parameters()) {
            assertArrayEquals(p.storage().decodeAll(), b.parameter(p.name()).storage().decodeAll());
            assertInstanceOf(FloatStorage.class, b.parameter(p.name()).storage());
        }
        Tensor x = Tensor.randn(new Rng(5), 2, 1, 8, 8);
        try (Grad.Scope off = Grad.disabled()) {
            assertArrayEquals(a.forward(x).data(), b.forward(x).data());
        }
    }

    @Test
    void missingUnexpectedAndMisShapedEntriesAreNamedAndChangeNothing() {
        Sequential model = Regression.model(1);
        StateDict good = Regression.model(2).stateDict();
        float[] before = model.parameter("0.weight").storage().decodeAll();

        Map<String, TensorData> t = new LinkedHashMap<>(good.tensors());
        t.remove("2.bias");
        StateDict missing = new StateDict(t, Map.of());
        StateMismatchException e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(missing, true));
        assertEquals("state dict has no entry for parameter '2.bias' of the model (load with strict = false to keep their current values)", e.getMessage());
        assertArrayEquals(before, model.parameter("0.weight").storage().decodeAll(), "a refused load changes nothing");
        float[] bias = model.parameter("2.bias").storage().decodeAll();
        model.loadStateDict(missing, false);
        assertArrayEquals(good.get("0.weight").toFloats(), model.parameter("0.weight").storage().decodeAll());
        assertArrayEquals(bias, model.parameter("2.bias").storage().decodeAll(), "not strict: a parameter without an entry keeps its values");

        t = new LinkedHashMap<>(good.tensors());
        t.put("4.weight", TensorData.ofFloats(new int[] {1}, new float[] {1}));
        StateDict unexpected = new StateDict(t, Map.of());
        e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(unexpected, true));
        assertEquals("state dict has unexpected entry '4.weight', which no parameter of the model uses (the model's parameters: "
                + "0.weight, 0.bias, 2.weight, 2.bias)", e.getMessage());
        model.loadStateDict(unexpected, false);

        t = new LinkedHashMap<>(good.tensors());
        t.put("2.weight", TensorData.ofFloats(new int[] {8, 4}, new float[32]));
        StateDict misShaped = new StateDict(t, Map.of());
        for (boolean strict : new boolean[] {true, false}) {
            e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(misShaped, strict));
            assertEquals("state dict entry '2.weight' has shape [8, 4], but the model's parameter is [4, 8]", e.getMessage());
        }

        Map<String, TensorData> ints = new LinkedHashMap<>(good.tensors());
        ints.put("0.bias", TensorData.ofInts(DType.I32, new int[] {8}, new int[8]));
        e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(new StateDict(ints, Map.of()), true));
        assertEquals("state dict entry '0.bias' is I32, but a float parameter (no scheme in the metadata) needs F32, F16 or BF16", e.getMessage());

        e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(new StateDict(good.tensors(),
                Map.of(StateDict.SCHEME_PREFIX + "0.weight", "int99")), true));
        assertTrue(e.getMessage().startsWith("state dict metadata 'octoquant.scheme.0.weight' is 'int99', not a scheme (float | quant<B>"), e.getMessage());
        e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(new StateDict(good.tensors(),
                Map.of(StateDict.SCHEME_PREFIX + "0.weight", "int8-pc")), true));
        assertEquals("state dict entry '0.weight' is F32, but scheme int8-pc stores integer codes", e.getMessage());
        e = assertThrows(StateMismatchException.class, () -> model.loadStateDict(new StateDict(good.tensors(),
                Map.of(StateDict.SCHEME_PREFIX + "5.weight", "int8")), true));
        assertTrue(e.getMessage().contains("unexpected entry 'metadata octoquant.scheme.5.weight'"), e.getMessage());
        assertArrayEquals(good.get("0.weight").toFloats(), model.parameter("0.weight").storage().decodeAll());
    }

    @Test
    void quantizedEntriesAreCodesScalesAndZeroPointsThatPythonCanDequantize() {
        Sequential model = Regression.model(7);
        Quantization.finish(model, QuantScheme.parse("int8-pc"), TrainingMode.PTQ, 7);
        StateDict d = model.stateDict();
        assertEquals(List.of("0.weight", "0.weight.scale", "0.bias", "2.weight", "2.weight.scale", "2.bias"), new ArrayList<>(d.tensors().keySet()));
        assertEquals(DType.I8, d.get("0.weight").dtype());
        assertArrayEquals(new int[] {8, 6}, d.get("0.weight").shape());
        assertEquals(DType.F32, d.get("0.weight.scale").dtype());
        assertArrayEquals(new int[] {8}, d.get("0.weight.scale").shape());
        assertEquals(DType.F32, d.get("0.bias").dtype());
        assertEquals(Map.of("octoquant.scheme.0.weight", "int8-pc", "octoquant.scheme.2.weight", "int8-pc"), d.metadata());

        Sequential minmax = Regression.model(8);
        Quantization.finish(minmax, QuantScheme.parse("int8-minmax"), TrainingMode.PTQ, 8);
        StateDict m = minmax.stateDict();
        assertEquals(DType.U8, m.get("0.weight").dtype());
        assertArrayEquals(new int[0], m.get("0.weight.scale").shape(), "one step per tensor: a scalar");
        assertEquals(DType.I32, m.get("0.weight.zero_point").dtype());
        assertEquals("int8-minmax", m.scheme("0.weight"));

        Sequential seed = Regression.model(9);
        Quantization.finish(seed, QuantScheme.parse("quant8"), TrainingMode.PTQ, 9);
        StateDict q = seed.stateDict();
        assertNull(q.get("0.weight.scale"), "the fixed grid's step is implied");
        assertEquals("quant8", q.scheme("0.weight"));
    }

    @Test
    void aParameterInQatModeContributesItsMasterAndKeepsItsMode() {
        Sequential model = Regression.model(10);
        Quantization.prepare(model, QuantScheme.parse("int4-pc"), TrainingMode.QAT, 10);
        Regression.train(model, 3, 11);
        StateDict d = model.stateDict();
        assertEquals(DType.F32, d.get("0.weight").dtype());
        assertArrayEquals(model.parameter("0.weight").storage().decodeAll(), d.get("0.weight").toFloats());
        Sequential other = Regression.model(12);
        Quantization.prepare(other, QuantScheme.parse("int4-pc"), TrainingMode.QAT, 12);
        other.loadStateDict(d, true);
        assertInstanceOf(QatMode.class, other.parameter("0.weight").mode());
        Tensor x = Tensor.randn(new Rng(13), 3, Regression.IN);
        try (Grad.Scope off = Grad.disabled()) {
            assertArrayEquals(model.forward(x).data(), other.forward(x).data(), "the same master gives the same quantized forward pass");
        }
    }

    @Test
    void octalStorageWithAnotherRoundingKeepsIt() {
        Sequential model = Regression.model(14);
        Parameter w = model.parameter("0.weight");
        OctalStorage nearest = new OctalStorage(8, 6, 8, RoundingMode.NEAREST_EVEN, 0);
        nearest.encodeFrom(w.storage().decodeAll());
        w.setStorage(nearest);
        StateDict d = model.stateDict();
        assertEquals("octal8-nearest", d.scheme("0.weight"));
        Sequential back = Regression.model(15);
        back.loadStateDict(d, true);
        OctalStorage loaded = assertInstanceOf(OctalStorage.class, back.parameter("0.weight").storage());
        assertEquals(nearest.describe(), loaded.describe());
        assertArrayEquals(nearest.decodeAll(), loaded.decodeAll());
    }

    @Test
    void floatParametersLoadFromF16AndBf16Exactly() {
        Sequential model = Regression.model(16);
        Map<String, TensorData> t = new LinkedHashMap<>(model.stateDict().tensors());
        byte[] halves = new byte[2 * 4];
        short[] f16 = {0x3C00, (short) 0xC000, 0x0001, 0x7BFF}; // 1, -2, 2^-24, 65504
        for (int i = 0; i < 4; i++) {
            halves[2 * i] = (byte) f16[i];
            halves[2 * i + 1] = (byte) (f16[i] >> 8);
        }
        t.put("2.bias", TensorData.ofBytes(DType.F16, new int[] {4}, halves));
        byte[] bf = {(byte) 0x80, 0x3F, 0x49, (byte) 0xC0, 0, 0, 0, (byte) 0x80}; // 1, -3.140625, 0, -0
        t.put("0.bias", TensorData.ofBytes(DType.BF16, new int[] {8}, concat(bf, bf)));
        model.loadStateDict(new StateDict(t, Map.of()), true);
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, 65504f}, model.parameter("2.bias").storage().decodeAll());
        assertArrayEquals(new float[] {1f, -3.140625f, 0f, -0f, 1f, -3.140625f, 0f, -0f}, model.parameter("0.bias").storage().decodeAll());
    }

    @Test
    void weightsFileSavesAndLoadsInOneCallAndNamesTheFileInErrors() throws Exception {
        Sequential model = Regression.model(17);
        Quantization.finish(model, QuantScheme.parse("octal8"), TrainingMode.PTQ, 17);
        Path f = dir.resolve("model.safetensors");
        WeightsFile.save(model, f);
        assertEquals(SafetensorsFile.read(f), model.stateDict().toFile());
        Sequential back = Regression.model(18);
        WeightsFile.load(back, f, true);
        assertArrayEquals(model.parameter("0.weight").storage().decodeAll(), back.parameter("0.weight").storage().decodeAll());
        assertEquals(model.parameter("0.weight").storage().sizeInBytes(), back.parameter("0.weight").storage().sizeInBytes());

        Sequential bigger = new Sequential(new Linear(6, 9, new Rng(1)));
        StateMismatchException e = assertThrows(StateMismatchException.class, () -> WeightsFile.load(bigger, f, false));
        assertEquals(f + ": state dict entry '0.weight' has shape [8, 6], but the model's parameter is [9, 6]", e.getMessage());
        Path missing = dir.resolve("none.safetensors");
        assertEquals(missing + ": no such file", assertThrows(SafetensorsException.class, () -> WeightsFile.load(bigger, missing, true)).getMessage());
        Files.write(f, new byte[] {1, 2, 3});
        assertTrue(assertThrows(SafetensorsException.class, () -> WeightsFile.load(back, f, true)).getMessage().startsWith(f + ": "));
    }

    @Test
    void quantizedStorageLoadCodesRefusesValuesOutsideItsScheme() {
        QuantizedStorage q = (QuantizedStorage) QuantScheme.parse("int4-pc-minmax").newStorage(2, 3, 0);
        float[] before = q.decodeAll();
        assertThrows(IllegalArgumentException.class, () -> q.loadCodes(new long[] {0, 1, 2, 3, 4, 16}, new float[] {1, 1}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> q.loadCodes(new long[6], new float[] {1, 0}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> q.loadCodes(new long[6], new float[] {1, Float.NaN}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> q.loadCodes(new long[6], new float[] {1, 1}, new int[] {0, 16}));
        assertThrows(IllegalArgumentException.class, () -> q.loadCodes(new long[6], new float[] {1}, new int[] {0}));
        assertArrayEquals(before, q.decodeAll(), "a refused load changes nothing");
        q.loadCodes(new long[] {0, 15, 7, 3, 4, 5}, new float[] {0.5f, 2f}, new int[] {7, 4});
        assertArrayEquals(new float[] {-3.5f, 4f, 0f, -2f, 0f, 2f}, q.decodeAll());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
