package dev.gradlab.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses to start on settings that would let another machine in without a key: local mode (no key) listening on
 * anything but loopback, or keys mode without the operator's admin key. Only the address the server binds decides
 * "local" — never a request header (X-Forwarded-For is honoured for URLs, and anyone can send it).
 */
@Component
class AccessSetupCheck {

    AccessSetupCheck(AccessProperties properties, @Value("${server.address:}") String serverAddress) {
        check(properties, serverAddress);
    }

    static void check(AccessProperties properties, String serverAddress) {
        if (properties.keysRequired()) {
            String key = properties.adminKey();
            if (key == null || key.isBlank()) {
                throw new InsecureSetupException(
                        "gradlab.security.mode=keys, but no admin key is set: nobody could create API keys.",
                        "Set the environment variable GRADLAB_SECURITY_ADMIN_KEY (gradlab.security.admin-key) to a "
                                + "random secret of at least " + AccessProperties.MIN_ADMIN_KEY_LENGTH
                                + " characters, e.g. the output of `openssl rand -base64 32`, from a secret store. "
                                + "There is no default on purpose.");
            }
            if (key.strip().length() < AccessProperties.MIN_ADMIN_KEY_LENGTH) {
                throw new InsecureSetupException(
                        "The admin key (gradlab.security.admin-key) has "
                                + key.strip().length()
                                + " characters; at least " + AccessProperties.MIN_ADMIN_KEY_LENGTH
                                + " are required (it unlocks every owner's data).",
                        "Use a random secret, e.g. the output of `openssl rand -base64 32`.");
            }
            return;
        }
        if (!isLoopback(serverAddress)) {
            throw new InsecureSetupException(
                    "gradlab.security.mode=local needs no key, so the server may listen on loopback only, but "
                            + "server.address is "
                            + (serverAddress == null || serverAddress.isBlank()
                                    ? "not set (every interface)"
                                    : serverAddress)
                            + ": other machines could use it without a key.",
                    "Keep server.address=127.0.0.1 (the default), or require keys: gradlab.security.mode=keys "
                            + "with GRADLAB_SECURITY_ADMIN_KEY set (the postgres profile and the Docker image do). "
                            + "A reverse proxy in front of a local-mode server exposes it too: use keys mode there.");
        }
    }

    private static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
