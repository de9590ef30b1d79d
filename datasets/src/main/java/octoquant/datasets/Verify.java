package octoquant.datasets;

/** How strictly a loader checks files. */
public enum Verify {
    /** Structure (magic, sizes, counts, label range) and the canonical checksums/counts: the default. */
    CANONICAL,
    /** Structure only: for home-made files in the same formats (tests, subsets, other sources). */
    STRUCTURE
}
