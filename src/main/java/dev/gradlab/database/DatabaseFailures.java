package dev.gradlab.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Tells a failure of the database itself from a fault of the request or of the job. What the stack throws while
 * PostgreSQL is stopped or fails over (found by stopping a real server, see {@code DatabaseOutageIntegrationTest}):
 * Hikari's {@link SQLTransientConnectionException} ("Connection is not available, request timed out after 2000ms")
 * wrapped by Hibernate's {@code JDBCConnectionException} and Spring's {@code CannotCreateTransactionException}
 * ("Could not open JPA EntityManager for transaction") or {@code CannotGetJdbcConnectionException}; on a
 * connection that dies under a statement, the driver's SQLState class 08 or 57P01 (terminated by the server's
 * shutdown). When the connection breaks inside a transaction, the rollback fails too and Spring throws that
 * failure instead ("Application exception overridden by rollback exception"): a {@code JpaSystemException} caused by
 * Hibernate's {@code TransactionException} ("Unable to rollback against JDBC Connection") caused by Hikari's bare
 * {@code SQLException("Connection is closed")}, without an SQLState. Hibernate's {@code TransactionException}
 * (begin, commit or rollback failed against the JDBC connection) therefore counts too; Spring's
 * {@code TransactionSystemException} alone does not, as a commit refused for the data (a validation) is one. H2 reports a file it cannot write (read-only, disk full) with its own
 * codes, or, for a write to a full disk, with a "General error" (50000) over the file's {@code IOException}: an
 * I/O failure under a database error counts.
 */
public final class DatabaseFailures {

    /**
     * SQLStates that mean the database, not the statement: connection failures (08…, class prefix), PostgreSQL's
     * shutdown and start-up (57P01-57P03), too many connections (53300), a full disk (53100), a read-only
     * transaction (25006: a standby, as during a fail-over), and H2's database-level errors: read-only (90097),
     * closed (90098, after a failed write H2 closes the file), file I/O (90028, 90031), called during shutdown
     * (90121).
     */
    private static final Set<String> UNAVAILABLE_STATES =
            Set.of("57P01", "57P02", "57P03", "53300", "53100", "25006", "90097", "90098", "90028", "90031", "90121");

    private DatabaseFailures() {}

    /** True if {@code failure}, or any of its causes, says the database could not be reached or written. */
    public static boolean isUnavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean belowSql = false;
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (belowSql && t instanceof java.io.IOException) {
                return true; // the database's own file or socket failed: H2's "General error" on a full disk
            }
            belowSql |= t instanceof SQLException;
            if (t instanceof DatabaseUnavailableException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || t instanceof org.hibernate.TransactionException) {
                return true;
            }
            if (t instanceof SQLException sql && unavailableState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if {@code failure} says the database dropped commits it had acknowledged: H2 closing its database after
     * a failed write to its file (closed 90098, file I/O 90028 and 90031, or a general error over an I/O failure).
     */
    public static boolean mayHaveLostCommits(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        SQLException h2 = null;
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getClass().getName().startsWith("org.h2.")) {
                int code = sql.getErrorCode();
                if (code == 90098 || code == 90028 || code == 90031) {
                    return true;
                }
                h2 = sql;
            } else if (h2 != null && t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
    }
}
