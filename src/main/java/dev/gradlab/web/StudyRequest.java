package dev.gradlab.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.study.StudyDefinition;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
        name = "StudyRequest",
        description = "A matched ablation: the base spec, the spec fields to vary with their values, and repeats. "
                + "One job per combination of values × repeat. Within a repeat every variant trains on the same "
                + "data, in the same minibatch order, from the same initial weights wherever its layers agree; "
                + "repeat r trains with training.seed + r and dataset.seed + r. Errors name the request field: "
                + "`vary.<path>[i]` for the i-th value of a varied field (e.g. `vary.model.depth[3]`), "
                + "`base.<path>` for a field of the base, with the variant it occurred in.")
record StudyRequest(
        @Schema(description = "Free text to recognise the study by; its jobs are named after it", maxLength = 200)
        String name,

        @Schema(
                description = "The spec every variant starts from (a job's spec: model, dataset, training, metrics; "
                        + "omitted fields take their defaults)")
        ExperimentSpec base,

        @Schema(
                description = "Spec field path → the values to try, in order (the first path varies slowest). A "
                        + "path is any spec field (`model.depth`, `model.batchNorm`, `training.learningRate`, …) or "
                        + "nested object (`training.gradientClipping`); a value is what that field takes in a job's "
                        + "spec, null for its default. Each variant must be a valid spec. Omitted: one variant, the "
                        + "base.")
        Map<String, List<JsonNode>> vary,

        @Schema(
                description = "Runs per variant, each with its own seeds (training.seed + r, dataset.seed + r for "
                        + "repeat r = 0, 1, …); variants × repeats is capped by gradlab.studies.max-jobs (64)",
                minimum = "1",
                defaultValue = "1")
        Integer repeats,

        @Schema(
                description = "If set, each variant's row reports the first iteration whose minibatch loss is at "
                        + "most this",
                minimum = "0",
                exclusiveMinimum = true)
        Double targetLoss) {

    StudyDefinition definition() {
        return new StudyDefinition(name, base, vary, repeats, targetLoss);
    }
}
