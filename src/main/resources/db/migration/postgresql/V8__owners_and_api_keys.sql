-- Who may see what (issue #17). API keys are stored as the SHA-256 of the key only (the key is shown once, at
-- creation); revoked_at set means refused. Every job, study and uploaded dataset has an owner: rows from before
-- belong to 'local', local mode's single user.
create table api_key (
    id           uuid primary key,
    owner        varchar(100) not null,
    admin        boolean      not null,
    key_hash     varchar(64)  not null unique,
    prefix       varchar(16)  not null,
    created_at   timestamp with time zone not null,
    last_used_at timestamp with time zone,
    revoked_at   timestamp with time zone
);
create index api_key_created_idx on api_key (created_at);

alter table job add column owner varchar(100) default 'local' not null;
alter table job alter column owner drop default;
alter table study add column owner varchar(100) default 'local' not null;
alter table study alter column owner drop default;
alter table uploaded_dataset add column owner varchar(100) default 'local' not null;
alter table uploaded_dataset alter column owner drop default;

-- Each owner's lists, newest first.
create index job_owner_created_idx on job (owner, created_at);
create index study_owner_created_idx on study (owner, created_at);
create index uploaded_dataset_owner_created_idx on uploaded_dataset (owner, created_at);

-- Idempotency keys are per owner, and the same content is one dataset per owner (another owner uploading it gets
-- a dataset of their own, not a hint that someone has it). PostgreSQL named the old constraints <table>_<column>_key.
alter table job drop constraint job_idempotency_key_key;
alter table job add constraint job_owner_idempotency_key_unique unique (owner, idempotency_key);
alter table uploaded_dataset drop constraint uploaded_dataset_sha256_key;
alter table uploaded_dataset add constraint uploaded_dataset_owner_sha256_unique unique (owner, sha256);
