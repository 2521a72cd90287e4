package dev.gradlab.upload;

import java.util.UUID;

/** No uploaded dataset has this id (never uploaded, or deleted). */
public class DatasetNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetNotFoundException(UUID id) {
        super("no uploaded dataset has id " + id);
    }
}
