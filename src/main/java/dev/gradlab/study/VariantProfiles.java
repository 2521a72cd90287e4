package dev.gradlab.study;

import dev.gradlab.curve.IterationNotRecordedException;
import dev.gradlab.job.JobDetails;
import dev.gradlab.profile.GradientProfile;
import dev.gradlab.profile.GradientProfiles;
import dev.gradlab.profile.Prediction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A study variant's gradient profile over its completed repeats: the median (min–max) of the fitted and the
 * predicted slopes, and the median log₁₀ norm at each position, to overlay variants. A finished job's profile
 * never changes, so each is kept (a bounded cache per instance).
 */
@Component
class VariantProfiles {

    static final int CACHED_PROFILES = 2_000;

    private final GradientProfiles profiles;
    private final Map<Key, GradientProfile> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, GradientProfile> eldest) {
            return size() > CACHED_PROFILES;
        }
    });

    VariantProfiles(GradientProfiles profiles) {
        this.profiles = profiles;
    }

    private record Key(UUID job, boolean last, String statistic) {}

    VariantProfile of(int index, Map<String, Object> values, List<JobDetails> jobs, boolean last, String statistic) {
        List<VariantProfile.RepeatProfile> repeats = new ArrayList<>();
        for (JobDetails job : jobs) {
            if (!StudyResults.completed(job.status())) {
                continue;
            }
            GradientProfile p = profile(job, last, statistic);
            if (p != null) {
                repeats.add(
                        new VariantProfile.RepeatProfile(job.id(), job.study().repeat(), p));
            }
        }
        List<Double> slopes = new ArrayList<>();
        List<Double> r2 = new ArrayList<>();
        Map<Prediction.Method, List<Double>> predicted = new EnumMap<>(Prediction.Method.class);
        for (VariantProfile.RepeatProfile r : repeats) {
            GradientProfile p = r.profile();
            slopes.add(p.fit() == null ? null : p.fit().slope());
            r2.add(p.fit() == null ? null : p.fit().r2());
            for (Prediction prediction : p.predictions()) {
                predicted
                        .computeIfAbsent(prediction.method(), m -> new ArrayList<>())
                        .add(prediction.slope());
            }
        }
        Map<Prediction.Method, StudyDetails.Statistic> predictedSlopes = new EnumMap<>(Prediction.Method.class);
        predicted.forEach((m, v) -> predictedSlopes.put(m, StudyDetails.Statistic.of(v)));
        List<Integer> positions =
                repeats.isEmpty() ? List.of() : repeats.get(0).profile().positions();
        List<Double> median = new ArrayList<>(positions.size());
        for (int i = 0; i < positions.size(); i++) {
            List<Double> at = new ArrayList<>();
            for (VariantProfile.RepeatProfile r : repeats) {
                List<Double> v = r.profile().log10Norms();
                at.add(i < v.size() ? v.get(i) : null);
            }
            median.add(StudyDetails.Statistic.of(at).median());
        }
        return new VariantProfile(
                index,
                values,
                repeats,
                StudyDetails.Statistic.of(slopes),
                StudyDetails.Statistic.of(r2),
                predictedSlopes,
                positions,
                median);
    }

    /** A completed job's profile (cached), or null if it recorded none. */
    private GradientProfile profile(JobDetails job, boolean last, String statistic) {
        Key key = new Key(job.id(), last, statistic);
        GradientProfile known = cache.get(key);
        if (known != null) {
            return known;
        }
        try {
            GradientProfile p = profiles.profile(
                    job.id(), job.spec(), statistic, last ? GradientProfiles.At.LAST : GradientProfiles.At.FIRST);
            cache.put(key, p);
            return p;
        } catch (IterationNotRecordedException e) {
            return null;
        }
    }
}
