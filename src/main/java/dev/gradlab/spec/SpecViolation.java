package dev.gradlab.spec;

/** One problem with a spec: the dotted field path (e.g. {@code model.depth}) and what is wrong with it. */
public record SpecViolation(String field, String message) {}
