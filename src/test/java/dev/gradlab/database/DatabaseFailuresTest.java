package dev.gradlab.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.TransactionException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The chains seen while a real PostgreSQL was stopped under load (DatabaseOutageIntegrationTest's logs) count as
 * the database being unavailable; faults of the data or of the code do not.
 */
class DatabaseFailuresTest {

    @Test
    void whatTheStackThrowsDuringAnOutageCounts() {
        // a request or a write waiting for the pool
        assertThat(
                        DatabaseFailures.isUnavailable(
                                new CannotCreateTransactionException(
                                        "Could not open JPA EntityManager for transaction",
                                        new JDBCConnectionException(
                                                "Unable to acquire JDBC Connection",
                                                new SQLTransientConnectionException(
                                                        "HikariPool-1 - Connection is not available, request timed out after 2001ms")))))
                .isTrue();
        // a statement on a connection the server's shutdown cut
        assertThat(DatabaseFailures.isUnavailable(new JDBCConnectionException(
                        "JDBC exception executing SQL",
                        new SQLException("FATAL: terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(
                        new SQLException("An I/O error occurred while sending to the backend.", "08006")))
                .isTrue();
        // ... whose rollback then fails, and Spring throws that instead of the first failure
        assertThat(DatabaseFailures.isUnavailable(new JpaSystemException(new TransactionException(
                        "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")))))
                .isTrue();
        // a standby during a fail-over; H2's read-only and closed (after a failed write) database
        assertThat(DatabaseFailures.isUnavailable(
                        new SQLException("cannot execute UPDATE in a read-only transaction", "25006")))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("The database is read only", "90097", 90097)))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("Database is already closed", "90098", 90098)))
                .isTrue();
        // H2 when its file cannot be written (a full disk): a general error over the file's I/O failure
        assertThat(DatabaseFailures.isUnavailable(new SQLException(
                        "General error: MVStoreException: Writing to /data/gradlab.mv.db failed",
                        "HY000",
                        50000,
                        new IllegalStateException(
                                "Writing to /data/gradlab.mv.db failed",
                                new java.io.IOException("No space left on device")))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new DatabaseUnavailableException("gone", null)))
                .isTrue();
    }

    @Test
    void onlyH2ClosingItsFileAfterAFailedWriteMayHaveDroppedAcknowledgedCommits() {
        SQLException closed = org.h2.message.DbException.get(org.h2.api.ErrorCode.DATABASE_IS_CLOSED)
                .getSQLException();
        assertThat(DatabaseFailures.mayHaveLostCommits(new JDBCConnectionException("JDBC exception", closed)))
                .isTrue();
        SQLException general = org.h2.message.DbException.get(
                        org.h2.api.ErrorCode.GENERAL_ERROR_1,
                        new java.io.IOException("No space left on device"),
                        "MVStoreException: Writing to gradlab.mv.db failed")
                .getSQLException();
        assertThat(DatabaseFailures.mayHaveLostCommits(general)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(general)).isTrue();
        // PostgreSQL's commits are durable: a cut connection loses nothing acknowledged
        assertThat(DatabaseFailures.mayHaveLostCommits(new SQLException(
                        "An I/O error occurred while sending to the backend.",
                        "08006",
                        0,
                        new java.net.SocketException("Broken pipe"))))
                .isFalse();
        SQLException readOnly = org.h2.message.DbException.get(org.h2.api.ErrorCode.DATABASE_IS_READ_ONLY)
                .getSQLException();
        assertThat(DatabaseFailures.mayHaveLostCommits(readOnly)).isFalse();
    }

    @Test
    void faultsOfTheDataOrTheCodeDoNot() {
        assertThat(DatabaseFailures.isUnavailable(new DataIntegrityViolationException("value too long")))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new DuplicateKeyException(
                        "duplicate key", new SQLException("duplicate key value violates unique constraint", "23505"))))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new TransactionSystemException(
                        "Could not commit JPA transaction", new IllegalStateException("validation failed"))))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("job has been taken over")))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(
                        new java.io.UncheckedIOException(new java.io.IOException("dataset file missing"))))
                .as("an I/O failure outside the database")
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new OutOfMemoryError("Java heap space")))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(null)).isFalse();
    }
}
