package dev.gradlab.spec;

import java.util.Optional;
import java.util.UUID;

/**
 * What the validator needs to know of the users' uploaded datasets: whether an id names one, and its shape. The
 * storage that holds them implements it ({@code upload}), so {@code spec} knows nothing of the database.
 */
public interface UploadCatalog {

    /** No uploads at all: every id is unknown (code that validates specs without the database). */
    UploadCatalog NONE = (id, owner) -> Optional.empty();

    /**
     * The shape of the upload {@code id}, or empty when there is none, or none that {@code owner} may use: another
     * owner's upload is answered exactly like an unknown id.
     *
     * @param owner the owner the upload must belong to, or null for any (an admin's request)
     */
    Optional<UploadShape> find(UUID id, String owner);

    /**
     * @param rows     examples in the upload
     * @param features feature columns (the net's inputs)
     * @param classes  the largest label + 1 (the net's outputs)
     */
    record UploadShape(int rows, int features, int classes) {}
}
