package dev.gradlab.dataset;

/**
 * A recorded dataset's file is not in the cache and cannot be fetched, or fails its checksum. The message is
 * written for the person who submitted the job: which file, the folder to put it in, its SHA-256, and why it
 * could not be fetched.
 */
public class DatasetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetUnavailableException(String message) {
        super(message);
    }
}
