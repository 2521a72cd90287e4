package dev.gradlab.upload;

import java.util.UUID;

/** A delete refused: jobs that will still train on the dataset (QUEUED or RUNNING) need it. */
public class DatasetInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetInUseException(UUID id, long jobs) {
        super("dataset " + id + " is used by " + jobs + (jobs == 1 ? " job" : " jobs") + " queued or running; "
                + "cancel them or wait until they finish, then delete it");
    }
}
