-- Jobs: one row per accepted spec. The JSON spec is stored with its defaults filled in.
create table job (
    id                   uuid primary key,
    name                 varchar(200),
    status               varchar(16)  not null,
    spec                 text         not null,
    idempotency_key      varchar(200) unique,
    request_hash         varchar(64),
    created_at           timestamp with time zone not null,
    started_at           timestamp with time zone,
    finished_at          timestamp with time zone,
    iteration            bigint       not null default 0,
    total_iterations     bigint       not null,
    epoch                integer      not null default 0,
    final_loss           double precision,
    train_accuracy       double precision,
    test_accuracy        double precision,
    diverged_iteration   bigint,
    diverged_layer       varchar(100),
    diverged_layer_index integer,
    diverged_quantity    varchar(20),
    error                varchar(2000),
    worker               varchar(200),
    attempt              integer      not null default 0,
    cancel_requested     boolean      not null default false,
    parameters           bigint,
    wall_time_millis     bigint
);
create index job_created_idx on job (created_at);
create index job_status_created_idx on job (status, created_at);

-- Metric series are stored in chunks of consecutive points, each a binary block of (iteration, value) pairs:
-- one job's series is read by iteration range with a handful of rows instead of one row per point.
create table metric_chunk (
    job_id          uuid         not null,
    series          varchar(40)  not null,
    layer_index     integer      not null,
    chunk_index     integer      not null,
    first_iteration bigint       not null,
    last_iteration  bigint       not null,
    point_count     integer      not null,
    points          bytea        not null,
    primary key (job_id, series, layer_index, chunk_index)
);

-- The parameterised layers of a job's network, input to output, as training reported them.
create table metric_layer (
    job_id      uuid         not null,
    layer_index integer      not null,
    name        varchar(100) not null,
    kind        varchar(20)  not null,
    primary key (job_id, layer_index)
);

create table epoch_metric (
    job_id          uuid    not null,
    epoch           integer not null,
    iteration       bigint  not null,
    train_accuracy  double precision not null,
    test_accuracy   double precision not null,
    elapsed_millis  bigint  not null,
    primary key (job_id, epoch)
);

-- db-scheduler's queue table (its documented PostgreSQL schema).
create table scheduled_tasks (
    task_name            text not null,
    task_instance        text not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
