package dev.gradlab.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that must not be trained; each violation names its field. */
public class InvalidSpecException extends RuntimeException {

    private final List<SpecViolation> violations;

    public InvalidSpecException(List<SpecViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidSpecException(String field, String message) {
        this(List.of(new SpecViolation(field, message)));
    }

    public List<SpecViolation> violations() {
        return violations;
    }
}
