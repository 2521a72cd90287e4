package dev.gradlab.diagnosis;

/**
 * The measurement a finding rests on: {@code statistic} (a stored statistic's name, or a ratio of them), its value
 * (the median over the rule's window; may be NaN or ±Infinity) and the rule's threshold (null when the rule has none,
 * as for a non-finite value).
 */
public record Evidence(String statistic, double value, Double threshold) {}
