/**
 * What a database outage means to the rest of the service: {@link dev.gradlab.database.DatabaseFailures} tells a
 * failure of the database itself (unreachable, shutting down, read-only, full) from a fault of the request or the
 * job; {@link dev.gradlab.database.OutageRetry} retries an idempotent step with backoff for a bounded window;
 * {@link dev.gradlab.database.DatabaseUnavailableException} says the window has passed. One bean,
 * {@code WritableDatabaseCheck}: the service does not start on an H2 file it cannot write.
 */
package dev.gradlab.database;
