package dev.gradlab.web;

import dev.gradlab.bench.BenchApp;
import dev.gradlab.bench.Stats;
import dev.gradlab.curve.CurveQueryBench;
import dev.gradlab.host.HostDescription;
import dev.gradlab.metric.MetricStore;
import dev.gradlab.metric.MetricWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long a big finished job's page takes to open in headless Chromium (issue #12's target: a finished job of
 * 200,000 iterations × 21 layers opens with all charts drawn in under 1.5 s, and no chart downloads more than ~2
 * points per horizontal pixel per series).
 *
 * <p>The job is made as CurveQueryBench makes its own: submitted through the API (a 20-layer net on 800 training
 * points at batch 32 for {@code iterations / 25} epochs, so its spec says {@code iterations} iterations), cancelled
 * at once, emptied, then filled with synthetic metrics through MetricRecorder — loss every iteration, the statistics
 * of 21 layers every {@code every}-th (1, the mlp default: 200,000 × 21 points per statistic), an epoch every 25 —
 * and marked SUCCEEDED with a result. Then {@code job.html?id=…} is opened {@code 2 + runs} times (the first two
 * unmeasured), the browser cache cleared before each, and timed from navigation start to the moment the page sets
 * {@code <body data-charts-drawn>} (a MutationObserver installed before the page's own scripts records
 * {@code performance.now()}). Each run is split with the page's resource timing: the job's GET, the curve requests
 * (server wait to first byte, download), and parsing plus drawing after the last curve arrived; and with the CPU
 * time the server and the browser used (on a shared machine the wall time is mostly waiting for a core). Then, to
 * tell where the time goes: one load under V8's sampling profiler (main-thread time by script and function), the
 * curve requests again one at a time (the server alone), and the page's steps after the curves arrive timed in the
 * page (JSON.parse, log₁₀, each chart). Finally every curve URL the page asked for is fetched again and its points
 * per series divided by the width of the plot that drew it.
 *
 * <p>{@code JVM_OPTS=-Xmx1g bench/run DashboardLoadBench [runs=10] [iterations=200000] [every=1] [width=1400]
 * [height=1800]}
 */
public final class DashboardLoadBench {

    private static final int WARM_UPS = 2;
    /** 1,000 gaussians, 800 for training, batch 32. */
    private static final int ITERATIONS_PER_EPOCH = 25;

    private static final double TARGET_MILLIS = 1500;

    /** Runs before any page script: notes when the page marks its charts drawn. */
    private static final String OBSERVER = """
            window.__bench = {};
            new MutationObserver((records, observer) => {
              if (document.body && document.body.dataset.chartsDrawn) {
                window.__bench.chartsDrawnAt = performance.now();
                observer.disconnect();
              }
            }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-charts-drawn'] });""";

    /** What the page did, read once its charts are drawn. */
    private static final String READ_PAGE = """
            const api = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/v1/'));
            const chart = (selector) => {
              const c = document.querySelector(selector);
              return { width: c.clientWidth, plotBox: c.dataset.plotBox || '' };
            };
            const heat = document.querySelector('#heatmap canvas');
            return JSON.stringify({
              drawnAt: window.__bench.chartsDrawnAt,
              status: document.body.dataset.chartsDrawn,
              dpr: window.devicePixelRatio,
              domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
              requests: api.map((r) => ({ url: r.name, start: r.startTime, requestStart: r.requestStart,
                responseStart: r.responseStart, end: r.responseEnd, bytes: r.encodedBodySize })),
              charts: { loss: chart('#loss-chart'), gradients: chart('#gradient-chart'),
                updateRatio: chart('#update-chart'), activationMean: chart('#activation-chart'),
                activationStd: chart('#activation-chart') },
              heatmap: { cssWidth: heat.clientWidth, columns: Number(heat.dataset.columns) },
              errors: document.documentElement.dataset.jsErrors,
            });""";

