package dev.gradlab.quota;

import dev.gradlab.access.Caller;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * The per-key request rate limit: a token bucket per API key ({@code gradlab.quotas.request-burst} tokens, refilled
 * at {@code requests-per-second}). Kept in this instance's memory: with N instances behind a load balancer a key
 * may send up to N times the rate, which still bounds it, and no request waits for the database to be counted.
 */
@Component
public class RequestRateLimiter {

    private final QuotaProperties limits;
    /** One bucket per key that sent a request here; keys are made by admins, so their number stays small. */
    private final ConcurrentMap<Object, Bucket> buckets = new ConcurrentHashMap<>();

    RequestRateLimiter(QuotaProperties limits) {
        this.limits = limits;
    }

    /**
     * What the limit said to one request.
     *
     * @param allowed        whether it may go on
     * @param limit          the bucket's size (requests at once)
     * @param remaining      requests left at once after this one
     * @param window         how long an empty bucket takes to fill again
     * @param untilFull      how long until the bucket is full again
     * @param retryAfter     for a refused request, how long until one request is allowed
     */
    public record Decision(
            boolean allowed, long limit, long remaining, Duration window, Duration untilFull, Duration retryAfter) {}

    /** @return the decision, or null when no limit applies (an admin, or the limit is off) */
    public Decision tryAcquire(Caller caller) {
        long perSecond = limits.requestsPerSecond();
        if (caller.admin() || perSecond == 0) {
            return null;
        }
        long burst = limits.requestBurst();
        Object key = caller.keyId() != null ? caller.keyId() : caller.owner();
        Bucket bucket = buckets.computeIfAbsent(
                key,
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(burst)
                                .refillGreedy(perSecond, Duration.ofSeconds(1))
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        Duration perToken = Duration.ofNanos(1_000_000_000L / perSecond);
        Duration window = perToken.multipliedBy(burst);
        long remaining = probe.getRemainingTokens();
        Duration untilFull = perToken.multipliedBy(burst - remaining);
        return new Decision(
                probe.isConsumed(),
                burst,
                remaining,
                window,
                untilFull,
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
