-- Recurrent nets: at each recorded iteration, ‖∂L/∂x_t‖ for t = 1..T on the job's fixed probe batch,
-- as T IEEE float64 values in one block.
create table timestep_gradient (
    job_id     uuid    not null,
    iteration  bigint  not null,
    steps      integer not null,
    norms      varbinary not null,
    primary key (job_id, iteration)
);
