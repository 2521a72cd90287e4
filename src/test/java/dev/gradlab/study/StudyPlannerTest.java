package dev.gradlab.study;

import static dev.gradlab.study.StudyTestSupport.definition;
import static dev.gradlab.study.StudyTestSupport.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gradlab.spec.ClippingMode;
import dev.gradlab.spec.RnnCell;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyPlannerTest {

    private final StudyPlanner planner = StudyTestSupport.planner(64);

    private Map<String, String> refused(String json) {
        InvalidStudyException e =
                catchThrowableOfType(InvalidStudyException.class, () -> planner.plan(definition(json)));
        assertThat(e).as("refused: " + json).isNotNull();
        return errors(e);
    }

    @Test
    void variantsComeInOrderTheFirstPathSlowest() {
        StudyPlan plan = planner.plan(definition("""
                {"base": {"model": {"width": 8}},
                 "vary": {"model.depth": [5, 10, 20], "model.batchNorm": [false, true]}, "repeats": 3}"""));
        assertThat(plan.jobCount()).isEqualTo(18);
        assertThat(plan.variants())
                .extracting(
                        v -> v.spec().model().depth() + "/" + v.spec().model().batchNorm())
                .containsExactly("5/false", "5/true", "10/false", "10/true", "20/false", "20/true");
        assertThat(plan.variants().get(3).values().toString()).isEqualTo("{model.depth=10, model.batchNorm=true}");
        assertThat(plan.variants())
                .allSatisfy(v -> assertThat(v.spec().model().width()).isEqualTo(8));
    }

    @Test
    void repeatRAddsRToBothSeeds() {
        StudyPlan plan = planner.plan(definition("""
                {"base": {"dataset": {"seed": 100}}, "repeats": 3}"""));
        assertThat(plan.variants()).hasSize(1);
        StudyPlan.Variant only = plan.variants().get(0);
        assertThat(only.repeat(0).training().seed()).isEqualTo(42);
        assertThat(only.repeat(2).training().seed()).isEqualTo(44);
        assertThat(only.repeat(0).dataset().seed()).isEqualTo(100);
        assertThat(only.repeat(2).dataset().seed()).isEqualTo(102);
    }

    @Test
    void anObjectAndAnEnumCanBeVariedAndNullMeansTheDefault() {
        StudyPlan plan = planner.plan(definition("""
                {"base": {"model": {"type": "rnn", "width": 8}, "dataset": {"sequenceLength": 10}},
                 "vary": {"model.cell": ["simple", "lstm"],
                          "training.gradientClipping": [null, {"mode": "clipL2PerLayer", "threshold": 0.5}]}}"""));
        assertThat(plan.variants()).hasSize(4);
        assertThat(plan.variants().get(0).spec().training().gradientClipping().mode())
                .isEqualTo(ClippingMode.NONE);
        assertThat(plan.variants().get(1).spec().training().gradientClipping().threshold())
                .isEqualTo(0.5);
        assertThat(plan.variants().get(3).spec().model().cell()).isEqualTo(RnnCell.LSTM);
    }

    @Test
    void aBadValueIsNamedByItsPlaceInVary() {
        Map<String, String> errors = refused("""
                {"vary": {"model.depth": [5, 10, 20, 500], "model.batchNorm": [false, true]}}""");
        assertThat(errors).containsOnlyKeys("vary.model.depth[3]");
        assertThat(errors.get("vary.model.depth[3]"))
                .contains("less than or equal to 200 (was 500)")
                .contains("model.depth=500, model.batchNorm=false")
                .contains("and 1 more variant");
    }

    @Test
    void aWrongTypeOrUnknownValueIsNamedByItsPlaceInVary() {
        Map<String, String> errors = refused("""
                {"vary": {"model.depth": [5, "ten", 2.5], "model.activation": ["tanh", "swish"],
                          "training.gradientClipping": [{"mode": "none", "limit": 3}]}}""");
        assertThat(errors)
                .containsOnlyKeys(
                        "vary.model.depth[1]",
                        "vary.model.depth[2]",
                        "vary.model.activation[1]",
                        "vary.training.gradientClipping[0].limit");
        assertThat(errors.get("vary.model.depth[2]")).contains("whole number");
        assertThat(errors.get("vary.model.activation[1]"))
                .contains("'swish' is not one of")
                .contains("tanh");
        assertThat(errors.get("vary.training.gradientClipping[0].limit")).contains("unknown field limit");
    }

    @Test
    void aProblemOfTheBaseIsNamedInTheBaseWithTheVariant() {
        Map<String, String> errors = refused("""
                {"base": {"dataset": {"name": "spirals"}}, "vary": {"model.type": ["mlp", "rnn"]}}""");
        assertThat(errors).containsOnlyKeys("base.dataset.name");
        assertThat(errors.get("base.dataset.name")).contains("sequence task").contains("model.type=\"rnn\"");
        // A cross-field problem inside a varied object is named at the object's value.
        Map<String, String> inside = refused("""
                {"vary": {"training.gradientClipping": [{"mode": "clipL2PerLayer", "threshold": -1}]}}""");
        assertThat(inside).containsOnlyKeys("vary.training.gradientClipping[0].threshold");
        // The machine's limits too: depth × width over the parameter budget is the base width's problem.
        assertThat(refused("""
                {"base": {"model": {"width": 1024}}, "vary": {"model.depth": [2, 10]}}""")).containsOnlyKeys("base.model.width");
    }

    @Test
    void unknownOverlappingEmptyAndRepeatedPathsAreRefused() {
        Map<String, String> errors = refused("""
                {"vary": {"model.dept": [5], "training.gradientClipping": [null],
                          "training.gradientClipping.mode": ["none"], "model.width": [],
                          "model.depth": [4, 8, 4]}}""");
        assertThat(errors)
                .containsOnlyKeys(
                        "vary.model.dept", "vary.training.gradientClipping", "vary.model.width", "vary.model.depth[2]");
        assertThat(errors.get("vary.model.dept")).contains("unknown spec field").contains("model.depth");
        assertThat(errors.get("vary.model.depth[2]")).contains("index 0");
    }

    @Test
    void theJobCapCountsVariantsTimesRepeats() {
        Map<String, String> errors = refused("""
                {"vary": {"model.depth": [1, 2, 3, 4, 5, 6, 7, 8], "model.width": [8, 16, 32, 64]}, "repeats": 3}""");
        assertThat(errors.get("repeats"))
                .isEqualTo(
                        "8 × 4 = 32 variants × 3 repeats = 96 jobs, over the limit " + "gradlab.studies.max-jobs = 64");
        assertThat(refused("""
                {"vary": {"model.depth": [1, 2, 3, 4, 5, 6, 7, 8, 9], "model.width": [8, 16, 32, 64, 128, 256, 512, 1024]}}""")).containsKey("vary");
        assertThat(StudyTestSupport.planner(64).plan(definition("""
                {"vary": {"model.depth": [1, 2, 3, 4, 5, 6, 7, 8], "model.width": [8, 16, 32, 64]}, "repeats": 2}""")).jobCount())
                .isEqualTo(64);
    }

    @Test
    void nameRepeatsAndTargetLossAreChecked() {
        assertThat(refused("""
                {"name": "%s", "repeats": 0, "targetLoss": -1}""".formatted("x".repeat(201)))).containsOnlyKeys("name", "repeats", "targetLoss");
    }

    @Test
    void everyPathOfTheSpecCanBeVaried() {
        assertThat(StudyPlanner.variablePaths())
                .contains(
                        "model.depth",
                        "model.batchNorm",
                        "model.recurrentScale",
                        "training.learningRate",
                        "training.gradientClipping",
                        "training.gradientClipping.threshold",
                        "dataset.seed",
                        "metrics.every")
                .doesNotContain("training.gradientClipping.mode.x");
        assertThat(StudyPlan.combinations(List.of())).hasSize(1);
        assertThat(StudyPlan.combinations(List.of(2, 3)))
                .extracting(c -> c[0] + "" + c[1])
                .containsExactly("00", "01", "02", "10", "11", "12");
    }
}
