package dev.gradlab.job;

/** An Idempotency-Key was sent again with a different request body. */
public class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException(String key) {
        super("Idempotency-Key '" + key + "' was already used with a different request");
    }
}
