/**
 * Depth and time profiles of a job's gradient: log₁₀ of the gradient norm against layer (MLP) or against time step
 * (RNN) at one iteration, the slope fitted to it (decades per layer or per step) with its r², and beside it the
 * slope the vanishing-gradient mechanism predicts from the same run's recorded factors (mean activation derivative,
 * weight scale, W_rec's largest singular value). Reads only {@code curve}; the theory is written out in
 * docs/PROFILES.md.
 */
package dev.gradlab.profile;
