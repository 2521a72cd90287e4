package dev.gradlab.diagnosis;

/**
 * One field of the spec to set, as a dotted path into the spec's JSON ({@code model.batchNorm},
 * {@code training.gradientClipping.mode}) and the JSON value to put there: a Boolean, an Integer, a Double or a String (an
 * enum as the API spells it, e.g. {@code relu}).
 */
public record SpecChange(String field, Object value) {}
