package dev.gradlab.upload;

import dev.gradlab.dataset.UploadedData;
import java.util.List;

/**
 * A CSV parsed into the stored form ({@link UploadedData}), not yet stored: its blocks are the floats themselves,
 * the only copy of the upload held.
 *
 * @param classRows   rows per class, class 0 first ({@code classes} entries)
 * @param labelColumn the header's name of the label column
 * @param csvBytes    bytes of the CSV as received
 * @param sha256      the content hash ({@link UploadedData}: of the parsed numbers, not of the bytes)
 */
record ParsedUpload(
        int rows,
        int features,
        int classes,
        int[] classRows,
        String labelColumn,
        long csvBytes,
        String sha256,
        List<UploadedData.Block> blocks) {

    /** Bytes of the stored blocks: 4 per feature value and 4 per label. */
    long storedBytes() {
        return (long) rows * (features + 1) * Float.BYTES;
    }
}
