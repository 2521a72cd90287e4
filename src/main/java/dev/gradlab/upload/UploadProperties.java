package dev.gradlab.upload;

import dev.gradlab.spec.DatasetSpec;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code gradlab.datasets.upload.*}: the limits on one upload, which protect the instance's memory (an upload is
 * parsed into floats before it is stored, so its floats are held once) and the database.
 *
 * @param maxBytes    the CSV's size (413 past it); the parsed floats take at most twice that ("0,1,0,…")
 * @param maxRows     data rows (413 past it)
 * @param maxColumns  columns, the label's included (at most 4,097: the spec takes 4,096 features)
 * @param maxClasses  labels are 0 .. maxClasses − 1 (at most 1,000, the spec's limit on classes)
 * @param concurrency uploads parsed at once on this instance; one more is answered 429 (each holds its floats)
 */
@ConfigurationProperties("gradlab.datasets.upload")
public record UploadProperties(
        DataSize maxBytes, Integer maxRows, Integer maxColumns, Integer maxClasses, Integer concurrency) {

    public static final DataSize DEFAULT_MAX_BYTES = DataSize.ofMegabytes(64);
    public static final int DEFAULT_MAX_ROWS = 1_000_000;
    public static final int DEFAULT_MAX_COLUMNS = 4096;
    public static final int DEFAULT_MAX_CLASSES = 1000;
    public static final int DEFAULT_CONCURRENCY = 2;
    /** The spec's dataset.features maximum, and the label. */
    static final int MAX_COLUMNS = 4097;

    public UploadProperties {
        maxBytes = maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
        maxRows = maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        maxColumns = maxColumns == null ? DEFAULT_MAX_COLUMNS : maxColumns;
        maxClasses = maxClasses == null ? DEFAULT_MAX_CLASSES : maxClasses;
        concurrency = concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
        check("max-bytes", maxBytes.toBytes(), 1, Long.MAX_VALUE);
        check("max-rows", maxRows, 2, Integer.MAX_VALUE);
        check("max-columns", maxColumns, 2, MAX_COLUMNS);
        check("max-classes", maxClasses, 2, DatasetSpec.MAX_CLASSES);
        check("concurrency", concurrency, 1, Integer.MAX_VALUE);
    }

    public static UploadProperties defaults() {
        return new UploadProperties(null, null, null, null, null);
    }

    private static void check(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("gradlab.datasets.upload." + property + " must be between " + min
                    + " and " + max + " (was " + value + ")");
        }
    }
}
