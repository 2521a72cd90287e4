-- Fair use (issue #17): per-owner quotas. See quota.OwnerQuotas.

-- One row per owner who was ever checked against a quota. A submission, an upload or a job's start locks its owner's
-- row (select ... for update) before it counts and adds, so simultaneous requests of one owner, on any instance,
-- are checked one after another and a quota is never passed; other owners' rows are not touched.
create table owner_lock (
    owner varchar(100) primary key
);

-- The iterations each job planned, charged to its owner when it was submitted: the iterations-per-day quota sums
-- the last 24 hours of them. Kept when the job is deleted (deleting a job does not give its compute back); removed
-- when a queued job is cancelled before it ever started. Rows older than two days are swept away.
create table iteration_charge (
    job_id     uuid primary key,
    owner      varchar(100) not null,
    charged_at timestamp with time zone not null,
    iterations bigint not null
);
create index iteration_charge_owner_idx on iteration_charge (owner, charged_at);

-- Submitted by a caller that quotas do not apply to (an admin): such a job does not count towards, and is not held
-- back by, its owner's running-jobs quota. Rows from before count as limited.
alter table job add column quota_exempt boolean default false not null;
