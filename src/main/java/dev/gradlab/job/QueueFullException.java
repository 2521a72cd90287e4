package dev.gradlab.job;

import java.time.Duration;

/** As many jobs wait as {@code gradlab.jobs.queue-capacity} allows: the submission is refused, not queued. */
public class QueueFullException extends RuntimeException {

    private final transient Duration retryAfter;

    QueueFullException(long queued, int capacity, Duration retryAfter) {
        super(queued + " jobs are waiting, the queue's capacity (gradlab.jobs.queue-capacity = " + capacity
                + "); nothing was queued, try again later");
        this.retryAfter = retryAfter;
    }

    /** A study of {@code jobs} jobs that would not fit: none of them was queued. */
    QueueFullException(long queued, int jobs, int capacity, Duration retryAfter) {
        super(queued + " jobs are waiting and this study adds " + jobs + ", past the queue's capacity "
                + "(gradlab.jobs.queue-capacity = " + capacity + "); nothing was queued, try again later");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
