package dev.gradlab.study;

import java.util.UUID;

public class StudyNotFoundException extends RuntimeException {
    StudyNotFoundException(UUID id) {
        super("no study with id " + id);
    }
}
