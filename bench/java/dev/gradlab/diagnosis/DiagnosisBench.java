package dev.gradlab.diagnosis;

import dev.gradlab.bench.BenchApp;
import dev.gradlab.host.HostDescription;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Precision and recall of the diagnosis per finding code, on a labelled set of specs trained through the service
 * (a fresh embedded instance on a temporary H2 file, over HTTP, as a client would): each spec is POSTed, followed
 * with GET /api/v1/jobs/{id} until it finishes, and its final {@code diagnosis} compared with its labels.
 *
 * <p>Labels (bench/diagnosis/labelled-specs.json): {@code expect} are the codes the run's mechanism should produce
 * (HEALTHY for a run that should learn without a problem), {@code allow} codes that are true consequences of it
 * and count neither way. A predicted code is one with severity warning or critical, or HEALTHY. Per code: TP =
 * expected and predicted, FN = expected and missed, FP = predicted, neither expected nor allowed.
 *
 * <p>Also counts false HEALTHY on runs stuck at chance: final test accuracy within 0.1 of chance (1/classes; for
 * the adding problem, below 0.15, the share of sums within 0.04 a constant answer gets is about 0.08), or none.
 *
 * <p>{@code bench/run DiagnosisBench [bench/diagnosis/labelled-specs.json] [name filter]}
 */
