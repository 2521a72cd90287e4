package dev.gradlab.study;

import dev.gradlab.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A validated study: its variants in order (the first varied path slowest), each with its values and its spec
 * (defaults filled in), and the specs of its repeats.
 *
 * <p><b>Seeds.</b> Repeat r of every variant trains with {@code training.seed + r} and {@code dataset.seed + r}
 * (the variant's seeds after defaults, 42 and 1 unless set): within a repeat all variants share the dataset and
 * its split (dataset seed), the minibatch order and the initial weights (training seed; see network.MatchedInit),
 * and repeat r + 1 draws all of them afresh.
 */
public record StudyPlan(
        String name,
        ExperimentSpec base,
        LinkedHashMap<String, List<JsonNode>> vary,
        int repeats,
        Double targetLoss,
        List<Variant> variants) {

    /**
     * @param values the varied path → value (JSON null: the field's default), in the order of {@code vary}
     * @param spec   the variant's spec for repeat 0, with defaults filled in
     */
    public record Variant(int index, LinkedHashMap<String, JsonNode> values, ExperimentSpec spec) {

        /** The spec repeat {@code r} trains: both seeds + r. */
        public ExperimentSpec repeat(int r) {
            return seeded(spec, r);
        }
    }

    public int jobCount() {
        return variants.size() * repeats;
    }

    /** {@code spec} (defaults filled in) with {@code training.seed + r} and {@code dataset.seed + r}. */
    public static ExperimentSpec seeded(ExperimentSpec spec, int r) {
        long trainingSeed = spec.training().seed() + r;
        long datasetSeed = spec.dataset().seed() + r;
        return spec.withTraining(t -> t.seed(trainingSeed)).withDataset(d -> d.seed(datasetSeed));
    }

    /**
     * Every combination of one value per path, as value indices, the first path varying slowest (row-major): for
     * sizes [4, 2] that is [0,0], [0,1], [1,0], … [3,1]. One empty combination when nothing varies.
     */
    static List<int[]> combinations(List<Integer> sizes) {
        List<int[]> out = new ArrayList<>();
        int[] current = new int[sizes.size()];
        while (true) {
            out.add(current.clone());
            int k = sizes.size() - 1;
            while (k >= 0 && ++current[k] == sizes.get(k)) {
                current[k] = 0;
                k--;
            }
            if (k < 0) {
                return out;
            }
        }
    }

    /** The values of each variant of {@code vary}, in variant order. */
    static List<LinkedHashMap<String, JsonNode>> variantValues(Map<String, List<JsonNode>> vary) {
        List<String> paths = List.copyOf(vary.keySet());
        List<LinkedHashMap<String, JsonNode>> out = new ArrayList<>();
        for (int[] combination :
                combinations(paths.stream().map(p -> vary.get(p).size()).toList())) {
            LinkedHashMap<String, JsonNode> values = new LinkedHashMap<>();
            for (int k = 0; k < paths.size(); k++) {
                values.put(paths.get(k), vary.get(paths.get(k)).get(combination[k]));
            }
            out.add(values);
        }
        return out;
    }
}
