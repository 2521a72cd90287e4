-- Users' datasets (POST /api/v1/datasets): the parsed CSV, not its text. One row per dataset, identified by id and
-- by the SHA-256 of its parsed content (unique: the same content uploaded twice is one dataset), and its numbers in
-- blocks of consecutive rows (features float32 little-endian row by row, labels int32 little-endian; under 1 MB a
-- block), so that no read or write handles more than one block beyond the floats. See dataset.UploadedData.
create table uploaded_dataset (
    id            uuid primary key,
    name          varchar(200),
    sha256        varchar(64)  not null unique,
    row_count     integer      not null,
    feature_count integer      not null,
    class_count   integer      not null,
    -- rows per class, int32 little-endian, class 0 first
    class_rows    bytea        not null,
    label_column  varchar(200) not null,
    csv_bytes     bigint       not null,
    stored_bytes  bigint       not null,
    created_at    timestamp with time zone not null
);
create index uploaded_dataset_created_idx on uploaded_dataset (created_at);

create table uploaded_dataset_block (
    dataset_id  uuid    not null references uploaded_dataset (id) on delete cascade,
    block_index integer not null,
    first_row   integer not null,
    row_count   integer not null,
    features    bytea   not null,
    labels      bytea   not null,
    primary key (dataset_id, block_index)
);

-- The upload a job trains on. A job being inserted holds the key's lock on the upload's row, so a DELETE of the
-- upload (which locks that row first) either sees the job or makes its insert fail; a finished job's link is
-- cleared when its upload goes (its stored spec keeps the id).
alter table job add column dataset_id uuid;
alter table job add constraint job_dataset_fk foreign key (dataset_id) references uploaded_dataset (id)
    on delete set null;
create index job_dataset_idx on job (dataset_id, status);
