package dev.gradlab.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key as listed: never the key, nor its hash.
 *
 * @param prefix     the key's first characters, to tell keys apart
 * @param lastUsedAt when it last authenticated a request, to the minute (null: never)
 * @param revokedAt  when it was revoked (null: valid)
 */
public record ApiKeyDetails(
        UUID id,
        String owner,
        boolean admin,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {}
