package dev.gradlab.database;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How often this process has seen the database drop commits it had already acknowledged. PostgreSQL never does;
 * H2 keeps the last half second of commits in memory, and when a write to its file fails (a full disk) it closes
 * the database and reopens it, on the next connection, as it was on disk. A run that stored metrics before such
 * a loss cannot know which of them survived (an epoch's row, a chunk's first write), so it starts over.
 * Counted by {@link EvictBrokenConnections}, which Hikari shows every failure on a pooled connection.
 */
public final class StorageLosses {

    private static final AtomicLong COUNT = new AtomicLong();

    private StorageLosses() {}

    /** @return the number of losses seen so far: a run compares it with the count when it started */
    public static long count() {
        return COUNT.get();
    }

    static void noticed() {
        COUNT.incrementAndGet();
    }
}
