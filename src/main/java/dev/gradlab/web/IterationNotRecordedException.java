package dev.gradlab.web;

/** A curve asked for at an iteration that recorded none; answered 404. */
class IterationNotRecordedException extends RuntimeException {
    IterationNotRecordedException(String message) {
        super(message);
    }
}
