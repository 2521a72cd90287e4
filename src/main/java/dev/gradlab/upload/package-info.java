/**
 * Users' own datasets: a CSV uploaded over the API is parsed as it streams in ({@code CsvDatasetParser}: header,
 * numeric features, one integer label column; every problem named by line and column), stored in the database in
 * the form {@code dataset.UploadedData} defines (float32 blocks, one transaction, identified by id and by the
 * SHA-256 of the parsed content, so the same content twice is one dataset), listed and deleted (refused while a
 * queued or running job needs it). Implements {@code dataset.UploadedDatasets}, which training reads, and
 * {@code spec.UploadCatalog}, which the validator asks, so any instance sharing the database trains on any upload.
 * Limits: {@code gradlab.datasets.upload.*} ({@code UploadProperties}).
 */
package dev.gradlab.upload;
