package dev.gradlab.job;

import jakarta.persistence.criteria.Predicate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/**
 * State changes are conditional single-row updates, so two instances (or a cancel racing a start) can never
 * both win: whoever's update matches the expected status does, the other sees 0 rows. Updates made by a running
 * attempt also match its attempt number, so an attempt that was given up for dead (and run again elsewhere)
 * can no longer change the job.
 */
interface JobRepository extends JpaRepository<Job, UUID>, JpaSpecificationExecutor<Job> {

    Optional<Job> findByOwnerAndIdempotencyKey(String owner, String idempotencyKey);

    Optional<Job> findByIdAndOwner(UUID id, String owner);

    boolean existsByIdAndOwner(UUID id, String owner);

    /** Jobs of {@code owner} (null: every owner's), in {@code status} and of {@code studyId} where those are given. */
    static Specification<Job> matching(String owner, JobStatus status, UUID studyId) {
        return (job, query, where) -> {
            List<Predicate> all = new ArrayList<>(3);
            if (owner != null) {
                all.add(where.equal(job.get("owner"), owner));
            }
            if (status != null) {
                all.add(where.equal(job.get("status"), status));
            }
            if (studyId != null) {
                all.add(where.equal(job.get("studyId"), studyId));
            }
            return where.and(all.toArray(Predicate[]::new));
        };
    }

    long countByStatus(JobStatus status);

    long countByOwnerAndStatus(String owner, JobStatus status);

    /** The owner's RUNNING jobs that count towards their running-jobs quota, other than {@code except}. */
    @Query("""
            select count(j) from Job j where j.owner = :owner and j.status = dev.gradlab.job.JobStatus.RUNNING
              and j.quotaExempt = false and j.id <> :except""")
    long countRunningLimited(String owner, UUID except);

    long countByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

    /** A QUEUED job and its place in the queue, 1 being the next to start. */
    interface QueuePlace {
        /** The job id as text (db-scheduler's task instance): a native query's uuid column arrives as bytes on H2. */
        String getId();

        long getPlace();
    }

    /**
     * The places of those of {@code ids} (job ids as text) that are QUEUED, in one query. Counted from the database among all QUEUED
     * jobs, so every instance sharing it gives the same answer, in the order db-scheduler picks executions: by
     * {@code execution_time} (its "order by execution_time asc"; priorities are not enabled). That is the submission
     * time, except for a job a stopping instance handed back, which is due again from when it was handed back. Ties
     * (which db-scheduler leaves to the database) are broken by job id. A QUEUED job without an execution (none
     * should exist) has no place.
     */
    @Query(
            nativeQuery = true,
            value = "select ranked.id as id, ranked.place as place from ("
                    + " select s.task_instance as id, row_number() over (order by s.execution_time, s.task_instance) as place"
                    + " from job j join scheduled_tasks s on s.task_name = '" + JobQueueConfiguration.TRAIN_TASK + "'"
                    + " and s.task_instance = cast(j.id as varchar(36))"
                    + " where j.status = 'QUEUED') ranked"
                    + " where ranked.id in (:ids)")
    List<QueuePlace> queuePlaces(Collection<String> ids);

    List<Job> findAllByStudyIdOrderByStudyVariantAscStudyRepeatAsc(UUID studyId);

    /** Rows of (study id, status, count) for the jobs of the given studies. */
    @Query("select j.studyId, j.status, count(j) from Job j where j.studyId in :studyIds group by j.studyId, j.status")
    List<Object[]> countByStudyAndStatus(Collection<UUID> studyIds);

