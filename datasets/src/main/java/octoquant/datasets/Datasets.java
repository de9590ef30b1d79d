package octoquant.datasets;

import octoquant.datasets.DataException.Problem;
import octoquant.datasets.download.Downloader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The entry point for experiments: find a data set (see {@link DataLocator}), download what is missing when
 * a {@link Downloader} is given, verify, and load it.
 *
 * <pre>
 *   TrainTest mnist = Datasets.load(DatasetId.MNIST, DataLocator.fromSystem(dataFlag), Downloader.standard());
 * </pre>
 *
 * Every problem with the data comes out as a {@link DataException} whose one-line message says which files
 * to put where and where to get them (the CLI maps it to exit code 3).
 */
public final class Datasets {
    private Datasets() {}

    /**
     * The usual call from a command line: search from {@code --data} (null when not given) and the
     * environment, download what is missing with {@link Downloader#standard()} unless the environment
     * variable {@code OCTOQUANT_OFFLINE} is set (to anything but "" or "0"), verify, load.
     */
    public static TrainTest load(DatasetId id, Path dataFlag) {
        String offline = System.getenv("OCTOQUANT_OFFLINE");
        boolean noDownload = offline != null && !offline.isBlank() && !offline.equals("0");
        return load(id, DataLocator.fromSystem(dataFlag), noDownload ? null : Downloader.standard());
    }

    /** Finds, if needed downloads, verifies (canonical checksums) and loads {@code id}. */
    public static TrainTest load(DatasetId id, DataLocator locator, Downloader downloaderOrNull) {
        Optional<DataLocator.Location> found = locator.find(id);
        if (found.isPresent()) return loadFrom(id, found.get(), Verify.CANONICAL);
        Path root = locator.downloadRoot();
        DataLocator.Location target = new DataLocator.Location(root, root.resolve(id.folder()));
        if (downloaderOrNull == null) throw missing(id, locator, target, null);
        try {
            download(id, target, downloaderOrNull);
        } catch (DataException e) {
            throw missing(id, locator, target, e);
        }
        return loadFrom(id, target, Verify.CANONICAL);
    }

    /** Loads from one location (no search, no download). */
    public static TrainTest loadFrom(DatasetId id, DataLocator.Location where, Verify verify) {
        switch (id) {
            case MNIST: return Mnist.load(where.folder(), verify);
            case FASHION_MNIST: return FashionMnist.load(where.folder(), verify);
            case CIFAR10: return Cifar10.load(where.root(), verify);
            default: throw new IllegalStateException(id.toString());
        }
    }

    /** Downloads the canonical files of {@code id} that are missing at {@code target}. */
    static void download(DatasetId id, DataLocator.Location target, Downloader downloader) {
        download(id, target, downloader, id.mirrors());
    }

    /** As above, from the given base URLs (tests point this at a local server). */
    static void download(DatasetId id, DataLocator.Location target, Downloader downloader, List<String> mirrors) {
        if (id == DatasetId.CIFAR10) {
            downloader.fetch(urls(mirrors, DatasetId.CIFAR10_ARCHIVE), target.root().resolve(DatasetId.CIFAR10_ARCHIVE),
                    new Downloader.Checksum("MD5", DatasetId.CIFAR10_ARCHIVE_MD5, false));
            return;
        }
        for (DatasetId.KnownFile f : id.files()) {
            if (IdxDatasets.find(target.folder(), f.name()) != null) continue;
            downloader.fetch(urls(mirrors, f.name() + ".gz"), target.folder().resolve(f.name() + ".gz"),
                    new Downloader.Checksum("SHA-256", f.sha256(), true));
        }
    }

    private static List<java.net.URI> urls(List<String> mirrors, String fileName) {
        return mirrors.stream().map(m -> java.net.URI.create(m + fileName)).toList();
    }

    /** What to tell the user when a data set is nowhere to be found and could not be downloaded. */
    static DataException missing(DatasetId id, DataLocator locator, DataLocator.Location target, DataException cause) {
        String searched = locator.candidates(id).stream()
                .map(l -> id == DatasetId.CIFAR10 ? l.root().toString() : l.folder().toString())
                .distinct().collect(Collectors.joining(", "));
        String what;
        if (id == DatasetId.CIFAR10) {
            what = "put " + DatasetId.CIFAR10_ARCHIVE + " (from " + id.mirrors().get(0) + DatasetId.CIFAR10_ARCHIVE
                    + ", MD5 " + DatasetId.CIFAR10_ARCHIVE_MD5 + ") in " + target.root()
                    + " or its unpacked data_batch_1..5.bin and test_batch.bin in " + target.folder();
        } else {
            List<String> names = new ArrayList<>();
            for (DatasetId.KnownFile f : id.files()) names.add(f.name() + ".gz");
            what = "put " + String.join(", ", names) + " in " + target.folder() + " (from " + id.mirrors().get(0) + ")";
        }
        String reason = cause == null ? "not found (downloads disabled)" : "not found and the download failed (" + cause.getMessage() + ")";
        // A common slip: --data pointing at the data set's own folder instead of the root that holds it.
        if (id != DatasetId.CIFAR10 && IdxDatasets.complete(id, target.root())) {
            reason += "; " + target.root() + " itself holds the " + id.displayName() + " files, but --data expects the folder that holds "
                    + id.folder() + "/, i.e. --data " + (target.root().getParent() == null ? target.root() : target.root().getParent())
                    + " with the files in " + id.folder() + "/";
        }
        Problem p = cause == null ? Problem.MISSING : cause.problem();
        return new DataException(p, id.displayName() + " " + reason + "; searched " + searched + "; " + what
                + ", or pass --data DIR pointing at a folder that holds " + id.folder() + "/", cause);
    }
}
