package dev.gradlab.curve;

import java.util.List;

/** ‖∂L/∂x_t‖ for t = 1..T, recorded with the parameters that {@code iteration} started from; may hold NaN or ±Infinity. */
public record TimestepProfile(long iteration, List<Double> norms) {}
