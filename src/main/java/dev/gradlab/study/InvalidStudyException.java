package dev.gradlab.study;

import dev.gradlab.spec.SpecViolation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A study that must not be created. Each violation names the request field that holds the bad value:
 * {@code vary.<path>[i]} for the i-th value of a varied field (e.g. {@code vary.model.depth[3]}), {@code base.<path>}
 * for a field of the base spec, or {@code name}, {@code repeats}, {@code targetLoss}, {@code vary.<path>}.
 */
public class InvalidStudyException extends RuntimeException {

    private final transient List<SpecViolation> violations;

    InvalidStudyException(List<SpecViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<SpecViolation> violations() {
        return violations;
    }
}
