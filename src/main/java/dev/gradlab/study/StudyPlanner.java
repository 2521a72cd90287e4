package dev.gradlab.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.InvalidSpecException;
import dev.gradlab.spec.SpecValidator;
import dev.gradlab.spec.SpecViolation;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a {@link StudyDefinition} into a {@link StudyPlan}, or refuses it naming each bad request field. Every
 * variant passes {@link SpecValidator}, the one gate of every job; a violation is reported at the request field
 * that holds the value: {@code vary.<path>[i]} (plus the rest of the path when an object is varied) when the field
 * is varied, else {@code base.<path>}, with the variant it occurred in (and how many more) in the message.
 */
@Component
public class StudyPlanner {

    /** A refused study lists at most this many problems. */
    static final int MAX_ERRORS = 50;
    /** The stored job column that holds a variant's values. */
    static final int MAX_VALUES_JSON = 4000;

    static final int MAX_NAME = 200;

    private static final SortedSet<String> SPEC_PATHS = specPaths();

    private final SpecValidator validator;
    private final JsonMapper json;
    private final StudyProperties properties;

    public StudyPlanner(SpecValidator validator, JsonMapper json, StudyProperties properties) {
        this.validator = validator;
        this.json = json;
        this.properties = properties;
    }

    /** Every path a study may vary: each spec field, and each nested object (e.g. training.gradientClipping). */
    public static SortedSet<String> variablePaths() {
        return Collections.unmodifiableSortedSet(SPEC_PATHS);
    }

    /** A study whose specs may name any owner's upload. @see #plan(StudyDefinition, String) */
    public StudyPlan plan(StudyDefinition d) {
        return plan(d, null);
    }

    /**
     * @param uploadOwner the owner whose uploads the specs may name, or null for any (an admin)
     * @throws InvalidStudyException naming every bad field (at most {@value #MAX_ERRORS})
     */
    public StudyPlan plan(StudyDefinition d, String uploadOwner) {
        List<SpecViolation> errors = new ArrayList<>();
        if (d.name() != null && d.name().length() > MAX_NAME) {
            errors.add(new SpecViolation("name", "at most " + MAX_NAME + " characters"));
        }
        if (d.name() != null && d.name().indexOf('\u0000') >= 0) {
            errors.add(new SpecViolation("name", "must not contain NUL (\\u0000) characters"));
        }
        int repeats = d.repeats() == null ? 1 : d.repeats();
        if (repeats < 1) {
            errors.add(new SpecViolation("repeats", "must be at least 1 (was " + repeats + ")"));
        }
        if (d.targetLoss() != null && !(Double.isFinite(d.targetLoss()) && d.targetLoss() > 0)) {
            errors.add(new SpecViolation(
                    "targetLoss", "must be a finite number greater than 0 (was " + d.targetLoss() + ")"));
        }
        LinkedHashMap<String, List<JsonNode>> vary = new LinkedHashMap<>();
        if (d.vary() != null) {
            d.vary().forEach((path, values) -> vary.put(path, values == null ? List.of() : values));
        }
        checkPaths(vary, errors);
        throwIf(errors);

        long variants = 1;
        for (List<JsonNode> values : vary.values()) {
            variants = Math.min(variants * values.size(), Integer.MAX_VALUE);
        }
        long jobs = variants * repeats;
        if (jobs > properties.maxJobs()) {
            String sizes = vary.isEmpty()
                    ? "1 variant"
                    : vary.values().stream()
                                    .map(v -> Integer.toString(v.size()))
                                    .collect(Collectors.joining(" × ")) + " = " + variants + " variants";
            errors.add(new SpecViolation(
                    variants > properties.maxJobs() ? "vary" : "repeats",
                    sizes + " × " + repeats + " repeats = " + jobs + " jobs, over the limit gradlab.studies.max-jobs = "
                            + properties.maxJobs()));
            throwIf(errors);
        }

        ObjectNode base =
                json.valueToTree(d.base() == null ? ExperimentSpec.builder().build() : d.base());
        checkValueTypes(base, vary, errors);
        throwIf(errors);

        List<StudyPlan.Variant> planned = new ArrayList<>();
        Map<String, Problem> problems = new LinkedHashMap<>();
        List<LinkedHashMap<String, JsonNode>> all = StudyPlan.variantValues(vary);
        for (int index = 0; index < all.size(); index++) {
            LinkedHashMap<String, JsonNode> values = all.get(index);
            String valuesJson = json.writeValueAsString(values);
            if (valuesJson.length() > MAX_VALUES_JSON) {
                errors.add(new SpecViolation(
                        "vary",
                        "variant " + index + "'s values take " + valuesJson.length() + " characters as JSON; at most "
                                + MAX_VALUES_JSON));
                break;
            }
            try {
                ExperimentSpec raw = json.treeToValue(with(base, values), ExperimentSpec.class);
                planned.add(new StudyPlan.Variant(index, values, validator.validate(raw, uploadOwner)));
            } catch (InvalidSpecException e) {
                for (SpecViolation v : e.violations()) {
                    String field = requestField(v.field(), values, vary);
                    problems.computeIfAbsent(field + "\n" + v.message(), k -> new Problem(field, v.message(), values))
                            .count++;
                }
            }
        }
        problems.values().stream()
                .map(p -> new SpecViolation(p.field, p.describe()))
                .forEach(errors::add);
        throwIf(errors);
        return new StudyPlan(d.name(), d.base(), vary, repeats, d.targetLoss(), List.copyOf(planned));
    }

