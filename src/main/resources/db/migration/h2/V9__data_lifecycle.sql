-- Data lifecycle: DELETE of jobs and studies, and the retention policy (gradlab.retention.*).

-- What a job's recorded measurements take, in bytes of payload: 16 per stored point (iteration and value) and 8 per
-- value of its per-step gradient vectors. Set by each metric write (in the transaction that stores the points), so
-- it is as current as the curves; jobs stored before this version are counted here once.
alter table job add column stored_bytes bigint not null default 0;
update job set stored_bytes =
    coalesce((select sum(octet_length(c.points)) from metric_chunk c where c.job_id = job.id), 0)
  + coalesce((select sum(octet_length(t.norms)) from timestep_gradient t where t.job_id = job.id), 0);

-- The retention sweep looks for jobs that finished before a cutoff.
create index job_finished_idx on job (finished_at);

-- A deleted job whose measurements are still being removed. The job row goes at once (the API answers 404 from
-- then on); its metric rows go afterwards in small batches, each its own transaction, so that no lock is held long
-- enough to stall the metric writes of running jobs. Inserted in the transaction that deletes the job row, so a
-- crash between the two cannot leave rows nobody will remove. An instance purging a job claims it until
-- claimed_until and renews the claim after each batch; a claim that has run out (its instance died) is taken over.
create table job_purge (
    job_id        uuid primary key,
    deleted_at    timestamp with time zone not null,
    claimed_by    varchar(200),
    claimed_until timestamp with time zone
);
