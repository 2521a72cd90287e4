package dev.gradlab.quota;

import java.time.Duration;

/**
 * A request would take its owner (or key) past a limit: nothing of it was stored.
 *
 * @see Quota
 */
public class QuotaExceededException extends RuntimeException {

    private final Quota quota;
    private final long limit;
    private final long used;
    private final long requested;
    private final transient Duration retryAfter;

    /**
     * @param used       what the owner uses now (of the same unit as the limit)
     * @param requested  what this request would add
     * @param retryAfter when the request would fit if nothing else changed, or null when waiting alone does not
     *                   help (it is larger than the limit, or only a deletion frees room)
     */
    QuotaExceededException(Quota quota, long limit, long used, long requested, Duration retryAfter, String message) {
        super(message);
        this.quota = quota;
        this.limit = limit;
        this.used = used;
        this.requested = requested;
        this.retryAfter = retryAfter;
    }

    public Quota quota() {
        return quota;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used;
    }

    public long requested() {
        return requested;
    }

    /** @return the wait after which the request would fit, or null if waiting alone does not make it fit */
    public Duration retryAfter() {
        return retryAfter;
    }
}
