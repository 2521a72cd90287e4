/**
 * Automatic diagnosis of a job's training: published rules (AUTOTRAINER, DeepDiagnosis, CS231n / DL4J's tuning
 * guide, Pascanu et al.) applied to the job's stored measurements, each finding with its evidence and remedies a
 * client can apply to the spec. Computed on read from the last points of each series, so any instance answers for
 * any job, running or finished, at a cost that does not grow with the run (docs/DIAGNOSIS.md).
 */
package dev.gradlab.diagnosis;
