package dev.gradlab.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gradlab.security.*}.
 *
 * @param mode     local (the default profile: no key, loopback only) or keys (the postgres profile, Docker)
 * @param adminKey the operator's admin key (env {@code GRADLAB_SECURITY_ADMIN_KEY}, from a secret): required in
 *                 keys mode, at least {@value #MIN_ADMIN_KEY_LENGTH} characters. There is no default, on purpose:
 *                 a default would be the same on every installation.
 */
@ConfigurationProperties("gradlab.security")
public record AccessProperties(@DefaultValue("local") SecurityMode mode, String adminKey) {

    public static final int MIN_ADMIN_KEY_LENGTH = 32;

    public boolean keysRequired() {
        return mode == SecurityMode.KEYS;
    }

    /** Not in logs or error reports. */
    @Override
    public String toString() {
        return "AccessProperties[mode=" + mode + ", adminKey=" + (adminKey == null ? "unset" : "(set)") + "]";
    }
}
