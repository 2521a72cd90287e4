package dev.gradlab.job;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ParameterBudget;
import dev.gradlab.spec.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Accepts, lists and cancels jobs. A job is queued in the same transaction that stores it, so none is lost. */
@Service
public class JobService {

    private final JobRepository jobs;
    private final SpecValidator validator;
    private final SchedulerClient scheduler;
    private final OneTimeTask<Void> trainTask;
    private final RunningJobs running;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final JobProperties properties;
    private final CommitFlusher flusher;

    JobService(
            JobRepository jobs,
            SpecValidator validator,
            SchedulerClient scheduler,
            OneTimeTask<Void> trainTask,
            RunningJobs running,
            JsonMapper json,
            TransactionTemplate transactions,
            JobProperties properties,
            CommitFlusher flusher) {
        this.jobs = jobs;
        this.validator = validator;
        this.scheduler = scheduler;
        this.trainTask = trainTask;
        this.running = running;
        this.json = json;
        this.transactions = transactions;
        this.properties = properties;
        this.flusher = flusher;
    }

    /** The job, and whether this call created it (false: an Idempotency-Key replay). */
    public record Submission(JobDetails job, boolean created) {}

    /**
     * Validates, stores and queues a spec (or replays the job an Idempotency-Key already created).
     *
     * @throws QueueFullException when {@code gradlab.jobs.queue-capacity} jobs are waiting. The count is read
     *                            before the insert, so simultaneous submissions may pass it by one each.
     */
    public Submission submit(String name, ExperimentSpec submitted, String idempotencyKey) {
        ExperimentSpec spec = validator.validate(submitted);
        String specJson = json.writeValueAsString(spec);
        String hash = sha256((name == null ? "" : name) + "\n" + specJson);
        if (idempotencyKey != null) {
            Job existing = jobs.findByIdempotencyKey(idempotencyKey).orElse(null);
            if (existing != null) {
                return replay(existing, idempotencyKey, hash);
            }
        }
        long queued = jobs.countByStatus(JobStatus.QUEUED);
        if (queued >= properties.queueCapacity()) {
            throw new QueueFullException(queued, properties.queueCapacity(), properties.queueFullRetryAfter());
        }
        Job job = new Job(
                UUID.randomUUID(),
                name,
                specJson,
                spec.totalIterations(),
                ParameterBudget.parameterCount(spec),
                idempotencyKey,
                hash,
                Instant.now());
        try {
            transactions.executeWithoutResult(tx -> {
                jobs.saveAndFlush(job);
                scheduler.scheduleIfNotExists(trainTask.instance(job.getId().toString()), job.getCreatedAt());
            });
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // Two requests with one Idempotency-Key raced; the other one's insert won.
            Job winner = idempotencyKey == null
                    ? null
                    : jobs.findByIdempotencyKey(idempotencyKey).orElse(null);
            if (winner == null) {
                throw e;
            }
            return replay(winner, idempotencyKey, hash);
        }
        flusher.flush(); // the 202 promises the job survives a crash
        return new Submission(view(job), true);
    }

    private Submission replay(Job existing, String key, String hash) {
        if (!existing.getRequestHash().equals(hash)) {
            throw new IdempotencyConflictException(key);
        }
        return new Submission(view(existing), false);
    }

    @Transactional(readOnly = true)
    public JobDetails get(UUID id) {
        return view(jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id)));
    }

    public void requireExists(UUID id) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
    }

    @Transactional(readOnly = true)
    public JobPage list(JobStatus status, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
        Page<Job> result = status == null ? jobs.findAll(request) : jobs.findAllByStatus(status, request);
        // One query for the places of the page's QUEUED jobs (none if there are none), not one per job.
        Map<UUID, Long> places = queuePlaces(result.getContent().stream()
                .filter(job -> job.getStatus() == JobStatus.QUEUED)
                .map(Job::getId)
                .toList());
        List<JobDetails> items = result.getContent().stream()
                .map(job -> view(job, places.get(job.getId())))
                .toList();
        return new JobPage(items, page, size, result.getTotalElements());
    }

    /**
     * A queued job is cancelled at once and never starts; a running one is told to stop and ends CANCELLED after
     * its current iteration, keeping the metrics it recorded. @throws JobStateException if it has finished
     */
    public JobDetails cancel(UUID id) {
        Job job = jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
        if (job.getStatus() == JobStatus.QUEUED && jobs.cancelQueued(id, Instant.now()) == 1) {
            flusher.flush();
            try {
                scheduler.cancel(trainTask.instance(id.toString()));
            } catch (RuntimeException e) {
                // Already picked by a worker: JobRunner sees CANCELLED and does not train it.
            }
            return get(id);
        }
        if (jobs.requestCancel(id) == 1) {
            flusher.flush();
            running.cancelLocally(id);
            return get(id);
        }
        JobDetails now = get(id);
        throw new JobStateException("job " + id + " is " + now.status() + " and can no longer be cancelled");
    }

    private Map<UUID, Long> queuePlaces(Collection<UUID> queued) {
        if (queued.isEmpty()) {
            return Map.of();
        }
        return jobs.queuePlaces(queued.stream().map(UUID::toString).toList()).stream()
                .collect(Collectors.toMap(place -> UUID.fromString(place.getId()), JobRepository.QueuePlace::getPlace));
    }

    JobDetails view(Job job) {
        Long place = job.getStatus() == JobStatus.QUEUED
                ? queuePlaces(List.of(job.getId())).get(job.getId())
                : null;
        return view(job, place);
    }

    private JobDetails view(Job job, Long queuePlace) {
        // Defaults again: a spec stored by an older version may carry fields that do not apply (classes on adding).
        ExperimentSpec spec =
                json.readValue(job.getSpec(), ExperimentSpec.class).withDefaults();
        JobDetails.Outcome outcome = null;
        if (job.getStatus().finished()) {
            JobDetails.Divergence divergence = job.getDivergedIteration() == null
                    ? null
                    : new JobDetails.Divergence(
                            job.getDivergedIteration(),
                            job.getDivergedLayerIndex(),
                            job.getDivergedLayer(),
                            job.getDivergedQuantity());
            JobDetails.GradientRatio ratio = job.getGradientRatioMeasure() == null
                    ? null
                    : new JobDetails.GradientRatio(
                            job.getGradientRatioMeasure(),
                            job.getGradientRatioNumerator(),
                            job.getGradientRatioDenominator(),
                            job.getGradientRatioStartIteration(),
                            job.getGradientRatioStart(),
                            job.getGradientRatioEndIteration(),
                            job.getGradientRatioEnd());
            outcome = new JobDetails.Outcome(
                    job.getFinalLoss(),
                    job.getTrainAccuracy(),
                    job.getTestAccuracy(),
                    job.getWallTimeMillis(),
                    divergence,
                    ratio);
        }
        return new JobDetails(
                job.getId(),
                job.getName(),
                job.getStatus(),
                queuePlace == null ? null : Math.toIntExact(queuePlace),
                spec,
                job.getCreatedAt(),
                job.getStartedAt(),
                job.getFinishedAt(),
                new JobDetails.Progress(
                        job.getIteration(),
                        job.getTotalIterations(),
                        job.getEpoch(),
                        spec.training().epochs()),
                outcome,
                job.getError(),
                job.getWorker(),
                job.getAttempt(),
                job.getParameters());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
