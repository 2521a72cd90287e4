package dev.gradlab.job;

import dev.gradlab.access.Caller;
import dev.gradlab.quota.OwnerQuotas;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.InvalidSpecException;
import dev.gradlab.spec.ParameterBudget;
import dev.gradlab.spec.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
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
    private final JobQueue queue;
    private final RunningJobs running;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final JobProperties properties;
    private final CommitFlusher flusher;
    private final JobMetrics metrics;
    private final JobPurger purger;
    private final OwnerQuotas quotas;

    JobService(
            JobRepository jobs,
            SpecValidator validator,
            JobQueue queue,
            RunningJobs running,
            JsonMapper json,
            TransactionTemplate transactions,
            JobProperties properties,
            CommitFlusher flusher,
            JobMetrics metrics,
            JobPurger purger,
            OwnerQuotas quotas) {
        this.jobs = jobs;
        this.validator = validator;
        this.queue = queue;
        this.running = running;
        this.json = json;
        this.transactions = transactions;
        this.properties = properties;
        this.flusher = flusher;
        this.metrics = metrics;
        this.purger = purger;
        this.quotas = quotas;
    }

    /** The job, and whether this call created it (false: an Idempotency-Key replay). */
    public record Submission(JobDetails job, boolean created) {}

    /**
     * Validates, stores and queues a spec as {@code caller}'s job (or replays the job an Idempotency-Key already
     * created: keys are per owner, so two owners may use the same key).
     *
     * @throws QueueFullException when {@code gradlab.jobs.queue-capacity} jobs are waiting. The count is read
     *                            before the insert, so simultaneous submissions may pass it by one each.
     * @throws dev.gradlab.quota.QuotaExceededException past the caller's queued-jobs or iterations-per-day quota
     *                            (checked under the owner's lock: exact)
     */
    public Submission submit(Caller caller, String name, ExperimentSpec submitted, String idempotencyKey) {
        ExperimentSpec spec = validator.validate(submitted, caller.ownerFilter());
        String specJson = json.writeValueAsString(spec);
        String hash = sha256((name == null ? "" : name) + "\n" + specJson);
        if (idempotencyKey != null) {
            Job existing = jobs.findByOwnerAndIdempotencyKey(caller.owner(), idempotencyKey)
                    .orElse(null);
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
                caller.owner(),
                name,
                specJson,
                spec.totalIterations(),
                ParameterBudget.parameterCount(spec),
                idempotencyKey,
                hash,
                Instant.now(),
                spec.dataset().id());
        boolean limited = quotas.limits(caller);
        if (!limited) {
            job.exemptFromQuotas();
        }
        quotas.prepare(caller.owner());
        try {
            transactions.executeWithoutResult(tx -> {
                admit(caller, limited, List.of(job));
                jobs.saveAndFlush(job);
                queue.enqueue(job.getId(), job.getCreatedAt());
            });
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // Two requests with one Idempotency-Key raced; the other one's insert won.
            Job winner = idempotencyKey == null
                    ? null
                    : jobs.findByOwnerAndIdempotencyKey(caller.owner(), idempotencyKey)
                            .orElse(null);
            if (winner == null) {
                throw uploadDeleted(spec, e);
            }
            return replay(winner, idempotencyKey, hash);
        }
        flusher.flush(); // the 202 promises the job survives a crash
        metrics.submitted(JobMetrics.Source.JOB, 1);
        return new Submission(view(job), true);
    }

    /**
     * The job's upload was deleted between the validator's look and the insert (the foreign key refused the job):
     * the same answer as an unknown id at validation.
     */
    private static RuntimeException uploadDeleted(ExperimentSpec spec, RuntimeException e) {
        if (spec.dataset().id() == null) {
            return e;
        }
        return new InvalidSpecException(
                "dataset.id",
                "no uploaded dataset has this id (was " + spec.dataset().id() + "); it was deleted just now");
    }

    /**
     * Jobs that will still run (QUEUED, or RUNNING) on the uploaded dataset {@code datasetId}. Called inside the
     * transaction that deletes the upload, after it has locked the upload's row: a job being submitted meanwhile
     * holds the foreign key's lock on that row, so it is either counted here or refused by the key.
     */
    @Transactional(readOnly = true)
    public long countUnfinishedUsingDataset(UUID datasetId) {
        return jobs.countByDatasetIdAndStatusIn(datasetId, List.of(JobStatus.QUEUED, JobStatus.RUNNING));
    }

    /**
     * One job of a study, for {@link #submitStudy}: its name, its spec (validated by the caller; validated again
     * here), its variant and repeat (0-based) and the variant's values, spec path → JSON value.
     */
    public record StudyJob(String name, ExperimentSpec spec, int variant, int repeat, Map<String, Object> values) {}

    /**
     * Stores and queues every job of a study in one transaction, which first runs {@code storeStudy} (the study's
     * own row, which the jobs reference): all of them are queued, or none. The jobs are queued in the list's order
     * (each one microsecond after the one before it).
     *
     * @throws QueueFullException when the jobs would take the QUEUED count past {@code gradlab.jobs.queue-capacity};
     *                            nothing is stored. Counted inside the transaction, but simultaneous submissions
     *                            (on one instance or several) may each pass the same count.
     */
    public List<JobDetails> submitStudy(Caller caller, UUID studyId, List<StudyJob> studyJobs, Runnable storeStudy) {
        List<Job> created = new ArrayList<>(studyJobs.size());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (StudyJob s : studyJobs) {
            ExperimentSpec spec = validator.validate(s.spec(), caller.ownerFilter());
            Job job = new Job(
                    UUID.randomUUID(),
                    caller.owner(),
                    s.name(),
                    json.writeValueAsString(spec),
                    spec.totalIterations(),
                    ParameterBudget.parameterCount(spec),
                    null,
                    null,
                    now.plus(created.size(), ChronoUnit.MICROS),
                    spec.dataset().id());
            job.joinStudy(studyId, s.variant(), s.repeat(), json.writeValueAsString(s.values()));
            created.add(job);
        }
        boolean limited = quotas.limits(caller);
        if (!limited) {
            created.forEach(Job::exemptFromQuotas);
        }
        quotas.prepare(caller.owner());
        transactions.executeWithoutResult(tx -> {
            admit(caller, limited, created);
            long queued = jobs.countByStatus(JobStatus.QUEUED);
            if (queued + created.size() > properties.queueCapacity()) {
                throw new QueueFullException(
                        queued, created.size(), properties.queueCapacity(), properties.queueFullRetryAfter());
            }
            storeStudy.run();
            jobs.saveAllAndFlush(created);
            for (Job job : created) {
                queue.enqueue(job.getId(), job.getCreatedAt());
            }
        });
        flusher.flush(); // the 202 promises the study's jobs survive a crash
        metrics.submitted(JobMetrics.Source.STUDY, created.size());
        return created.stream().map(this::view).toList();
    }

    /** How many of {@code owner}'s jobs are in {@code status} (for the owner's usage). */
    @Transactional(readOnly = true)
    public long countOwned(String owner, JobStatus status) {
        return jobs.countByOwnerAndStatus(owner, status);
    }

    /** A study's jobs, by variant and then repeat (they are the study's owner's: check the study first). */
    @Transactional(readOnly = true)
    public List<JobDetails> studyJobs(UUID studyId) {
        return jobs.findAllByStudyIdOrderByStudyVariantAscStudyRepeatAsc(studyId).stream()
                .map(this::view)
                .toList();
    }

    /** How many jobs of each study are in each status (a study without jobs, or a status without any, is absent). */
    @Transactional(readOnly = true)
    public Map<UUID, Map<JobStatus, Long>> studyStatusCounts(Collection<UUID> studyIds) {
        Map<UUID, Map<JobStatus, Long>> out = new HashMap<>();
        if (studyIds.isEmpty()) {
            return out;
        }
        for (Object[] row : jobs.countByStudyAndStatus(studyIds)) {
            out.computeIfAbsent((UUID) row[0], k -> new EnumMap<>(JobStatus.class))
                    .put((JobStatus) row[1], ((Number) row[2]).longValue());
        }
        return out;
    }

    /**
     * Inside the transaction that stores {@code created}: locks the owner and checks and charges their quotas. The
     * lock comes first, so one owner's submissions are counted one at a time, on every instance.
     */
    private void admit(Caller caller, boolean limited, List<Job> created) {
        quotas.lock(caller.owner());
        quotas.admitJobs(
                caller.owner(),
                limited,
                limited ? jobs.countByOwnerAndStatus(caller.owner(), JobStatus.QUEUED) : 0,
                created.stream()
                        .map(j -> new OwnerQuotas.Charge(j.getId(), j.getTotalIterations()))
                        .toList());
    }

    private Submission replay(Job existing, String key, String hash) {
        if (!existing.getRequestHash().equals(hash)) {
            throw new IdempotencyConflictException(key);
        }
        return new Submission(view(existing), false);
    }

    /**
     * The job, if {@code caller} may see it. Another owner's job is not found by the query itself, so the answer is
     * the same as for an id that does not exist.
     *
     * @throws JobNotFoundException when there is none that the caller sees
     */
    @Transactional(readOnly = true)
    public JobDetails get(UUID id, Caller caller) {
        return view(find(id, caller));
    }

    /** @throws JobNotFoundException when there is no job {@code id} that the caller sees */
    public void requireExists(UUID id, Caller caller) {
        String owner = caller.ownerFilter();
        if (!(owner == null ? jobs.existsById(id) : jobs.existsByIdAndOwner(id, owner))) {
            throw new JobNotFoundException(id);
        }
    }

    /**
     * The job the caller asked for by id, if the caller may see it: reading, cancelling and deleting all find it
     * here, so another owner's job is 404 for each of them.
     */
    private Job find(UUID id, Caller caller) {
        String owner = caller.ownerFilter();
        return (owner == null ? jobs.findById(id) : jobs.findByIdAndOwner(id, owner))
                .orElseThrow(() -> new JobNotFoundException(id));
    }

    /**
     * The caller's jobs (an admin's: every owner's), newest first.
     *
     * @param status only jobs in this status, or null; @param studyId only this study's jobs, or null
     */
    @Transactional(readOnly = true)
    public JobPage list(Caller caller, JobStatus status, UUID studyId, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
        Page<Job> result = jobs.findAll(JobRepository.matching(caller.ownerFilter(), status, studyId), request);
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
    public JobDetails cancel(UUID id, Caller caller) {
        Job job = find(id, caller);
        if (job.getStatus() == JobStatus.QUEUED && jobs.cancelQueued(id, Instant.now()) == 1) {
            // A job that never started gives its iterations back; one handed back to the queue trained some.
            if (job.getAttempt() == 0) {
                quotas.refund(id);
            }
            flusher.flush();
            metrics.finished(JobStatus.CANCELLED);
            try {
                queue.cancel(id);
            } catch (RuntimeException e) {
                // Already picked by a worker: JobRunner sees CANCELLED and does not train it.
            }
            return get(id, caller);
        }
        if (jobs.requestCancel(id) == 1) {
            flusher.flush();
            running.cancelLocally(id);
            return get(id, caller);
        }
        JobDetails now = get(id, caller);
        throw new JobStateException("job " + id + " is " + now.status() + " and can no longer be cancelled");
    }

    /**
     * Deletes a job, whatever its state, with its curves, findings and Idempotency-Key (another request may use the
     * key again). A queued job's execution goes with it; a running one stops at its next iteration (here at once,
     * on another instance within a second), and nothing it still writes is stored. The job row goes in one short
     * transaction (from then on every instance answers 404); its measurements are removed after it, batch by batch
     * ({@link JobPurger}), so deleting even millions of points never holds up the metric writes of running jobs.
     *
     * @throws JobNotFoundException if there is no such job that the caller sees (another owner's job: as if it did
     *     not exist; an admin deletes any), or it was deleted meanwhile
     * @throws JobInStudyException if it is one of a study's jobs: the study is deleted as a whole
     */
    public void delete(UUID id, Caller caller) {
        Job job = find(id, caller);
        if (job.getStudyId() != null) {
            throw new JobInStudyException(id, job.getStudyId());
        }
        if (removeAll(() -> List.of(id), () -> {}).isEmpty()) {
            throw new JobNotFoundException(id); // deleted by another request meanwhile
        }
    }

    /**
     * Deletes every job of a study as {@link #delete} does, and then, in the same transaction, the study itself
     * ({@code deleteStudy}: its row, which the jobs reference).
     *
     * @return the ids of the jobs deleted
     */
    public List<UUID> deleteStudy(UUID studyId, Runnable deleteStudy) {
        return removeAll(() -> jobs.findIdsByStudyId(studyId), deleteStudy);
    }

    /**
     * Retention: deletes up to {@code limit} jobs of no study that finished before {@code cutoff}, oldest first.
     * Several instances may sweep at once: each job row is deleted by one of them only (the others delete no row,
     * and skip it).
     *
     * @return the ids of the jobs this call deleted
     */
    public List<UUID> deleteFinishedBefore(Instant cutoff, int limit) {
        List<UUID> expired = jobs.findFinishedBefore(cutoff, PageRequest.of(0, limit));
        return expired.isEmpty() ? List.of() : removeAll(() -> expired, () -> {});
    }

    /** Retention: up to {@code limit} studies whose every job finished before {@code cutoff}, oldest first. */
    @Transactional(readOnly = true)
    public List<UUID> studiesFinishedBefore(Instant cutoff, int limit) {
        return jobs.findStudiesFinishedBefore(cutoff, PageRequest.of(0, limit));
    }

    /**
     * In one transaction: deletes the job rows ({@code ids}, read inside it), their waiting executions, queues their
     * measurements for removal, and runs {@code then}. Afterwards: makes the deletion durable (H2), stops those
     * training here, and starts removing their measurements. @return the ids whose row this call deleted
     */
    private List<UUID> removeAll(Supplier<List<UUID>> ids, Runnable then) {
        Instant now = Instant.now();
        List<UUID> removed = transactions.execute(tx -> {
            List<UUID> out = new ArrayList<>();
            for (UUID id : ids.get()) {
                if (jobs.deleteJob(id) == 1) {
                    jobs.deleteWaitingExecution(id.toString());
                    purger.enqueue(id, now);
                    out.add(id);
                }
            }
            then.run();
            return out;
        });
        flusher.flush(); // the 204 promises the job is gone: a crash must not bring it back
        removed.forEach(running::cancelLocally);
        purger.purgeSoon(removed);
        return removed;
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
                job.getOwner(),
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
                job.getParameters(),
                studyMember(job),
                job.getStoredBytes());
    }

    @SuppressWarnings("unchecked")
    private JobDetails.StudyMember studyMember(Job job) {
        if (job.getStudyId() == null) {
            return null;
        }
        Map<String, Object> values = job.getStudyValues() == null
                ? Map.of()
                : (Map<String, Object>) json.readValue(job.getStudyValues(), LinkedHashMap.class);
        return new JobDetails.StudyMember(job.getStudyId(), job.getStudyVariant(), job.getStudyRepeat(), values);
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
