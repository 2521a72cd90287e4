-- Studies (matched ablations): a base spec, the fields varied with their values, and repeats. Each combination of
-- values × repeat is one job, created with the study in one transaction; the study's state is its jobs' state, so
-- every instance sharing the database answers for it. base_spec and vary are JSON as the request sent them.
create table study (
    id             uuid primary key,
    name           varchar(200),
    base_spec      varchar(1000000) not null,
    vary           varchar(1000000) not null,
    repeats        integer not null,
    variant_count  integer not null,
    job_count      integer not null,
    target_loss    double precision,
    created_at     timestamp with time zone not null,
    cancelled_at   timestamp with time zone
);
create index study_created_idx on study (created_at);

-- A study's job: its variant (0-based, in the order the study lists them), its repeat (0-based) and the variant's
-- varied values as a JSON object (path → value).
alter table job add column study_id uuid;
alter table job add column study_variant integer;
alter table job add column study_repeat integer;
alter table job add column study_values varchar(4000);
alter table job add constraint job_study_fk foreign key (study_id) references study (id);
create index job_study_idx on job (study_id, study_variant, study_repeat);
