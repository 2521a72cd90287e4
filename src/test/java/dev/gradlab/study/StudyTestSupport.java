package dev.gradlab.study;

import dev.gradlab.spec.SpecLimits;
import dev.gradlab.spec.SpecValidator;
import jakarta.validation.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/** A planner wired like the application's: strict JSON (as StrictJsonConfiguration and application.properties). */
final class StudyTestSupport {

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(
                    LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StudyTestSupport() {}

    static StudyPlanner planner(int maxJobs) {
        return new StudyPlanner(
                new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(), SpecLimits.defaults()),
                JSON,
                new StudyProperties(maxJobs));
    }

    /** A study request as JSON → its definition, the way the API reads it. */
    static StudyDefinition definition(String json) {
        Request r = JSON.readValue(json, Request.class);
        return new StudyDefinition(r.name(), r.base(), r.vary(), r.repeats(), r.targetLoss());
    }

    record Request(
            String name,
            dev.gradlab.spec.ExperimentSpec base,
            LinkedHashMap<String, List<JsonNode>> vary,
            Integer repeats,
            Double targetLoss) {}

    static Map<String, String> errors(InvalidStudyException e) {
        Map<String, String> out = new LinkedHashMap<>();
        e.violations().forEach(v -> out.put(v.field(), v.message()));
        return out;
    }
}
