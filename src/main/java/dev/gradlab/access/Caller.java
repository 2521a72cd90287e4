package dev.gradlab.access;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who made a request: the owner whose jobs, studies and datasets it sees and creates, and whether it is an admin
 * (admins see every owner's).
 *
 * @param owner the owner name (see {@link #OWNER_PATTERN})
 * @param admin sees and acts on every owner's resources, and manages keys
 * @param keyId the API key that authenticated the request, or null (the local admin, the operator's admin key):
 *              an open event stream checks it is still valid, so a revocation reaches it too
 */
public record Caller(String owner, boolean admin, UUID keyId) {

    /** Owner names: letters, digits and {@code . _ @ -}, 1 to 100 characters (they appear in logs and lists). */
    public static final Pattern OWNER_PATTERN = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    /** The owner of everything made in local mode, and of every row stored before owners existed. */
    public static final String LOCAL_OWNER = "local";

    /** Local mode's single user. */
    public static final Caller LOCAL_ADMIN = new Caller(LOCAL_OWNER, true, null);

    /** The owner of what the operator's admin key creates. */
    public static final String ADMIN_OWNER = "admin";

    public Caller {
        Objects.requireNonNull(owner, "owner");
    }

    /** Whether this caller may see a resource of {@code resourceOwner}. */
    public boolean sees(String resourceOwner) {
        return admin || owner.equals(resourceOwner);
    }

    /** The owner a query must match, or null for an admin, who sees every owner's. */
    public String ownerFilter() {
        return admin ? null : owner;
    }
}
