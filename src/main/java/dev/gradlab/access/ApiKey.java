package dev.gradlab.access;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API key's row: never the key itself, only its SHA-256. Others see {@link ApiKeyDetails}. */
@Entity
@Table(name = "api_key")
class ApiKey {

    @Id
    private UUID id;

    private String owner;
    private boolean admin;
    private String keyHash;
    private String prefix;
    private Instant createdAt;
    private Instant lastUsedAt;
    private Instant revokedAt;

    protected ApiKey() {}

    ApiKey(UUID id, String owner, boolean admin, String keyHash, String prefix, Instant createdAt) {
        this.id = id;
        this.owner = owner;
        this.admin = admin;
        this.keyHash = keyHash;
        this.prefix = prefix;
        this.createdAt = createdAt;
    }

    ApiKeyDetails details() {
        return new ApiKeyDetails(id, owner, admin, prefix, createdAt, lastUsedAt, revokedAt);
    }
}
