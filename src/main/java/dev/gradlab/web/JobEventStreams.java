package dev.gradlab.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gradlab.access.ApiKeys;
import dev.gradlab.access.Caller;
import dev.gradlab.database.DatabaseFailures;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobNotFoundException;
import dev.gradlab.job.JobService;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open {@code /events} streams of this instance. Once a second one thread reads each watched job from the
 * database — not from this instance's memory, so a stream shows a job that another instance trains — and sends
 * a {@code job} event when its status, place in the queue or progress changed, a comment as a heartbeat otherwise, and a last event
 * when the job has finished, then closes the stream. At most {@code gradlab.api.max-event-streams} are open at once.
 * While the database is unavailable the streams stay open with heartbeats only, and resume when it is back.
 */
@Component
class JobEventStreams {

    private final JobService jobs;
    private final ApiKeys keys;
    private final int maxStreams;
    private final long heartbeatMillis;
    private final Map<SseEmitter, Watch> streams = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    JobEventStreams(
            JobService jobs,
            ApiKeys keys,
            @Value("${gradlab.api.max-event-streams:200}") int maxStreams,
            @Value("${gradlab.api.event-heartbeat-ms:15000}") long heartbeatMillis) {
        this.jobs = jobs;
        this.keys = keys;
        this.maxStreams = maxStreams;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** What a stream last sent, so it sends only changes. */
    private static final class Watch {
        final UUID job;
        /** Who opened the stream: each poll reads the job as them, and ends the stream once their key is revoked. */
        final Caller caller;

        JobEvent last;
        long lastSentMillis = System.currentTimeMillis();

        Watch(UUID job, Caller caller) {
            this.job = job;
            this.caller = caller;
        }
    }

    /**
     * @throws JobNotFoundException for an unknown id, or another owner's job
     * @throws TooManyEventStreamsException when this instance has as many streams open as it allows
     */
    SseEmitter open(UUID id, Caller caller) {
        JobDetails job = jobs.get(id, caller);
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw new TooManyEventStreamsException(maxStreams);
        }
        SseEmitter emitter = new SseEmitter(0L); // no timeout: the stream ends with the job, or when the client goes
        Watch watch = new Watch(id, caller);
        Runnable close = () -> {
            if (streams.remove(emitter) != null) {
                open.decrementAndGet();
            }
        };
        emitter.onCompletion(close);
        emitter.onTimeout(close);
        emitter.onError(e -> close.run());
        streams.put(emitter, watch);
        send(emitter, watch, JobEvent.of(job)); // the state now, at once
        return emitter;
    }

    int openStreams() {
        return open.get();
    }

    @Scheduled(fixedDelayString = "${gradlab.api.event-interval-ms:1000}")
    void push() {
        // Read once per round: a job (as its owner sees it, or an admin: the same event) and a key's validity.
        Map<UUID, JobEvent> now = new java.util.HashMap<>();
        Map<UUID, Boolean> keyActive = new java.util.HashMap<>();
        boolean[] unavailable = {false};
        streams.forEach((emitter, watch) -> {
            JobEvent event = null;
            if (!unavailable[0]) {
                try {
                    UUID key = watch.caller.keyId();
                    if (key != null && !keyActive.computeIfAbsent(key, keys::active)) {
                        emitter.complete(); // the key was revoked: the stream ends, as new requests are refused
                        return;
                    }
                    event = now.computeIfAbsent(watch.job, id -> read(id, watch.caller));
                } catch (RuntimeException e) {
                    if (!DatabaseFailures.isUnavailable(e)) {
                        throw e;
                    }
                    unavailable[0] = true; // one wait for a connection per round, not one per stream
                }
            }
            if (unavailable[0]) {
                if (System.currentTimeMillis() - watch.lastSentMillis >= heartbeatMillis) {
                    heartbeat(emitter, watch);
                }
            } else if (event == null) {
                emitter.complete(); // deleted meanwhile
            } else if (!event.equals(watch.last)) {
                send(emitter, watch, event);
            } else if (System.currentTimeMillis() - watch.lastSentMillis >= heartbeatMillis) {
                heartbeat(emitter, watch);
            }
        });
    }

    private JobEvent read(UUID id, Caller caller) {
        try {
            return JobEvent.of(jobs.get(id, caller));
        } catch (JobNotFoundException e) {
            return null;
        }
    }

    private void send(SseEmitter emitter, Watch watch, JobEvent event) {
        try {
            emitter.send(SseEmitter.event().name("job").data(event, MediaType.APPLICATION_JSON));
            watch.last = event;
            watch.lastSentMillis = System.currentTimeMillis();
            if (event.status().finished()) {
                emitter.complete(); // the last event: the client stops listening
            }
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e); // the client went away
        }
    }

    private void heartbeat(SseEmitter emitter, Watch watch) {
        try {
            emitter.send(SseEmitter.event().comment("heartbeat"));
            watch.lastSentMillis = System.currentTimeMillis();
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
        }
    }

    /** The data of one {@code job} event. A QUEUED job's place is in it, so a move up the queue is an event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobEvent(
            UUID id,
            dev.gradlab.job.JobStatus status,
            Integer queuePosition,
            long iteration,
            long totalIterations,
            int epoch,
            int totalEpochs) {

        static JobEvent of(JobDetails job) {
            JobDetails.Progress p = job.progress();
            return new JobEvent(
                    job.id(),
                    job.status(),
                    job.queuePosition(),
                    p.iteration(),
                    p.totalIterations(),
                    p.epoch(),
                    p.totalEpochs());
        }
    }
}
