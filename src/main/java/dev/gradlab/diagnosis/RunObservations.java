package dev.gradlab.diagnosis;

import java.util.List;

/**
 * What the rules see of a run at two moments: {@code recent}, the median of each statistic over its last recorded
 * points (NaN where none were recorded or none were finite), and {@code start}, the first recorded point (iteration 1:
 * the initial weights, where the seed's pathologies are born; an explosion that froze the net a few steps later is
 * only visible there). Plus the recent loss and the last epoch.
 *
 * @param recentLoss    median of the last losses (NaN if none finite)
 * @param lastLoss      the last recorded loss as it is (NaN if none)
 * @param lossIteration the last recorded loss's iteration, or null
 * @param nonFiniteAt   the first iteration in the recent windows whose loss or gradient norm is non-finite, or null
 * @param lastEpoch     the last completed epoch, or null
 */
record RunObservations(
        Snapshot recent,
        Snapshot start,
        double recentLoss,
        double lastLoss,
        Long lossIteration,
        Long nonFiniteAt,
        EpochState lastEpoch) {

    /**
     * The statistics at one moment.
     *
     * @param layerIteration last iteration of the per-layer statistics it summarises, or null if none recorded
     * @param probeIteration the same for the probe statistics (saturated and dead fractions)
     * @param time           the per-step gradients of a recurrent run, or null
     */
    record Snapshot(List<LayerObservation> layers, Long layerIteration, Long probeIteration, TimeObservation time) {

        static final Snapshot NONE = new Snapshot(List.of(), null, null, null);
    }

    /** One parameterised layer; kind as stored (dense, batchNorm, recurrent, output); NaN where not recorded. */
    record LayerObservation(
            int index,
            String name,
            String kind,
            double gradientNorm,
            double updateRatio,
            double saturatedFraction,
            double deadFraction) {}

    /** ‖∂L/∂x₁‖ and ‖∂L/∂x_T‖ (medians over the window, for {@code recent}). */
    record TimeObservation(long iteration, int steps, double first, double last) {}

    record EpochState(int epoch, double trainAccuracy, double testAccuracy) {}

    /** The last iteration any statistic was judged at. */
    Long iteration() {
        Long latest = lossIteration;
        for (Long it : new Long[] {
            recent.layerIteration(),
            recent.probeIteration(),
            recent.time() == null ? null : recent.time().iteration()
        }) {
            if (it != null && (latest == null || it > latest)) {
                latest = it;
            }
        }
        return latest;
    }
}
