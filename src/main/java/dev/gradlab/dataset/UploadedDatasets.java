package dev.gradlab.dataset;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Users' uploaded datasets, as training reads them: the storage that holds them (the {@code upload} package, in the
 * database) implements it, so {@code dataset} knows nothing of the database, as training's {@code TrainingObserver}
 * keeps training from knowing the metric store. Stored in the form {@link UploadedData} defines.
 */
public interface UploadedDatasets {

    /** No uploads: for code that runs without the database. */
    UploadedDatasets NONE = new UploadedDatasets() {
        @Override
        public Optional<UploadedData.Header> header(UUID id) {
            return Optional.empty();
        }

        @Override
        public void readBlocks(UUID id, Consumer<UploadedData.Block> each) {
            throw new DatasetUnavailableException("uploaded dataset " + id + " is not available here: uploads are "
                    + "kept in the service's database");
        }
    };

    /** The upload's shape and checksum, or empty when there is none (never uploaded, or deleted). */
    Optional<UploadedData.Header> header(UUID id);

    /**
     * Hands {@code each} the upload's blocks in row order, one at a time (a block is read when the previous one has
     * been handled, so reading holds one block, not the whole upload).
     *
     * @throws DatasetUnavailableException when the upload is not there (any more)
     */
    void readBlocks(UUID id, Consumer<UploadedData.Block> each);
}
