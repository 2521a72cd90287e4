package dev.gradlab.curve;

/** A per-step gradient curve asked for at an iteration that recorded none (or before any was recorded). */
public class IterationNotRecordedException extends RuntimeException {
    IterationNotRecordedException(String message) {
        super(message);
    }
}
