package dev.gradlab.curve;

import java.util.List;

/** A curve asked for by a statistic this kind of curve does not have. */
public class UnknownStatisticException extends RuntimeException {

    private final List<String> allowed;

    UnknownStatisticException(String stat, List<String> allowed) {
        super("must be one of " + String.join(", ", allowed) + " (was '" + stat + "')");
        this.allowed = List.copyOf(allowed);
    }

    public List<String> allowed() {
        return allowed;
    }
}