public final class DiagnosisBench {

    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "DIVERGED");

    private record Outcome(
            String name,
            List<String> expected,
            List<String> allowed,
            List<String> predicted,
            String status,
            Double trainAccuracy,
            Double testAccuracy,
            boolean stuckAtChance,
            long wallMillis,
            String evidence) {}

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        Path file = Path.of(args.length > 0 ? args[0] : "bench/diagnosis/labelled-specs.json");
        String filter = args.length > 1 ? args[1] : "";
        JsonMapper json = JsonMapper.builder().build();
        JsonNode specs = json.readTree(Files.readString(file)).get("specs");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        try (BenchApp app = BenchApp.start()) {
            String base = "http://127.0.0.1:" + app.port() + "/api/v1/jobs";
            List<JsonNode> chosen = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (JsonNode s : specs) {
                if (!s.get("name").asString().contains(filter)) {
                    continue;
                }
                ObjectNode body = (ObjectNode) s.get("spec").deepCopy();
                body.put("name", s.get("name").asString());
                HttpResponse<String> r = send(
                        http,
                        HttpRequest.newBuilder(URI.create(base))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
                if (r.statusCode() != 202) {
                    throw new IllegalStateException(s.get("name") + ": " + r.statusCode() + " " + r.body());
                }
                chosen.add(s);
                ids.add(json.readTree(r.body()).get("id").asString());
            }
            for (int i = 0; i < ids.size(); i++) {
                JsonNode job = await(http, json, base + "/" + ids.get(i));
                Outcome o = outcome(chosen.get(i), job);
                outcomes.add(o);
                System.out.printf(
                        "%-55s %-9s train %-5s test %-5s %6.1f s  expect %s  got %s%s%n",
                        o.name(),
                        o.status(),
                        fmt(o.trainAccuracy()),
                        fmt(o.testAccuracy()),
                        o.wallMillis() / 1000.0,
                        o.expected(),
                        o.predicted(),
                        verdict(o));
                System.out.println("      " + o.evidence());
            }
        }
        report(outcomes, (System.nanoTime() - start) / 1e9);
    }

    private static String verdict(Outcome o) {
        Set<String> got = new LinkedHashSet<>(o.predicted());
        boolean all = got.containsAll(o.expected());
        got.removeAll(o.expected());
        got.removeAll(o.allowed());
        return all && got.isEmpty() ? "  ok" : "  MISMATCH";
    }

    private static Outcome outcome(JsonNode labelled, JsonNode job) {
        List<String> predicted = new ArrayList<>();
        StringBuilder evidence = new StringBuilder();
        for (JsonNode f : job.path("diagnosis")) {
            String code = f.get("code").asString();
            if (!"info".equals(f.get("severity").asString()) || "HEALTHY".equals(code)) {
                predicted.add(code);
            }
            JsonNode e = f.get("evidence");
            evidence.append(code)
                    .append(' ')
                    .append(f.get("severity").asString())
                    .append(f.has("layer") ? " " + f.get("layer").asString() : "")
                    .append(f.has("iteration") ? " @" + f.get("iteration").asLong() : "")
                    .append(": ")
                    .append(e.get("statistic").asString())
                    .append(" = ")
                    .append(
                            e.has("value")
                                    ? fmtNumber(e.get("value").asDouble())
                                    : e.get("nonFinite").toString())
                    .append(
                            e.has("threshold")
                                    ? " (threshold "
                                            + fmtNumber(e.get("threshold").asDouble()) + ")"
                                    : "")
                    .append("; ");
        }
        JsonNode result = job.path("result");
        Double train = result.has("trainAccuracy") ? result.get("trainAccuracy").asDouble() : null;
        Double test = result.has("testAccuracy") ? result.get("testAccuracy").asDouble() : null;
        return new Outcome(
                labelled.get("name").asString(),
                strings(labelled.get("expect")),
                strings(labelled.get("allow")),
                predicted,
                job.get("status").asString(),
                train,
                test,
                stuckAtChance(job.get("spec").get("dataset"), test),
                result.has("wallTimeMillis") ? result.get("wallTimeMillis").asLong() : 0,
                evidence.toString());
    }

    private static boolean stuckAtChance(JsonNode dataset, Double test) {
        if (test == null) {
            return true;
        }
        String name = dataset.get("name").asString();
        if ("adding".equals(name)) {
            return test < 0.15;
        }
        int classes = switch (name) {
            case "temporal-order" -> 4;
            case "remember-first" -> 2;
            case "digits", "mnist", "fashion-mnist" -> 10;
            default -> dataset.get("classes").asInt();
        };
        return test <= 1.0 / classes + 0.1;
    }

    private static void report(List<Outcome> outcomes, double seconds) {
        Map<String, int[]> counts = new TreeMap<>(); // code → TP, FP, FN
        for (Outcome o : outcomes) {
            for (String code : o.expected()) {
                counts.computeIfAbsent(code, k -> new int[3])[o.predicted().contains(code) ? 0 : 2]++;
            }
            for (String code : o.predicted()) {
                if (!o.expected().contains(code) && !o.allowed().contains(code)) {
                    counts.computeIfAbsent(code, k -> new int[3])[1]++;
                }
            }
        }
        System.out.printf(
                "%n%d runs in %.0f s; bench/run DiagnosisBench, %s, OPENBLAS_CORETYPE=%s%n%n",
                outcomes.size(), seconds, LocalDate.now(), System.getenv("OPENBLAS_CORETYPE"));
        System.out.println("| code | labelled | TP | FP | FN | precision | recall |");
        System.out.println("|---|---|---|---|---|---|---|");
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            tp += c[0];
            fp += c[1];
            fn += c[2];
            System.out.printf(
                    "| %s | %d | %d | %d | %d | %s | %s |%n",
                    e.getKey(), c[0] + c[2], c[0], c[1], c[2], ratio(c[0], c[0] + c[1]), ratio(c[0], c[0] + c[2]));
        }
        System.out.printf(
                "| all codes | %d | %d | %d | %d | %s | %s |%n",
                tp + fn, tp, fp, fn, ratio(tp, tp + fp), ratio(tp, tp + fn));
        long stuck = outcomes.stream().filter(Outcome::stuckAtChance).count();
        long falseHealthy = outcomes.stream()
                .filter(o -> o.stuckAtChance() && o.predicted().contains("HEALTHY"))
                .count();
        long exact = outcomes.stream().filter(o -> verdict(o).equals("  ok")).count();
        System.out.printf(
                "%nruns whose codes match their labels exactly (allowed extras aside): %d of %d%n",
                exact, outcomes.size());
        System.out.printf("runs stuck at chance: %d; of those diagnosed HEALTHY: %d%n", stuck, falseHealthy);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asString()));
        }
        return out;
    }

    private static String ratio(int num, int den) {
        return den == 0 ? "–" : String.format(Locale.ROOT, "%.2f (%d/%d)", (double) num / den, num, den);
    }

    private static String fmt(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmtNumber(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 0.01 || a >= 1e4)
                ? String.format(Locale.ROOT, "%.1e", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    private static JsonNode await(HttpClient http, JsonMapper json, String url) throws InterruptedException {
        while (true) {
            JsonNode job = json.readTree(
                    send(http, HttpRequest.newBuilder(URI.create(url)).GET()).body());
            if (FINISHED.contains(job.get("status").asString())) {
                return job;
            }
            Thread.sleep(500);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
