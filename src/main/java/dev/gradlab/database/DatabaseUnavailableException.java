package dev.gradlab.database;

/**
 * The database stayed unreachable (or unwritable) for longer than a step may wait for it. Not the job's fault: a
 * job that meets it goes back to the queue.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
