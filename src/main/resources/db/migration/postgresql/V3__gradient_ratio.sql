-- The run's headline ratio (training.GradientRatio), stored with its outcome so that a job answers it without
-- reading its curves: first/last dense layer gradient (mlp) or first/last time step (rnn), at the first and at the
-- last iteration that recorded statistics.
alter table job add column gradient_ratio_measure varchar(40);
alter table job add column gradient_ratio_numerator varchar(100);
alter table job add column gradient_ratio_denominator varchar(100);
alter table job add column gradient_ratio_start_iteration bigint;
alter table job add column gradient_ratio_start double precision;
alter table job add column gradient_ratio_end_iteration bigint;
alter table job add column gradient_ratio_end double precision;
