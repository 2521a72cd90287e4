package dev.gradlab.training;

import java.util.List;

/** What a run will do, known before its first iteration. */
public record TrainingPlan(List<LayerInfo> layers, long totalIterations, int iterationsPerEpoch, long parameters) {}
