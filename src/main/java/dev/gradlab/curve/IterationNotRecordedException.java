package dev.gradlab.curve;

/** A per-step gradient curve asked for at an iteration that recorded none (or before any was recorded). */
public class IterationNotRecordedException extends RuntimeException {
    public IterationNotRecordedException(String message) {
        super(message);
    }
}
