package dev.gradlab.job;

/** The job is not in a state that allows the request (e.g. cancelling a finished job). */
public class JobStateException extends RuntimeException {
    public JobStateException(String message) {
        super(message);
    }
}
