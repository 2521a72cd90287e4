package dev.gradlab.database;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells Hikari to drop a pooled connection whenever a failure says the database is unavailable, not only for the
 * SQLStates it knows (08…, 57P0x). H2 closes its database after a failed write to its file (a full disk) and then
 * answers "The database has been closed" (90098) on every open connection: Hikari kept handing those out (it
 * validates only connections idle for half a second, and the queue's polling never lets them idle), so the
 * service stayed down after the disk had room again. A new connection reopens the file. Named in
 * {@code spring.datasource.hikari.exception-override-class-name}. It also counts the failures after which H2 may
 * have dropped acknowledged commits ({@link StorageLosses}).
 */
public class EvictBrokenConnections implements SQLExceptionOverride {

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        if (DatabaseFailures.mayHaveLostCommits(e)) {
            StorageLosses.noticed();
        }
        return DatabaseFailures.isUnavailable(e)
                ? SQLExceptionOverride.Override.MUST_EVICT
                : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
