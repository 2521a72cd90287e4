package dev.gradlab.study;

import dev.gradlab.curve.CurveQueries;
import dev.gradlab.curve.EpochAccuracy;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Aggregates a variant's jobs into its row of the study table. The job rows give the headline ratio, the final
 * accuracies and the wall time; the curves give the best test accuracy (max over epochs) and the first iteration
 * whose minibatch loss reached the target. A finished job's curves never change, so those two are kept per job
 * (a bounded cache per instance) instead of rescanning its loss series on every read.
 */
@Component
class StudyResults {

    /** Finished jobs whose curve figures are kept; each entry is a few dozen bytes. */
    static final int CACHED_JOBS = 10_000;

    private final CurveQueries curves;
    private final Map<CurveKey, CurveFigures> cache =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<CurveKey, CurveFigures> eldest) {
                    return size() > CACHED_JOBS;
                }
            });

    StudyResults(CurveQueries curves) {
        this.curves = curves;
    }

    private record CurveKey(UUID job, Double targetLoss) {}

    /** What the curves say about one finished job; null where they have nothing. */
    private record CurveFigures(Double bestTestAccuracy, Long iterationsToTarget) {}

    /** Completed = ran its course, to the end or to divergence; cancelled and failed jobs count in no statistic. */
    static boolean completed(JobStatus status) {
        return status == JobStatus.SUCCEEDED || status == JobStatus.DIVERGED;
    }

    StudyDetails.VariantRow row(int index, Map<String, Object> values, List<JobDetails> jobs, Double targetLoss) {
        List<JobDetails> done = jobs.stream().filter(j -> completed(j.status())).toList();
        List<CurveFigures> figures =
                done.stream().map(j -> figures(j.id(), targetLoss)).toList();
        String measure = done.stream()
                .map(j -> j.outcome().gradientRatio())
                .filter(java.util.Objects::nonNull)
                .map(JobDetails.GradientRatio::measure)
                .findFirst()
                .orElse(null);
        return new StudyDetails.VariantRow(
                index,
                values,
                jobs.stream()
                        .map(j -> new StudyDetails.VariantJob(j.id(), j.study().repeat(), j.status()))
                        .toList(),
                done.size(),
                (int) done.stream()
                        .filter(j -> j.status() == JobStatus.DIVERGED)
                        .count(),
                measure,
                outcomes(
                        done,
                        o -> o.gradientRatio() == null
                                ? null
                                : o.gradientRatio().start()),
                outcomes(
                        done,
                        o -> o.gradientRatio() == null
                                ? null
                                : o.gradientRatio().end()),
                outcomes(done, JobDetails.Outcome::trainAccuracy),
                outcomes(done, JobDetails.Outcome::testAccuracy),
                StudyDetails.Statistic.of(
                        figures.stream().map(CurveFigures::bestTestAccuracy).toList()),
                targetLoss == null
                        ? null
                        : StudyDetails.Statistic.of(figures.stream()
                                .map(f -> f.iterationsToTarget() == null
                                        ? null
                                        : f.iterationsToTarget().doubleValue())
                                .toList()),
                outcomes(
                        done,
                        o -> o.wallTimeMillis() == null
                                ? null
                                : o.wallTimeMillis().doubleValue()));
    }

    private static StudyDetails.Statistic outcomes(List<JobDetails> done, Function<JobDetails.Outcome, Double> value) {
        List<Double> values = new ArrayList<>(done.size());
        done.forEach(j -> values.add(value.apply(j.outcome())));
        return StudyDetails.Statistic.of(values);
    }

    /** Drops what is kept about deleted jobs. */
    void forget(java.util.Collection<UUID> jobs) {
        java.util.Set<UUID> gone = java.util.Set.copyOf(jobs);
        synchronized (cache) {
            cache.keySet().removeIf(key -> gone.contains(key.job()));
        }
    }

    private CurveFigures figures(UUID job, Double targetLoss) {
        CurveKey key = new CurveKey(job, targetLoss);
        CurveFigures known = cache.get(key);
        if (known != null) {
            return known;
        }
        Double best = curves.epochs(job).stream()
                .map(EpochAccuracy::testAccuracy)
                .max(Double::compare)
                .orElse(null);
        Long reached = null;
        if (targetLoss != null) {
            OptionalLong at = curves.firstIterationWithLossAtMost(job, targetLoss);
            reached = at.isPresent() ? at.getAsLong() : null;
        }
        CurveFigures figures = new CurveFigures(best, reached);
        cache.put(key, figures);
        return figures;
    }
}
