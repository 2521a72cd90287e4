package dev.gradlab.web;

import dev.gradlab.spec.DatasetSpec;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.MetricsSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;

@Schema(
        description = "A model spec to train, with an optional name. Every section and field may be omitted; "
                + "the job's `spec` shows the defaults that were filled in.")
record JobRequest(
        @Schema(description = "Free text to recognise the job by", maxLength = 200)
        String name,

        ModelSpec model,
        DatasetSpec dataset,
        TrainingSpec training,
        MetricsSpec metrics) {

    ExperimentSpec spec() {
        return ExperimentSpec.builder()
                .model(model)
                .dataset(dataset)
                .training(training)
                .metrics(metrics)
                .build();
    }
}
