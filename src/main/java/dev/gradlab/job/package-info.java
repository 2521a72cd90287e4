/**
 * Jobs and the persistent queue: a spec stored and scheduled in one transaction, db-scheduler running it on one of
 * {@code gradlab.jobs.concurrency} threads, every update fenced by the attempt number, crash takeover, cancel,
 * shutdown hand-back. The entity stays here; other packages see {@link dev.gradlab.job.JobDetails}.
 */
package dev.gradlab.job;
