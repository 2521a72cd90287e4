package dev.gradlab.access;

/** How requests are authenticated ({@code gradlab.security.mode}). */
public enum SecurityMode {
    /**
     * No key needed: every request without one is the local admin. Safe only because the server then listens on
     * loopback alone (the service refuses to start otherwise), like a notebook server on a laptop.
     */
    LOCAL,
    /** Every API request needs {@code Authorization: Bearer <key>}: an API key, or the operator's admin key. */
    KEYS
}
