package octoquant.datasets;

import octoquant.datasets.DataException.Problem;
import octoquant.datasets.io.Inputs;
import octoquant.datasets.io.TarReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10, binary version: 50,000 training images in {@code data_batch_1..5.bin} and 10,000 test images in
 * {@code test_batch.bin}, 3×32×32, 10 classes.
 *
 * <p>Each file is a sequence of 3073-byte records: 1 label byte (0..9), then 1024 red, 1024 green and 1024
 * blue bytes, each plane row-major. That is already channel-planar C×H×W, so a record's pixels are copied
 * as they are. Class names come from {@code batches.meta.txt} when present (one per line).
 *
 * <p>Sources, tried by {@link #load}: the folder {@code ROOT/cifar-10-batches-bin/} (files raw or .gz), else
 * the canonical archive {@code ROOT/cifar-10-binary.tar.gz} read directly (no unpacking, MD5 checked while
 * streaming).
 */
public final class Cifar10 {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** Records in each canonical batch file; also the most one file may hold (guards against huge inputs). */
    public static final int RECORDS_PER_FILE = 10_000;
    public static final String META = "batches.meta.txt";
    private static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    private static final String TEST_FILE = "test_batch.bin";

    private Cifar10() {}

    /** True when {@code root} holds the batch folder (complete) or the archive. */
    public static boolean available(Path root) {
        return folderComplete(root.resolve(DatasetId.CIFAR10.folder())) || Files.isRegularFile(root.resolve(DatasetId.CIFAR10_ARCHIVE));
    }

    /** Loads from a data root: the batch folder if complete, else the archive. */
    public static TrainTest load(Path root, Verify verify) {
        Path folder = root.resolve(DatasetId.CIFAR10.folder());
        if (folderComplete(folder)) return loadFolder(folder, verify);
        Path archive = root.resolve(DatasetId.CIFAR10_ARCHIVE);
        if (Files.isRegularFile(archive)) return loadArchive(archive, verify);
        throw new DataException(Problem.MISSING, folder + ": CIFAR-10 not found (need data_batch_1..5.bin and test_batch.bin, "
                + "raw or .gz, or " + archive + "); get " + DatasetId.CIFAR10.mirrors().get(0) + DatasetId.CIFAR10_ARCHIVE);
    }

    static boolean folderComplete(Path folder) {
        for (DatasetId.KnownFile f : DatasetId.CIFAR10.files()) {
            if (IdxDatasets.find(folder, f.name()) == null) return false;
        }
        return true;
    }

    /** Loads {@code data_batch_1..5.bin} and {@code test_batch.bin} (each raw or .gz) from a folder. */
    public static TrainTest loadFolder(Path folder, Verify verify) {
        List<Path> trainFiles = new ArrayList<>();
        for (String name : TRAIN_FILES) trainFiles.add(requireFile(folder, name));
        Path testFile = requireFile(folder, TEST_FILE);
        List<String> classes = DatasetId.CIFAR10.classNames();
        Path meta = folder.resolve(META);
        if (Files.isRegularFile(meta)) {
            try (InputStream in = Inputs.open(meta)) {
                classes = parseMeta(readMeta(in, meta), meta);
            } catch (IOException e) {
                throw Inputs.translate(meta, e);
            }
        }
        // Records go straight into arrays sized from the files' sizes, so only one batch's raw bytes exist
        // besides the result (a wrong size hint only costs a regrowth).
        RecordSink train = new RecordSink(expectedRecords(trainFiles));
        for (Path f : trainFiles) train.add(checked(readBatchFile(f), f, verify));
        RecordSink test = new RecordSink(expectedRecords(List.of(testFile)));
        test.add(checked(readBatchFile(testFile), testFile, verify));
        return finish(train.build("cifar10/train", classes), test.build("cifar10/test", classes), folder, testFile, verify,
                folder.toString());
    }

    private static int expectedRecords(List<Path> files) {
        long records = 0;
        for (Path f : files) {
            long hint = Inputs.contentSizeHint(f);
            if (hint > 0) records += Math.min(RECORDS_PER_FILE, hint / RECORD_BYTES);
        }
        return (int) records;
    }

    /** Reads the canonical archive directly, picking the batch files out of the tar stream. */
    public static TrainTest loadArchive(Path archive, Verify verify) {
        MessageDigest md5 = md5();
        Map<String, byte[]> batches = new LinkedHashMap<>();
        List<String> classes = DatasetId.CIFAR10.classNames();
        Path inside = archive.resolve(DatasetId.CIFAR10.folder());
        try (InputStream in = Inputs.open(archive, md5)) {
            TarReader tar = new TarReader(in, archive);
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                if (!e.isFile()) continue;
                String base = e.name().substring(e.name().lastIndexOf('/') + 1);
                // For messages only, and only for the known names: an entry's own name may be anything.
                Path where = inside.resolve(TRAIN_FILES.contains(base) || base.equals(TEST_FILE) || base.equals(META) ? base : "entry");
                if (TRAIN_FILES.contains(base) || base.equals(TEST_FILE)) {
                    if (batches.containsKey(base)) {
                        throw DataException.of(Problem.BAD_ARCHIVE, archive, "holds " + base + " twice; get the canonical archive");
                    }
                    batches.put(base, readBatch(tar.entryData(), where, e.size()));
                } else if (base.equals(META)) {
                    classes = parseMeta(readMeta(tar.entryData(), where), where);
                }
            }
            tar.drain();
        } catch (IOException e) {
            throw Inputs.translate(archive, e);
        }
        if (verify == Verify.CANONICAL) {
            String actual = Inputs.hex(md5.digest());
            if (!actual.equals(DatasetId.CIFAR10_ARCHIVE_MD5)) {
                throw DataException.of(Problem.CHECKSUM, archive, "MD5 is " + actual + ", the published "
                        + DatasetId.CIFAR10_ARCHIVE + " has " + DatasetId.CIFAR10_ARCHIVE_MD5 + "; download it again");
            }
        }
        // Batches may come in any order in the archive; they are joined in data_batch_1..5 order here.
        int trainRecords = 0;
        for (String name : TRAIN_FILES) trainRecords += requireEntry(batches, archive, name).length / RECORD_BYTES;
        RecordSink train = new RecordSink(trainRecords);
        for (String name : TRAIN_FILES) {
            byte[] b = checked(requireEntry(batches, archive, name), inside.resolve(name), verify);
            train.add(b);
            batches.remove(name);
        }
        RecordSink test = new RecordSink(requireEntry(batches, archive, TEST_FILE).length / RECORD_BYTES);
        test.add(checked(requireEntry(batches, archive, TEST_FILE), inside.resolve(TEST_FILE), verify));
        return finish(train.build("cifar10/train", classes), test.build("cifar10/test", classes), inside, inside.resolve(TEST_FILE),
                verify, archive.toString());
    }

    /** Reads one batch file (raw or .gz) and checks its record structure; returns the raw records. */
    static byte[] readBatchFile(Path file) {
        long hint = Inputs.contentSizeHint(file);
        if (!Inputs.isGzip(file) && hint > (long) RECORDS_PER_FILE * RECORD_BYTES) throw tooLarge(file);
        try (InputStream in = Inputs.open(file)) {
            return readBatch(in, file, hint);
        } catch (IOException e) {
            throw Inputs.translate(file, e);
        }
    }

    /** Reads a stream of 3073-byte records (at most {@link #RECORDS_PER_FILE}) and checks each label. */
    static byte[] readBatch(InputStream in, Path file, long sizeHint) throws IOException {
        long cap = (long) RECORDS_PER_FILE * RECORD_BYTES;
        byte[] data = Inputs.readAtMost(in, cap, sizeHint);
        if (data == null) throw tooLarge(file);
        if (data.length == 0) {
            throw DataException.of(Problem.TRUNCATED, file, "is empty, a CIFAR-10 batch holds 3073-byte records; get the canonical file");
        }
        if (data.length % RECORD_BYTES != 0) {
            throw DataException.of(Problem.TRUNCATED, file, "truncated or extended: " + data.length + " bytes is not a whole number "
                    + "of 3073-byte records (record " + data.length / RECORD_BYTES + " is cut after "
                    + data.length % RECORD_BYTES + " bytes); get the canonical file");
        }
        int n = data.length / RECORD_BYTES;
        for (int i = 0; i < n; i++) {
            int label = data[i * RECORD_BYTES] & 0xFF;
            if (label >= 10) {
                throw DataException.of(Problem.LABEL_OUT_OF_RANGE, file, "label " + label + " of record " + i
                        + " is outside 0..9; the file is corrupt or not a CIFAR-10 binary batch");
            }
        }
        return data;
    }

    private static DataException tooLarge(Path file) {
        return DataException.of(Problem.TOO_LARGE, file, "holds more than " + RECORDS_PER_FILE + " records of 3073 bytes; a CIFAR-10 batch file holds exactly "
                + RECORDS_PER_FILE + ": get the canonical file");
    }

    /** Canonical files hold exactly 10,000 records each. Returns the records. */
    private static byte[] checked(byte[] records, Path file, Verify verify) {
        int n = records.length / RECORD_BYTES;
        if (verify == Verify.CANONICAL && n != RECORDS_PER_FILE) {
            throw DataException.of(Problem.COUNT_MISMATCH, file, "holds " + n + " records, the canonical file holds "
                    + RECORDS_PER_FILE + "; get the canonical file");
        }
        return records;
    }

    private static TrainTest finish(ImageDataset trainSet, ImageDataset testSet, Path trainWhere, Path testWhere, Verify verify,
                                    String source) {
        if (verify == Verify.CANONICAL) {
            checkBalanced(trainSet, trainWhere, 5000);
            checkBalanced(testSet, testWhere, 1000);
        }
        return new TrainTest(trainSet, testSet, source);
    }

    private static void checkBalanced(ImageDataset set, Path where, int perClass) {
        int[] h = set.labelHistogram();
        for (int count : h) {
            if (count != perClass) {
                throw DataException.of(Problem.CHECKSUM, where, "label histogram " + Arrays.toString(h)
                        + " differs from the canonical " + perClass + " per class; get the canonical files");
            }
        }
    }

    /** Collects records into uint8 N×3×32×32 pixels and labels, in the order added. */
    private static final class RecordSink {
        private byte[] pixels;
        private byte[] labels;
        private int n;

        RecordSink(int expectedRecords) {
            pixels = new byte[Math.multiplyExact(expectedRecords, IMAGE_BYTES)];
            labels = new byte[expectedRecords];
        }

        void add(byte[] records) {
            int m = records.length / RECORD_BYTES;
            if (n + m > labels.length) {
                int cap = Math.max(n + m, labels.length * 2);
                pixels = Arrays.copyOf(pixels, Math.multiplyExact(cap, IMAGE_BYTES));
                labels = Arrays.copyOf(labels, cap);
            }
            for (int r = 0; r < m; r++, n++) {
                labels[n] = records[r * RECORD_BYTES];
                System.arraycopy(records, r * RECORD_BYTES + 1, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
            }
        }

        ImageDataset build(String name, List<String> classes) {
            if (n != labels.length) { // the size hint was off: trim once
                pixels = Arrays.copyOf(pixels, n * IMAGE_BYTES);
                labels = Arrays.copyOf(labels, n);
            }
            return new ImageDataset(name, pixels, labels, CHANNELS, SIDE, SIDE, classes);
        }
    }

    private static String readMeta(InputStream in, Path file) throws IOException {
        byte[] b = Inputs.readAtMost(in, 1 << 16, -1);
        if (b == null) throw DataException.of(Problem.WRONG_MAGIC, file, "is larger than 64 KiB; it should list 10 class names");
        return new String(b, StandardCharsets.UTF_8);
    }

    /** batches.meta.txt: one class name per line, blank lines ignored; exactly 10 names. */
    static List<String> parseMeta(String text, Path file) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String t = line.trim();
            if (!t.isEmpty()) names.add(t);
        }
        if (names.size() != 10) {
            throw DataException.of(Problem.WRONG_MAGIC, file, "lists " + names.size() + " class names, CIFAR-10 has 10");
        }
        return names;
    }

    private static Path requireFile(Path folder, String name) {
        Path f = IdxDatasets.find(folder, name);
        if (f == null) {
            throw DataException.of(Problem.MISSING, folder.resolve(name), "not found (nor " + name + ".gz); get "
                    + DatasetId.CIFAR10.mirrors().get(0) + DatasetId.CIFAR10_ARCHIVE + " and put it in " + folder.getParent());
        }
        return f;
    }

    private static byte[] requireEntry(Map<String, byte[]> batches, Path archive, String name) {
        byte[] b = batches.get(name);
        if (b == null) {
            throw DataException.of(Problem.MISSING, archive, "holds no " + DatasetId.CIFAR10.folder() + "/" + name
                    + "; get the canonical archive");
        }
        return b;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }
}