    /**
     * Claims a queued job, or one a lost attempt left RUNNING (its instance died or shut down without handing it
     * back): the attempt number goes up, and only the attempt holding the current number may update the job.
     */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.status = dev.gradlab.job.JobStatus.RUNNING, j.startedAt = :now, j.worker = :worker,
                   j.attempt = j.attempt + 1, j.iteration = 0, j.epoch = 0
            where j.id = :id and (j.status = dev.gradlab.job.JobStatus.QUEUED or j.status = dev.gradlab.job.JobStatus.RUNNING)
              and j.cancelRequested = false and j.attempt < :maxAttempts""")
    int start(UUID id, String worker, Instant now, int maxAttempts);

    /** A job started {@code maxAttempts} times that never finished: its instance died (or stopped) each time. */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.status = dev.gradlab.job.JobStatus.FAILED, j.finishedAt = :now, j.error = :error
            where j.id = :id and (j.status = dev.gradlab.job.JobStatus.QUEUED or j.status = dev.gradlab.job.JobStatus.RUNNING)
              and j.cancelRequested = false and j.attempt >= :maxAttempts""")
    int giveUp(UUID id, int maxAttempts, Instant now, String error);

    /** A job whose cancel was requested while its instance was gone: nobody else will end it. */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.status = dev.gradlab.job.JobStatus.CANCELLED, j.finishedAt = :now
            where j.id = :id and (j.status = dev.gradlab.job.JobStatus.QUEUED or j.status = dev.gradlab.job.JobStatus.RUNNING)
              and j.cancelRequested = true""")
    int cancelAbandoned(UUID id, Instant now);

    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.status = dev.gradlab.job.JobStatus.CANCELLED, j.finishedAt = :now, j.cancelRequested = true
            where j.id = :id and j.status = dev.gradlab.job.JobStatus.QUEUED""")
    int cancelQueued(UUID id, Instant now);

    @Transactional
    @Modifying(clearAutomatically = true)
    @Query(
            "update Job j set j.cancelRequested = true where j.id = :id and j.status = dev.gradlab.job.JobStatus.RUNNING")
    int requestCancel(UUID id);

    /** A running attempt's progress and stored bytes, written with each batch of its metrics (the batch's claim). */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.iteration = :iteration, j.epoch = :epoch, j.storedBytes = :storedBytes
            where j.id = :id and j.attempt = :attempt and j.status = dev.gradlab.job.JobStatus.RUNNING""")
    int progress(UUID id, int attempt, long iteration, int epoch, long storedBytes);

    /**
     * Deletes the job row, whatever its state: 0 if it is gone already (deleted by another request or instance).
     * A running attempt's next metric write (whose claim updates this row) then matches nothing and is rolled back,
     * and a write already past its claim holds the row's lock, so this waits for it to commit: no point of the job
     * is stored after the delete.
     */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("delete from Job j where j.id = :id")
    int deleteJob(UUID id);

    /**
     * Removes a deleted job's db-scheduler execution while it waits (not yet picked). A picked one is left to its
     * worker: the claim (start) then finds no job and the execution ends as done.
     */
    @Transactional
    @Modifying
    @Query(
            nativeQuery = true,
            value = "delete from scheduled_tasks where task_name = '" + JobQueueConfiguration.TRAIN_TASK + "'"
                    + " and task_instance = :instance and picked = false")
    int deleteWaitingExecution(String instance);

    @Query("select j.id from Job j where j.studyId = :studyId")
    List<UUID> findIdsByStudyId(UUID studyId);

    /** Finished jobs of no study that finished before {@code cutoff}, oldest first. */
    @Query("""
            select j.id from Job j
            where j.studyId is null and j.finishedAt < :cutoff
              and j.status not in (dev.gradlab.job.JobStatus.QUEUED, dev.gradlab.job.JobStatus.RUNNING)
            order by j.finishedAt""")
    List<UUID> findFinishedBefore(Instant cutoff, Pageable page);

    /** Studies whose every job has finished, the last of them before {@code cutoff}, oldest first. */
    @Query("""
            select j.studyId from Job j where j.studyId is not null
            group by j.studyId
            having max(j.finishedAt) < :cutoff
               and sum(case when j.status in (dev.gradlab.job.JobStatus.QUEUED, dev.gradlab.job.JobStatus.RUNNING)
                            then 1 else 0 end) = 0
            order by max(j.finishedAt)""")
    List<UUID> findStudiesFinishedBefore(Instant cutoff, Pageable page);

    /** Hands a job this instance could not finish back to the queue (its next attempt starts from scratch). */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.status = dev.gradlab.job.JobStatus.QUEUED
            where j.id = :id and j.attempt = :attempt and j.status = dev.gradlab.job.JobStatus.RUNNING""")
    int requeue(UUID id, int attempt);

    /** False once the attempt should stop: cancelled, or superseded by another attempt. */
    boolean existsByIdAndAttemptAndStatusAndCancelRequestedFalse(UUID id, int attempt, JobStatus status);

    /** Records how an attempt ended, if the attempt still owns the job. */
    @Transactional
    @Modifying(clearAutomatically = true)
    @Query("""
            update Job j set j.status = :#{#end.status()}, j.finishedAt = :#{#end.finishedAt()},
                   j.iteration = :#{#end.iteration()}, j.epoch = :#{#end.epoch()},
                   j.finalLoss = :#{#end.finalLoss()}, j.trainAccuracy = :#{#end.trainAccuracy()},
                   j.testAccuracy = :#{#end.testAccuracy()}, j.divergedIteration = :#{#end.divergedIteration()},
                   j.divergedLayer = :#{#end.divergedLayer()}, j.divergedLayerIndex = :#{#end.divergedLayerIndex()},
                   j.divergedQuantity = :#{#end.divergedQuantity()}, j.error = :#{#end.error()},
                   j.wallTimeMillis = :#{#end.wallTimeMillis()},
                   j.gradientRatioMeasure = :#{#end.ratioMeasure()},
                   j.gradientRatioNumerator = :#{#end.ratioNumerator()},
                   j.gradientRatioDenominator = :#{#end.ratioDenominator()},
                   j.gradientRatioStartIteration = :#{#end.ratioStartIteration()},
                   j.gradientRatioStart = :#{#end.ratioStart()},
                   j.gradientRatioEndIteration = :#{#end.ratioEndIteration()},
                   j.gradientRatioEnd = :#{#end.ratioEnd()}
            where j.id = :id and j.attempt = :attempt and j.status = dev.gradlab.job.JobStatus.RUNNING""")
    int finish(UUID id, int attempt, AttemptEnd end);
}
