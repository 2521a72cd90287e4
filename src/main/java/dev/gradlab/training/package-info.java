/**
 * Runs a network over the epochs and measures it: per-layer gradient norms before and after clipping, update
 * ratios, activation statistics, the gradient reaching each time step, divergence, and the headline gradient
 * ratio. Reports to a {@link dev.gradlab.training.TrainingObserver}; stores nothing itself. Touches DL4J.
 */
package dev.gradlab.training;
