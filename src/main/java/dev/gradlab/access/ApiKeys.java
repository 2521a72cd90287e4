package dev.gradlab.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * API keys: created with a random 256-bit secret shown once, stored only as its SHA-256, checked on every request,
 * revoked at once.
 * <p>
 * Why SHA-256 and not a password hash (bcrypt, scrypt, Argon2): those are slow on purpose so that guessing a
 * human's low-entropy password from a stolen hash takes years; a key here is 256 random bits, which no amount of
 * guessing finds, fast hash or not. A slow hash on every request would instead cost ~50–100 ms of CPU per call
 * (the API answers in about a millisecond). One SHA-256 is a microsecond, and lets the database find the key by an
 * index on its hash.
 * <p>
 * Nothing is cached: every request reads the key's row, so a revocation applies to the next request on every
 * instance sharing the database. Only the "last used" time is written lazily (at most once a minute per key and
 * instance), which delays nothing but that column.
 */
@Service
public class ApiKeys {

    /** Every key starts with this, so that secret scanners (and people) can recognise a leaked one. */
    public static final String KEY_PREFIX = "glk_";

    private static final int SECRET_BYTES = 32;
    /** The prefix shown in lists: the marker and 6 characters of the secret (36 bits: not a useful hint). */
    private static final int SHOWN_PREFIX = KEY_PREFIX.length() + 6;
    /** A presented key longer than this is no key of ours; not even hashed. */
    private static final int MAX_PRESENTED = 512;

    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final SecureRandom random = new SecureRandom();
    private final ApiKeyRepository keys;
    private final JdbcTemplate jdbc;
    private final byte[] adminKeyHash;
    private final Map<UUID, Instant> lastUsedWritten = new ConcurrentHashMap<>();

    ApiKeys(ApiKeyRepository keys, JdbcTemplate jdbc, AccessProperties properties) {
        this.keys = keys;
        this.jdbc = jdbc;
        String admin = properties.adminKey();
        this.adminKeyHash = admin == null || admin.isBlank() ? null : sha256(admin.strip());
    }

    /** A new key and its secret, which is not stored and cannot be shown again. */
    public record CreatedKey(ApiKeyDetails key, String secret) {}

    /**
     * @param owner whose jobs, studies and datasets the key sees and creates ({@link Caller#OWNER_PATTERN})
     * @param admin whether the key also sees every owner's and manages keys
     */
    public CreatedKey create(String owner, boolean admin) {
        if (owner == null || !Caller.OWNER_PATTERN.matcher(owner).matches()) {
            throw new IllegalArgumentException("owner must match " + Caller.OWNER_PATTERN.pattern());
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey(
                UUID.randomUUID(),
                owner,
                admin,
                HexFormat.of().formatHex(sha256(secret)),
                secret.substring(0, SHOWN_PREFIX),
                Instant.now().truncatedTo(ChronoUnit.MICROS)); // PostgreSQL keeps microseconds
        keys.saveAndFlush(key);
        return new CreatedKey(key.details(), secret);
    }

    /** Every key, revoked ones included, newest first. */
    public List<ApiKeyDetails> list() {
        return keys.findAllByOrderByCreatedAtDescIdDesc().stream()
                .map(ApiKey::details)
                .toList();
    }

    /**
     * Revokes the key: from the next request on it is refused, on every instance. Revoking a revoked key changes
     * nothing (its first revocation time stays).
     *
     * @throws ApiKeyNotFoundException when there is none
     */
    public ApiKeyDetails revoke(UUID id) {
        keys.revoke(id, Instant.now().truncatedTo(ChronoUnit.MICROS));
        lastUsedWritten.remove(id);
        return keys.findById(id).map(ApiKey::details).orElseThrow(() -> new ApiKeyNotFoundException(id));
    }

    /** Whether the key exists and is not revoked (an open event stream asks this every second). */
    public boolean active(UUID id) {
        return keys.existsByIdAndRevokedAtIsNull(id);
    }

    /**
     * Who a presented key is: the operator's admin key, or a valid (not revoked) API key. Empty for anything else.
     * The admin key is compared in constant time; an API key is found by its hash, and a timing difference in that
     * lookup would tell an attacker about hashes of guesses, which says nothing about a valid key.
     */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_PRESENTED) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        if (adminKeyHash != null && MessageDigest.isEqual(hash, adminKeyHash)) {
            return Optional.of(new Caller(Caller.ADMIN_OWNER, true, null));
        }
        if (!presented.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        // One indexed select in autocommit, no JPA and no transaction around it: on every request, this is what
        // keys cost (a repository query method would open a read-only transaction: three round trips, not one).
        List<Caller> found = jdbc.query(
                "select id, owner, admin from api_key where key_hash = ? and revoked_at is null",
                (rs, n) -> new Caller(rs.getString("owner"), rs.getBoolean("admin"), rs.getObject("id", UUID.class)),
                HexFormat.of().formatHex(hash));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Caller caller = found.get(0);
        noteUse(caller.keyId());
        return Optional.of(caller);
    }

    /** Writes "last used" at most once a minute per key on this instance: a write per request would cost more. */
    private void noteUse(UUID id) {
        Instant now = Instant.now();
        Instant written = lastUsedWritten.get(id);
        if (written != null && written.plus(LAST_USED_RESOLUTION).isAfter(now)) {
            return;
        }
        lastUsedWritten.put(id, now);
        try {
            keys.touch(id, now.truncatedTo(ChronoUnit.MICROS));
        } catch (RuntimeException e) {
            // The request is authenticated either way; "last used" is a hint, and a database outage has its own
            // answer on the request's own queries.
            lastUsedWritten.remove(id);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