    /** A violation seen in one or more variants; described with the first. */
    private static final class Problem {
        final String field;
        final String message;
        final Map<String, JsonNode> firstValues;
        int count;

        Problem(String field, String message, Map<String, JsonNode> firstValues) {
            this.field = field;
            this.message = message;
            this.firstValues = firstValues;
        }

        String describe() {
            if (firstValues.isEmpty()) {
                return message;
            }
            return message + " (in the variant " + label(firstValues)
                    + (count > 1 ? ", and " + (count - 1) + " more variant" + (count > 2 ? "s" : "") : "") + ")";
        }
    }

    /** "model.depth=40, model.batchNorm=true" */
    static String label(Map<String, JsonNode> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "="
                        + (e.getValue() == null ? "null" : e.getValue().toString()))
                .collect(Collectors.joining(", "));
    }

    private static void checkPaths(Map<String, List<JsonNode>> vary, List<SpecViolation> errors) {
        List<String> paths = List.copyOf(vary.keySet());
        for (String path : paths) {
            String field = "vary." + path;
            if (!SPEC_PATHS.contains(path)) {
                errors.add(new SpecViolation(
                        field, "unknown spec field; a study may vary: " + String.join(", ", SPEC_PATHS)));
                continue;
            }
            for (String other : paths) {
                if (other.startsWith(path + ".")) {
                    errors.add(new SpecViolation(
                            field, "overlaps vary." + other + "; vary either the object or its field"));
                }
            }
            List<JsonNode> values = vary.get(path);
            if (values.isEmpty()) {
                errors.add(new SpecViolation(field, "needs at least one value"));
            }
            for (int i = 0; i < values.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (java.util.Objects.equals(values.get(i), values.get(j))) {
                        errors.add(new SpecViolation(
                                field + "[" + i + "]", "repeats the value at index " + j + " (" + values.get(j) + ")"));
                        break;
                    }
                }
            }
        }
    }

    /** Each value alone on the base must read as a spec: a string for a number or an unknown enum is named here. */
    private void checkValueTypes(ObjectNode base, Map<String, List<JsonNode>> vary, List<SpecViolation> errors) {
        vary.forEach((path, values) -> {
            for (int i = 0; i < values.size(); i++) {
                LinkedHashMap<String, JsonNode> one = new LinkedHashMap<>();
                one.put(path, values.get(i));
                try {
                    json.treeToValue(with(base, one), ExperimentSpec.class);
                } catch (JacksonException e) {
                    String at = jsonPath(e);
                    String rest = at.startsWith(path + ".") ? at.substring(path.length()) : "";
                    errors.add(new SpecViolation("vary." + path + "[" + i + "]" + rest, describe(e)));
                }
            }
        });
    }

    /**
     * The request field a spec violation belongs to: the varied value when the field is varied (or inside a
     * varied object), else the base's field.
     */
    static String requestField(String specField, Map<String, JsonNode> values, Map<String, List<JsonNode>> vary) {
        for (Map.Entry<String, JsonNode> e : values.entrySet()) {
            String path = e.getKey();
            if (specField.equals(path) || specField.startsWith(path + ".")) {
                int index = vary.get(path).indexOf(e.getValue());
                return "vary." + path + "[" + index + "]" + specField.substring(path.length());
            }
        }
        return "base." + specField;
    }

    /** The base with each path set to its value (JSON null or absent: the field is left out, i.e. its default). */
    private static ObjectNode with(ObjectNode base, Map<String, JsonNode> values) {
        ObjectNode copy = base.deepCopy();
        values.forEach((path, value) -> {
            String[] parts = path.split("\\.");
            ObjectNode node = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
            }
            String last = parts[parts.length - 1];
            if (value == null || value.isNull()) {
                node.remove(last);
            } else {
                node.set(last, value);
            }
        });
        return copy;
    }

    private static String jsonPath(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    /** Jackson's reason, in the API's words (its own text names our classes). */
    private static String describe(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field " + u.getPropertyName() + "; allowed here: "
                    + u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException f
                && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            return "'" + f.getValue() + "' is not one of " + enumValues(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            Class<?> t = m.getTargetType();
            if (t.isEnum()) {
                return "wrong type; expected one of " + enumValues(t);
            }
            if (t == Boolean.class || t == boolean.class) {
                return "wrong type; expected true or false";
            }
            if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
                return "wrong type; expected a whole number";
            }
            if (Number.class.isAssignableFrom(t) || t.isPrimitive()) {
                return "wrong type; expected a number";
            }
            if (t == String.class) {
                return "wrong type; expected a string";
            }
            return "wrong type; expected an object";
        }
        return "wrong type or malformed value";
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getFields())
                .filter(Field::isEnumConstant)
                .map(f -> {
                    JsonProperty a = f.getAnnotation(JsonProperty.class);
                    return a == null ? f.getName() : a.value();
                })
                .collect(Collectors.joining(", "));
    }

    private static void throwIf(List<SpecViolation> errors) {
        if (!errors.isEmpty()) {
            List<SpecViolation> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparing(SpecViolation::field));
            throw new InvalidStudyException(sorted.subList(0, Math.min(MAX_ERRORS, sorted.size())));
        }
    }

    private static SortedSet<String> specPaths() {
        SortedSet<String> out = new TreeSet<>();
        collect(ExperimentSpec.class, "", out);
        return out;
    }

    private static void collect(Class<?> record, String prefix, SortedSet<String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + c.getName();
            out.add(path);
            if (c.getType().isRecord()) {
                collect(c.getType(), path + ".", out);
            }
        }
    }
}
