package dev.gradlab.diagnosis;

import dev.gradlab.curve.CurveQueries;
import dev.gradlab.curve.EpochAccuracy;
import dev.gradlab.curve.LayerPoints;
import dev.gradlab.curve.LossTail;
import dev.gradlab.curve.TimestepProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Diagnoses a job from its stored measurements: the last {@code gradlab.diagnosis.window} points of each statistic
 * (read from the last chunks only, so the cost does not grow with the run), the last losses, per-step gradients and
 * epoch. Any instance can answer for any job, running or finished. A finished job's diagnosis cannot change, so it
 * is kept in a small in-memory cache.
 */
@Service
public class DiagnosisService {

    private static final String GRADIENT = "weightGradientNorm";
    private static final String UPDATE = "updateRatio";
    private static final String SATURATED = "saturatedFraction";
    private static final String DEAD = "deadFraction";

    private final CurveQueries curves;
    private final DiagnosisProperties properties;
    private final Map<UUID, Diagnosis> finished;

    DiagnosisService(CurveQueries curves, DiagnosisProperties properties) {
        this.curves = curves;
        this.properties = properties;
        int capacity = properties.cacheSize();
        this.finished = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Diagnosis> eldest) {
                return size() > capacity;
            }
        });
    }

    /** @return the findings, or null while nothing has been recorded (a queued job, or one just started) */
    public Diagnosis diagnose(RunFacts facts) {
        if (facts.finished()) {
            Diagnosis cached = finished.get(facts.jobId());
            if (cached != null) {
                return cached;
            }
        }
        RunObservations observations = observe(facts);
        if (observations == null) {
            return null;
        }
        Diagnosis diagnosis = DiagnosisRules.diagnose(facts, observations, properties);
        if (facts.finished() && properties.cacheSize() > 0) {
            finished.put(facts.jobId(), diagnosis);
        }
        return diagnosis;
    }

    /**
     * Drops a deleted job's cached diagnosis. (An entry this instance keeps for a job deleted elsewhere is never
     * served, since the job is looked up first and answers 404; it ages out of the cache.)
     */
    public void forget(UUID jobId) {
        finished.remove(jobId);
    }

    private RunObservations observe(RunFacts facts) {
        UUID id = facts.jobId();
        int window = properties.window();
        LossTail loss = curves.lossTail(id, window);
        LayerPoints gradients = curves.layerTail(id, GRADIENT, window);
        if (loss.values().isEmpty() && gradients.layers().isEmpty()) {
            return null;
        }
        boolean recurrent = facts.spec().model().recurrent();
        RunObservations.Snapshot recent = snapshot(
                gradients,
                curves.layerTail(id, UPDATE, window),
                curves.layerTail(id, SATURATED, window),
                curves.layerTail(id, DEAD, window),
                recurrent ? timeWindow(curves.timestepTail(id, window)) : null);
        RunObservations.Snapshot start = snapshot(
                curves.layerHead(id, GRADIENT),
                curves.layerHead(id, UPDATE),
                curves.layerHead(id, SATURATED),
                curves.layerHead(id, DEAD),
                recurrent ? timeWindow(nullableList(curves.firstTimesteps(id))) : null);
        Long nonFiniteAt = firstNonFinite(loss.iterations(), loss.values(), null);
        for (LayerPoints.Layer l : gradients.layers()) {
            nonFiniteAt = firstNonFinite(l.iterations(), l.values(), nonFiniteAt);
        }
        EpochAccuracy epoch = facts.epochs() > 0 ? curves.epoch(id, facts.epochs()) : null;
        List<Double> losses = loss.values();
        return new RunObservations(
                recent,
                start,
                median(losses),
                losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1),
                loss.iterations().isEmpty()
                        ? null
                        : loss.iterations().get(loss.iterations().size() - 1),
                nonFiniteAt,
                epoch == null
                        ? null
                        : new RunObservations.EpochState(epoch.epoch(), epoch.trainAccuracy(), epoch.testAccuracy()));
    }

    /** Each layer's statistics over the given points, by their median. */
    private static RunObservations.Snapshot snapshot(
            LayerPoints gradients,
            LayerPoints updates,
            LayerPoints saturatedPoints,
            LayerPoints deadPoints,
            RunObservations.TimeObservation time) {
        Map<Integer, Double> update = medians(updates);
        Map<Integer, Double> saturated = medians(saturatedPoints);
        Map<Integer, Double> dead = medians(deadPoints);
        List<RunObservations.LayerObservation> layers = new ArrayList<>();
        for (LayerPoints.Layer l : gradients.layers()) {
            layers.add(new RunObservations.LayerObservation(
                    l.index(),
                    l.name(),
                    l.kind(),
                    median(l.values()),
                    update.getOrDefault(l.index(), Double.NaN),
                    saturated.getOrDefault(l.index(), Double.NaN),
                    dead.getOrDefault(l.index(), Double.NaN)));
        }
        return new RunObservations.Snapshot(
                layers,
                lastIteration(gradients),
                lastIteration(saturatedPoints.layers().isEmpty() ? deadPoints : saturatedPoints),
                time);
    }

    /** Medians of the first and last step's gradient over these profiles; null if there are none. */
    private static RunObservations.TimeObservation timeWindow(List<TimestepProfile> profiles) {
        if (profiles.isEmpty()) {
            return null;
        }
        TimestepProfile latest = profiles.get(profiles.size() - 1);
        int steps = latest.norms().size();
        return new RunObservations.TimeObservation(
                latest.iteration(),
                steps,
                median(profiles.stream().map(t -> t.norms().get(0)).toList()),
                median(profiles.stream().map(t -> t.norms().get(steps - 1)).toList()));
    }

    private static List<TimestepProfile> nullableList(TimestepProfile profile) {
        return profile == null ? List.of() : List.of(profile);
    }

    private static Map<Integer, Double> medians(LayerPoints points) {
        Map<Integer, Double> out = new HashMap<>();
        for (LayerPoints.Layer l : points.layers()) {
            out.put(l.index(), median(l.values()));
        }
        return out;
    }

    private static Long lastIteration(LayerPoints points) {
        Long last = null;
        for (LayerPoints.Layer l : points.layers()) {
            Long it = l.iterations().get(l.iterations().size() - 1);
            if (last == null || it > last) {
                last = it;
            }
        }
        return last;
    }

    private static Long firstNonFinite(List<Long> iterations, List<Double> values, Long sofar) {
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v != null && !Double.isFinite(v)) {
                long it = iterations.get(i);
                return sofar == null || it < sofar ? it : sofar;
            }
        }
        return sofar;
    }

    /** Median of the finite values; NaN if there are none. */
    static double median(List<Double> values) {
        double[] finite = values.stream()
                .filter(v -> v != null && Double.isFinite(v))
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }

    /** For tests: how many finished diagnoses are cached. */
    int cached() {
        return finished.size();
    }
}
