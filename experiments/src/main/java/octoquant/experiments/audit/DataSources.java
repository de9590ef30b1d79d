package octoquant.experiments.audit;

import octoquant.datasets.DataException;
import octoquant.datasets.DataLocator;
import octoquant.datasets.DatasetId;
import octoquant.datasets.Datasets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each image data set of an audit is read from. An audit touches several data sets and one {@code --data}
 * may not hold them all (Fashion-MNIST often comes from Debian's package), so a data set not under
 * {@code --data} is looked for in the default places too; one found nowhere is not downloaded: its run sets are
 * not run, and their rows say so with the data set module's own message on how to provide it.
 */
public final class DataSources {
    /** A data set's root (what {@code --data} would be for it), or why it is missing. */
    public record Source(Path root, String missing, String note) {
        public boolean found() {
            return missing == null;
        }
    }

    private final Path dataFlag;
    private final Map<String, Source> cache = new LinkedHashMap<>();

    public DataSources(Path dataFlag) {
        this.dataFlag = dataFlag;
    }

    public static DatasetId id(String experiment) {
        return switch (experiment) {
            case "mnist" -> DatasetId.MNIST;
            case "fashion-mnist" -> DatasetId.FASHION_MNIST;
            case "cifar10" -> DatasetId.CIFAR10;
            default -> null;
        };
    }

    /** The source of an experiment's data; the regression's is generated (root null, found). */
    public Source source(String experiment) {
        return cache.computeIfAbsent(experiment, this::locate);
    }

    private Source locate(String experiment) {
        DatasetId id = id(experiment);
        if (id == null) return new Source(null, null, null);
        DataLocator given = DataLocator.fromSystem(dataFlag);
        var at = given.find(id);
        if (at.isPresent()) return new Source(at.get().root(), null, null);
        if (dataFlag != null) {
            var elsewhere = DataLocator.fromSystem(null).find(id);
            if (elsewhere.isPresent()) {
                return new Source(elsewhere.get().root(), null, id.displayName() + " is not under --data " + dataFlag
                        + "; using " + elsewhere.get().folder() + " (found in the default places)");
            }
        }
        try {
            Datasets.load(id, given, null); // not found: this throws the module's message on how to provide it
            return new Source(null, id.displayName() + " not found", null);
        } catch (DataException e) {
            return new Source(null, e.getMessage(), null);
        }
    }
}
