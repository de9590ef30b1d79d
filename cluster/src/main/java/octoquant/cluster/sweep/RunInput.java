package octoquant.cluster.sweep;

import java.io.Serializable;

/** One element of the distributed grid: the spec, its place in the grid and where its result goes. */
public record RunInput(int index, String spec, String resultFile) implements Serializable {
}
