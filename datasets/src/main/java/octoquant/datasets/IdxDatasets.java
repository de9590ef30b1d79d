package octoquant.datasets;

import octoquant.datasets.DataException.Problem;
import octoquant.datasets.io.IdxReader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads an MNIST-format folder (four IDX files, raw or .gz) and checks it against the catalog. */
final class IdxDatasets {
    private static final int SIDE = 28;

    private IdxDatasets() {}

    static TrainTest load(DatasetId id, Path folder, Verify verify) {
        ImageDataset train = part(id, folder, 0, 1, "train", verify);
        ImageDataset test = part(id, folder, 2, 3, "test", verify);
        return new TrainTest(train, test, folder.toString());
    }

    /** True when all four files are present (raw or .gz) in {@code folder}. */
    static boolean complete(DatasetId id, Path folder) {
        for (DatasetId.KnownFile f : id.files()) {
            if (find(folder, f.name()) == null) return false;
        }
        return true;
    }

    /**
     * The file for a canonical name: raw, then .gz, then the same with the dotted names of the original
     * LeCun archives ({@code train-images.idx3-ubyte}, what {@code gunzip -N} restores); null when none exists.
     */
    static Path find(Path folder, String name) {
        String dotted = name.replaceFirst("-idx", ".idx");
        for (String candidate : dotted.equals(name) ? new String[] {name, name + ".gz"}
                : new String[] {name, name + ".gz", dotted, dotted + ".gz"}) {
            Path p = folder.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static Path require(DatasetId id, Path folder, String name) {
        Path f = find(folder, name);
        if (f == null) {
            throw DataException.of(Problem.MISSING, folder.resolve(name + ".gz"), "not found (nor "
                    + name + "); put the " + id.displayName() + " files in " + folder + " or see datasets/README.md");
        }
        return f;
    }

    private static ImageDataset part(DatasetId id, Path folder, int imagesIdx, int labelsIdx, String split, Verify verify) {
        DatasetId.KnownFile imgSpec = id.files().get(imagesIdx);
        DatasetId.KnownFile lblSpec = id.files().get(labelsIdx);
        Path imgFile = require(id, folder, imgSpec.name());
        Path lblFile = require(id, folder, lblSpec.name());

        IdxReader.Images images = IdxReader.readImages(imgFile);
        if (images.rows() != SIDE || images.cols() != SIDE) {
            throw DataException.of(Problem.WRONG_MAGIC, imgFile, "holds " + images.rows() + "x" + images.cols()
                    + " images; " + id.displayName() + " images are 28x28: is this the right file?");
        }
        IdxReader.Labels labels = IdxReader.readLabels(lblFile);
        if (labels.labels().length != images.count()) {
            throw DataException.of(Problem.COUNT_MISMATCH, lblFile, "holds " + labels.labels().length + " labels but "
                    + imgFile.getFileName() + " holds " + images.count() + " images; the two files do not belong together");
        }
        int classes = id.classNames().size();
        byte[] lb = labels.labels();
        for (int i = 0; i < lb.length; i++) {
            if ((lb[i] & 0xFF) >= classes) {
                throw DataException.of(Problem.LABEL_OUT_OF_RANGE, lblFile, "label " + (lb[i] & 0xFF) + " of example "
                        + i + " is outside 0.." + (classes - 1) + "; the file is corrupt");
            }
        }
        if (verify == Verify.CANONICAL) {
            checkSha(imgFile, imgSpec, images.sha256());
            checkSha(lblFile, lblSpec, labels.sha256());
        }
        return new ImageDataset(id.folder() + "/" + split, images.pixels(), lb, 1, SIDE, SIDE, id.classNames());
    }

    private static void checkSha(Path file, DatasetId.KnownFile spec, String actual) {
        if (spec.sha256() != null && !spec.sha256().equals(actual)) {
            throw DataException.of(Problem.CHECKSUM, file, "SHA-256 of the content is " + actual + ", the canonical "
                    + spec.name() + " has " + spec.sha256() + "; replace it with the canonical file");
        }
    }
}
