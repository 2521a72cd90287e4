package dev.gradlab.access;

import java.util.UUID;

public class ApiKeyNotFoundException extends RuntimeException {

    public ApiKeyNotFoundException(UUID id) {
        super("no API key has id " + id);
    }
}