    /** One measured page load, in ms from navigation start. */
    record Load(
            double total,
            double jobFetched,
            double curvesSent,
            double curvesDone,
            Map<String, Double> serverWait,
            Map<String, Double> download,
            Map<String, Long> bytes,
            Cpu.Used cpu) {
        double afterCurves() {
            return total - curvesDone;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long iterations = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int width = args.length > 3 ? Integer.parseInt(args[3]) : 1400;
        int height = args.length > 4 ? Integer.parseInt(args[4]) : 1800;
        if (iterations % ITERATIONS_PER_EPOCH != 0) {
            throw new IllegalArgumentException("iterations must be a multiple of " + ITERATIONS_PER_EPOCH);
        }

        try (BenchApp app = BenchApp.start()) {
            JsonMapper json = app.bean(JsonMapper.class);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String origin = "http://127.0.0.1:" + app.port();
            UUID job = createStoppedJob(http, json, origin + "/api/v1/jobs", iterations);
            app.bean(MetricStore.class).deleteJob(job);
            long start = System.nanoTime();
            long points =
                    CurveQueryBench.record(app.bean(MetricWriter.class), job, iterations, every, ITERATIONS_PER_EPOCH);
            markSucceeded(app, job, iterations);
            app.checkpointSync();
            System.out.printf(
                    "job %s: %,d iterations, 21 layers, statistics every %d: %,d points stored in %.1f s; database %d MB%n",
                    job, iterations, every, points, (System.nanoTime() - start) / 1e9, app.databaseBytes() >> 20);

            ChromeDriver browser = chromium(width, height);
            try {
                browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", OBSERVER));
                browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
                String page = origin + "/job.html?id=" + job;
                List<Load> loads = new ArrayList<>();
                JsonNode last = null;
                System.out.println("load average (1, 5, 15 min) before: " + loadAverage());
                System.out.printf(
                        "window %d × %d; %d warm-up loads, then %d measured (browser cache cleared before each); ms "
                                + "from navigation start%n",
                        width, height, WARM_UPS, runs);
                for (int i = 0; i < WARM_UPS + runs; i++) {
                    browser.get("about:blank");
                    browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
                    Cpu before = Cpu.now();
                    last = open(browser, page, json);
                    Load load = load(last, before.until(Cpu.now()));
                    String what = i < WARM_UPS ? "warm-up" : "run " + (i - WARM_UPS + 1);
                    System.out.printf(
                            "  %-8s charts drawn %6.0f  (job JSON %5.0f, curves sent %5.0f, last curve in %6.0f, "
                                    + "parse+draw after it %5.0f; CPU: server requests %4.0f, page main thread %4.0f)%n",
                            what,
                            load.total(),
                            load.jobFetched(),
                            load.curvesSent(),
                            load.curvesDone(),
                            load.afterCurves(),
                            load.cpu().serverRequests(),
                            load.cpu().rendererMain());
                    if (i >= WARM_UPS) {
                        loads.add(load);
                    }
                }
                summary(loads);
                Path shot = Path.of("target/dashboard-load-bench.png");
                Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
                System.out.println("the page as last drawn: " + shot);
                List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                        .map(LogEntry::getMessage)
                        .toList();
                System.out.printf(
                        "JavaScript errors in these loads: console %s, page %s%n",
                        severe, last.get("errors").asString());
                profile(browser, origin, page, json);
                serverAlone(last, http);
                pageSteps(browser, last, json);
                System.out.println("load average (1, 5, 15 min) at the end: " + loadAverage() + " on "
                        + Runtime.getRuntime().availableProcessors() + " cores");
                pointsPerPixel(last, http, json);
            } finally {
                browser.quit();
            }
        }
    }

    /** Opens the page and waits until its charts are drawn: what it did, read from the page. */
    private static JsonNode open(ChromeDriver browser, String page, JsonMapper json) {
        browser.get(page);
        JavascriptExecutor js = browser;
        // One call that returns when the page has drawn: no polling from here, which would cost this JVM (the
        // server's) CPU time. The time itself is the one the page noted.
        Object drawn = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const deadline = performance.now() + 110000;
                (function check() {
                  if (window.__bench && window.__bench.chartsDrawnAt) {
                    done(true);
                  } else if (performance.now() > deadline) {
                    done(document.documentElement.dataset.jsErrors || 'no errors recorded');
                  } else {
                    setTimeout(check, 20);
                  }
                })();""");
        if (!Boolean.TRUE.equals(drawn)) {
            throw new IllegalStateException("charts not drawn within 110 s; the page's errors: " + drawn);
        }
        JsonNode read = json.readTree((String) js.executeScript(READ_PAGE));
        if (!"SUCCEEDED".equals(read.get("status").asString())) {
            throw new IllegalStateException("charts drawn for " + read.get("status"));
        }
        return read;
    }

    private static Load load(JsonNode page, Cpu.Used cpu) {
        double jobFetched = 0;
        double curvesSent = Double.MAX_VALUE;
        double curvesDone = 0;
        Map<String, Double> wait = new LinkedHashMap<>();
        Map<String, Double> download = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (JsonNode r : page.get("requests")) {
            String url = r.get("url").asString();
            if (!url.contains("/curves/")) {
                jobFetched = Math.max(jobFetched, r.get("end").asDouble());
                continue;
            }
            String name = curveName(url);
            curvesSent = Math.min(curvesSent, r.get("start").asDouble());
            curvesDone = Math.max(curvesDone, r.get("end").asDouble());
            wait.put(
                    name,
                    r.get("responseStart").asDouble() - r.get("requestStart").asDouble());
            download.put(name, r.get("end").asDouble() - r.get("responseStart").asDouble());
            bytes.put(name, r.get("bytes").asLong());
        }
        return new Load(page.get("drawnAt").asDouble(), jobFetched, curvesSent, curvesDone, wait, download, bytes, cpu);
    }

    private static String curveName(String url) {
        if (url.contains("stat=")) {
            return url.replaceAll(".*stat=([A-Za-z]+).*", "$1");
        }
        return url.replaceAll(".*/curves/([a-z]+).*", "$1");
    }

    private static void summary(List<Load> loads) {
        double[] total = values(loads, Load::total);
        int under = (int)
                java.util.Arrays.stream(total).filter(t -> t < TARGET_MILLIS).count();
        System.out.printf(
                "open → all charts drawn, %d runs: median %.0f ms, p90 %.0f ms, max %.0f ms (min %.0f); %d of %d "
                        + "under %.0f ms (target: under %.0f ms)%n",
                loads.size(),
                Stats.median(total),
                Stats.percentile(total, 90),
                Stats.max(total),
                Stats.min(total),
                under,
                loads.size(),
                TARGET_MILLIS,
                TARGET_MILLIS);
        print("  job JSON received       ", values(loads, Load::jobFetched));
        print("  curve requests sent     ", values(loads, Load::curvesSent));
        print("  last curve received     ", values(loads, Load::curvesDone));
        print("  parse + draw after it   ", values(loads, Load::afterCurves));
        System.out.println("  CPU time per open (what the load costs, whatever the machine's other work):");
        print("    server, request threads", values(loads, l -> l.cpu().serverRequests()));
        print("    server, whole JVM      ", values(loads, l -> l.cpu().serverProcess()));
        print("    server, GC (elapsed)   ", values(loads, l -> l.cpu().serverGc()));
        print("    page's main thread     ", values(loads, l -> l.cpu().rendererMain()));
        print("    browser, all processes ", values(loads, l -> l.cpu().browser()));
        for (String curve : loads.get(0).serverWait().keySet()) {
            print(
                    "  " + pad(curve) + " server wait",
                    values(loads, l -> l.serverWait().get(curve)));
            print(
                    "  " + pad(curve) + " download   ",
                    values(loads, l -> l.download().get(curve)));
        }
        loads.get(0)
                .bytes()
                .forEach((curve, size) -> System.out.printf("  %s %,d bytes over the wire%n", pad(curve), size));
    }

    private static String pad(String s) {
        return String.format("%-11s", s);
    }

    private static void print(String what, double[] ms) {
        System.out.printf(
                "%s median %6.0f  p90 %6.0f  max %6.0f ms%n",
                what, Stats.median(ms), Stats.percentile(ms, 90), Stats.max(ms));
    }

    private static double[] values(List<Load> loads, ToDoubleFunction<Load> f) {
        return loads.stream().mapToDouble(f).toArray();
    }

    /**
     * One more load under V8's sampling profiler: the page's main-thread time by function and by script, to tell
     * parsing, the charts' own work and uPlot's drawing apart.
     */
    @SuppressWarnings("unchecked")
    private static void profile(ChromeDriver browser, String origin, String page, JsonMapper json) {
        browser.get(origin + "/job.html"); // same site as the page: the renderer, and its profiler, stay
        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
        browser.executeCdpCommand("Profiler.enable", Map.of());
        browser.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 200));
        browser.executeCdpCommand("Profiler.start", Map.of());
        JsonNode loaded = open(browser, page, json);
        Map<String, Object> profile = (Map<String, Object>)
                browser.executeCdpCommand("Profiler.stop", Map.of()).get("profile");
        Map<Long, String> names = new java.util.HashMap<>();
        Map<Long, String> files = new java.util.HashMap<>();
        for (Map<String, Object> node : (List<Map<String, Object>>) profile.get("nodes")) {
            Map<String, Object> frame = (Map<String, Object>) node.get("callFrame");
            String url = String.valueOf(frame.get("url"));
            String file = url.isEmpty() ? "(native)" : url.replaceAll(".*/", "").replaceAll("\\?.*", "");
            String function = String.valueOf(frame.get("functionName"));
            long id = ((Number) node.get("id")).longValue();
            files.put(id, function.startsWith("(") ? function : file);
            names.put(
                    id,
                    (function.isEmpty() ? "(anonymous)" : function)
                            + (url.isEmpty()
                                    ? ""
                                    : " " + file + ":" + (((Number) frame.get("lineNumber")).intValue() + 1)));
        }
        List<Number> samples = (List<Number>) profile.get("samples");
        List<Number> deltas = (List<Number>) profile.get("timeDeltas");
        Map<String, Double> byFunction = new java.util.HashMap<>();
        Map<String, Double> byFile = new java.util.HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            long id = samples.get(i).longValue();
            double ms = deltas.get(i).doubleValue() / 1000;
            byFunction.merge(names.get(id), ms, Double::sum);
            byFile.merge(files.get(id), ms, Double::sum);
        }
        System.out.printf(
                "one more load under the JS sampling profiler (charts drawn at %.0f ms): main-thread time by script, ms%n",
                loaded.get("drawnAt").asDouble());
        top(byFile, 10);
        System.out.println("  by function (self time):");
        top(byFunction, 15);
    }

    private static void top(Map<String, Double> ms, int n) {
        ms.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> System.out.printf("    %7.1f  %s%n", e.getValue(), e.getKey()));
    }

    /**
     * The page's work after the curves arrive, step by step, in the page itself (its own modules, imported again):
     * JSON.parse of each body, log₁₀ of the series, and each chart drawn into a detached-width container, each
     * canvas read back once so that its drawing is done within the step. 5 rounds, median ms.
     */
    private static void pageSteps(ChromeDriver browser, JsonNode page, JsonMapper json) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (JsonNode r : page.get("requests")) {
            if (r.get("url").asString().contains("/curves/")) {
                urls.put(curveName(r.get("url").asString()), r.get("url").asString());
            }
        }
        JsonNode charts = page.get("charts");
        String result = (String) browser.executeAsyncScript(
                PAGE_STEPS,
                urls,
                charts.get("loss").get("width").asInt(),
                charts.get("gradients").get("width").asInt(),
                page.get("heatmap").get("cssWidth").asInt());
        if (result.startsWith("error")) {
            throw new IllegalStateException(result);
        }
        JsonNode steps = json.readTree(result);
        System.out.println("the page's steps after the curves arrive, timed in the page (5 rounds): median ms");
        for (String step : steps.propertyNames()) {
            double[] ms = new double[steps.get(step).size()];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = steps.get(step).get(i).asDouble();
            }
            System.out.printf("  %-34s %6.1f  (min %6.1f)%n", step, Stats.median(ms), Stats.min(ms));
        }
    }

    private static final String PAGE_STEPS = """
            const [urls, lossWidth, chartWidth, heatWidth, done] = arguments;
            (async () => {
              const charts = await import('./dashboard/charts.js');
              const texts = {};
              for (const [name, url] of Object.entries(urls)) {
                texts[name] = await (await fetch(url)).text();
              }
              const box = (width) => {
                const div = document.createElement('div');
                div.style.width = `${width}px`;
                document.body.append(div);
                return div;
              };
              const flush = (container) => container.querySelector('canvas').getContext('2d').getImageData(0, 0, 1, 1);
              const steps = {};
              const time = (step, f) => {
                const start = performance.now();
                const value = f();
                (steps[step] = steps[step] || []).push(performance.now() - start);
                return value;
              };
              // uPlot draws in a microtask after its constructor: wait for it, then read a pixel back.
              const timeDrawing = async (step, container, f) => {
                const start = performance.now();
                f();
                await Promise.resolve();
                await Promise.resolve();
                flush(container);
                (steps[step] = steps[step] || []).push(performance.now() - start);
              };
              const layerChart = async (curve, key, width) => {
                const series = time(`log10 of ${key} (${curve.layers.length} series)`, () => curve.layers.map(
                  (layer) => charts.plottable(layer[key], layer.nonFinite, true)));
                const container = box(width);
                await timeDrawing(`uPlot chart of ${key}`, container, () => {
                  charts.lineChart(container, { x: curve.iterations, log: true, xLabel: 'iteration', yLabel: key,
                    series: series.map((p, i) => ({ label: curve.layers[i].name, data: p.data, nonFinite: p.nonFinite,
                      zeros: p.zeros, colour: charts.viridisCss(i / 20), width: 1 })), legend: false, height: 300 });
                });
                container.remove();
              };
              for (let round = 0; round < 5; round++) {
                const loss = time('JSON.parse loss', () => JSON.parse(texts.loss));
                const gradients = time('JSON.parse gradients', () => JSON.parse(texts.gradients));
                const updates = time('JSON.parse updateRatio', () => JSON.parse(texts.updateRatio));
                const lossBox = box(lossWidth);
                await timeDrawing('uPlot chart of the loss', lossBox, () => {
                  charts.lineChart(lossBox, { x: loss.iterations, xLabel: 'iteration', yLabel: 'loss',
                    series: [{ label: 'loss', data: loss.values, colour: '#1f4e79' }] });
                });
                lossBox.remove();
                await layerChart(gradients, 'norms', chartWidth);
                await layerChart(updates, 'values', chartWidth);
                const heat = box(heatWidth);
                const legend = box(heatWidth);
                const hover = document.createElement('p');
                time('heatmap (log10 and drawing)', () => {
                  charts.heatmap(heat, legend, hover, { iterations: gradients.iterations,
                    layers: gradients.layers.map((l) => ({ name: l.name, values: l.norms, nonFinite: l.nonFinite })) });
                  flush(heat);
                });
                heat.remove();
                legend.remove();
              }
              done(JSON.stringify(steps));
            })().catch((e) => done(`error: ${e}`));""";

    /** The page's curve requests again, one at a time from here (5 each after one unmeasured): the server alone. */
    private static void serverAlone(JsonNode page, HttpClient http) {
        System.out.println(
                "the same curve requests one at a time, nothing else asking (5 each): ms, and request-thread CPU ms");
        for (JsonNode r : page.get("requests")) {
            String url = r.get("url").asString();
            if (!url.contains("/curves/")) {
                continue;
            }
            get(http, url);
            double[] ms = new double[5];
            double[] cpu = new double[5];
            for (int i = 0; i < ms.length; i++) {
                Cpu before = Cpu.now();
                long start = System.nanoTime();
                get(http, url);
                ms[i] = (System.nanoTime() - start) / 1e6;
                cpu[i] = before.until(Cpu.now()).serverRequests();
            }
            System.out.printf(
                    "  %-11s median %5.0f ms (min %5.0f, max %5.0f); CPU median %5.0f ms%n",
                    curveName(url), Stats.median(ms), Stats.min(ms), Stats.max(ms), Stats.median(cpu));
        }
    }

    /** Every curve the page asked for, fetched again: its points per series over the width that drew it. */
    private static void pointsPerPixel(JsonNode page, HttpClient http, JsonMapper json) {
        JsonNode charts = page.get("charts");
        double dpr = page.get("dpr").asDouble();
        double worst = 0;
        System.out.printf("points per horizontal pixel per series (device pixel ratio %.1f):%n", dpr);
        for (JsonNode r : page.get("requests")) {
            String url = r.get("url").asString();
            if (!url.contains("/curves/")) {
                continue;
            }
            JsonNode curve = json.readTree(get(http, url));
            String name = curveName(url);
            int perSeries = curve.get("iterations").size();
            int series = curve.has("layers") ? curve.get("layers").size() : 1;
            JsonNode chart = charts.get(name);
            int containerWidth = chart.get("width").asInt();
            // uPlot's plot box is in canvas pixels: CSS pixels × devicePixelRatio
            double plotWidth =
                    Double.parseDouble(chart.get("plotBox").asString().split(",")[2]) / dpr;
            double ratio = perSeries / plotWidth;
            worst = Math.max(worst, ratio);
            System.out.printf(
                    "  %-11s %s: %d series × %,d points (of %,d), plot %.0f px (chart %d px): %.2f points/px%n",
                    name,
                    url.replaceAll(".*/curves/", "/curves/"),
                    series,
                    perSeries,
                    curve.get("totalPoints").asLong(),
                    plotWidth,
                    containerWidth,
                    ratio);
            if (name.equals("gradients")) {
                JsonNode heat = page.get("heatmap");
                double heatRatio =
                        heat.get("columns").asDouble() / heat.get("cssWidth").asDouble();
                worst = Math.max(worst, heatRatio);
                System.out.printf(
                        "  %-11s the same curve as %d heatmap rows: %d columns on %d px: %.2f columns/px%n",
                        "heatmap",
                        series,
                        heat.get("columns").asInt(),
                        heat.get("cssWidth").asInt(),
                        heatRatio);
            }
        }
        System.out.printf("largest: %.2f points per pixel per series (target: about 2 at most)%n", worst);
    }

    /**
     * CPU time spent so far: by this JVM (the server; this bench's own calls to the browser driver are a few ms), by
     * its Tomcat request threads alone, and by the processes it started (chromedriver, chromium and its children),
     * the renderers' main threads apart. On a shared machine a page load's wall time is mostly waiting for a core;
     * its CPU time is what the load costs.
     */
    record Cpu(
            double jvmMillis,
            long gcMillis,
            Map<Long, Long> requestThreadNanos,
            Map<Long, Long> processTicks,
            Map<Long, Long> rendererMainTicks) {

        /**
         * Milliseconds used between two snapshots (serverGc: the collectors' elapsed time, not CPU). Ticks are 10 ms
         * (USER_HZ 100).
         */
        record Used(
                double serverProcess, double serverGc, double serverRequests, double browser, double rendererMain) {}

        static Cpu now() {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<Long, Long> requests = new java.util.HashMap<>();
            for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && t.getThreadName().startsWith("http-nio-")) {
                    requests.put(t.getThreadId(), threads.getThreadCpuTime(t.getThreadId()));
                }
            }
            Map<Long, Long> processes = new java.util.HashMap<>();
            Map<Long, Long> rendererMain = new java.util.HashMap<>();
            ProcessHandle.current().descendants().forEach(p -> {
                processes.put(p.pid(), ticks(Path.of("/proc/" + p.pid() + "/stat")));
                try {
                    // a renderer's main thread is the thread whose id is the process id
                    if (Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"))
                            .contains("--type=renderer")) {
                        rendererMain.put(p.pid(), ticks(Path.of("/proc/" + p.pid() + "/task/" + p.pid() + "/stat")));
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            });
            double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime()
                    / 1e6;
            long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
                    .sum();
            return new Cpu(jvm, gc, requests, processes, rendererMain);
        }

        /** utime + stime (fields 14 and 15 of /proc/…/stat), 0 if it is gone. */
        private static long ticks(Path stat) {
            try {
                String line = Files.readString(stat);
                String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** What was used from this snapshot to {@code later}; a process or thread that ended meanwhile is not counted. */
        Used until(Cpu later) {
            return new Used(
                    later.jvmMillis - jvmMillis,
                    later.gcMillis - gcMillis,
                    delta(requestThreadNanos, later.requestThreadNanos) / 1e6,
                    delta(processTicks, later.processTicks) * 10.0,
                    delta(rendererMainTicks, later.rendererMainTicks) * 10.0);
        }

        private static long delta(Map<Long, Long> before, Map<Long, Long> after) {
            long sum = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
            return sum;
        }
    }

    /** The machine is shared: how busy it was says how much the times are worth. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static ChromeDriver chromium(int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Path.of("/usr/bin/chromium").toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("chromium-bench"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** The job row: what the API made of the spec, SUCCEEDED at its last iteration with a result. */
    private static void markSucceeded(BenchApp app, UUID job, long iterations) {
        app.jdbc()
                .update(
                        "update job set status = 'SUCCEEDED', iteration = ?, epoch = ?, finished_at = current_timestamp, "
                                + "started_at = current_timestamp, final_loss = 0.05, train_accuracy = 0.9, "
                                + "test_accuracy = 0.85, wall_time_millis = 600000, "
                                + "gradient_ratio_measure = 'FIRST_TO_LAST_DENSE_LAYER', "
                                + "gradient_ratio_numerator = 'dense_0', gradient_ratio_denominator = 'dense_19', "
                                + "gradient_ratio_start_iteration = 1, gradient_ratio_start = 0.0144, "
                                + "gradient_ratio_end_iteration = ?, gradient_ratio_end = 0.0144 where id = ?",
                        iterations,
                        (int) (iterations / ITERATIONS_PER_EPOCH),
                        iterations,
                        job);
    }

    /** Submitted with a spec of {@code iterations} iterations, cancelled, stopped. */
    private static UUID createStoppedJob(HttpClient http, JsonMapper json, String base, long iterations)
            throws InterruptedException {
        String spec = """
                {"name": "dashboard-load-bench", "model": {"depth": 20, "width": 32},
                 "dataset": {"name": "gaussians", "samples": 1000},
                 "training": {"batchSize": 32, "epochs": %d}}""".formatted(iterations / ITERATIONS_PER_EPOCH);
        HttpResponse<String> created = send(
                http,
                HttpRequest.newBuilder(URI.create(base))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spec)));
        if (created.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + created.statusCode() + ": " + created.body());
        }
        JsonNode body = json.readTree(created.body());
        if (body.get("progress").get("totalIterations").asLong() != iterations) {
            throw new IllegalStateException("the spec gives " + body.get("progress") + ", not " + iterations);
        }
        String id = body.get("id").asString();
        send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/" + id + "/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        for (int i = 0; i < 600; i++) {
            JsonNode job = json.readTree(get(http, base + "/" + id));
            if (Set.of("CANCELLED", "SUCCEEDED", "FAILED", "DIVERGED")
                    .contains(job.get("status").asString())) {
                return UUID.fromString(id);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + id + " did not stop");
    }

    private static String get(HttpClient http, String url) {
        HttpResponse<String> r =
                send(http, HttpRequest.newBuilder(URI.create(url)).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
