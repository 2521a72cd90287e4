package dev.gradlab.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An uploaded dataset as stored.
 *
 * @param owner       who may see it and train on it (admins: every owner's)
 * @param name        the {@code name} of its first upload, or null
 * @param classes     the largest label + 1
 * @param classRows   rows per class, class 0 first
 * @param labelColumn the label column's name in the first upload's header
 * @param csvBytes    the first upload's CSV bytes
 * @param storedBytes the stored blocks' bytes (4 per value and per label)
 * @param sha256      the content hash: of the parsed numbers ({@code dataset.UploadedData}), not of the CSV bytes
 */
public record DatasetDetails(
        UUID id,
        String owner,
        String name,
        int rows,
        int features,
        int classes,
        List<Integer> classRows,
        String labelColumn,
        long csvBytes,
        long storedBytes,
        String sha256,
        Instant createdAt) {}
