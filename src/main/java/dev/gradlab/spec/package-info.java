/**
 * The model spec language: the records a user sends (model, dataset, training, metrics), their defaults, Bean
 * Validation and cross-field rules, and the limits that protect the machine. {@link dev.gradlab.spec.SpecValidator}
 * is the one gate every spec passes. The records are also the request body of the HTTP API, so they carry their
 * own OpenAPI descriptions: the one place outside {@code web} that does (see docs/ARCHITECTURE.md).
 */
package dev.gradlab.spec;
