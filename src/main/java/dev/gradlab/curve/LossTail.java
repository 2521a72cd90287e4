package dev.gradlab.curve;

import java.util.List;

/** The last recorded losses, ascending by iteration; NaN and ±Infinity as recorded. */
public record LossTail(List<Long> iterations, List<Double> values) {}
