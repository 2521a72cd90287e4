package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dashboard in a real (headless) Chromium: submit a small plain net from the new-job form, land on its page, and
 * see the charts drawn from the API; a diverging recurrent job shows its non-finite values as markers. Any
 * JavaScript error (the browser's log, and the page's own record of errors) fails the test. Needs Debian's chromium
 * and chromium-driver, skipped without them as {@link SwaggerUiBrowserTest} is (failed on CI).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DashboardBrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Pixels with alpha over 128 inside a uPlot chart's plot area: lines drawn there, not the faint grid. */
    static final String DRAWN_PIXELS = """
            const container = document.querySelector(arguments[0]);
            const canvas = container.querySelector('canvas');
            const [left, top, width, height] = container.dataset.plotBox.split(',').map(Number);
            const data = canvas.getContext('2d').getImageData(left, top, width, height).data;
            let drawn = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] > 128) drawn++; }
            return drawn;""";

    /** The heatmap canvas's opaque pixels: [plot background grey, non-finite red, any other colour]. */
    private static final String HEATMAP_PIXELS = """
            const canvas = document.querySelector('#heatmap canvas');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            const counts = [0, 0, 0];
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] < 255) continue;
              const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
              counts[r === 238 && g === 238 && b === 238 ? 0 : r === 208 && g === 0 && b === 0 ? 1 : 2]++;
            }
            return counts;""";

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = HeadlessChromium.start(1400, 1800);
        wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void submitASmallPlainNetFromTheFormAndSeeItsGradients() {
        // A long job holds the one training thread, so the small one is still QUEUED when its page opens (warm, it
        // trains in a quarter of a second): the page must then follow it. Cancelled once the page listens.
        ApiClient api = new ApiClient(port);
        ObjectNode blocking = (ObjectNode) JSON.readTree(SpecExamples.PLAIN);
        ((ObjectNode) blocking.get("model")).put("depth", 6);
        ((ObjectNode) blocking.get("training")).put("epochs", 1000); // cancelled long before its end
        String blocker = api.submit(JSON.writeValueAsString(blocking));
        api.awaitJob(blocker, j -> !j.get("status").asString().equals("QUEUED"), Duration.ofSeconds(60));
        browser.get("http://localhost:" + port + "/");
        Select preset = new Select(wait.until(d -> d.findElement(By.id("preset"))));
        wait.until(d -> !preset.getOptions().isEmpty());
        preset.selectByValue("plain");
        WebElement specArea = browser.findElement(By.id("spec"));
        ObjectNode spec = (ObjectNode) JSON.readTree(specArea.getAttribute("value"));
        assertThat(spec.get("name").asString()).isEqualTo("plain 20-layer sigmoid");
        ((ObjectNode) spec.get("model")).put("depth", 6);
        ((ObjectNode) spec.get("dataset")).put("samples", 300);
        ((ObjectNode) spec.get("training")).put("epochs", 3);
        spec.put("name", "<b>small</b> plain net");
        specArea.clear();
        specArea.sendKeys(JSON.writeValueAsString(spec));
        browser.findElement(By.id("submit-job")).click();

        wait.until(d -> d.getCurrentUrl().contains("/job.html?id="));
        wait.until(d -> "events".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        assertThat(browser.findElement(By.id("job-status")).getText()).isEqualTo("QUEUED");
        assertThat(api.post("/api/v1/jobs/" + blocker + "/cancel", null, null, null)
                        .status())
                .isBetween(200, 299);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));
        // The page followed the job through its server-sent events, not by polling.
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live"))
                .isEqualTo("events");
        String id = browser.getCurrentUrl().replaceAll(".*id=", "");
        JsonNode gradients = api.get("/api/v1/jobs/" + id + "/curves/gradients").json();

        // The name is shown as text, not markup.
        assertThat(browser.findElement(By.id("job-name")).getText()).isEqualTo("<b>small</b> plain net");
        assertThat(browser.findElements(By.cssSelector("#job-name b"))).isEmpty();
        WebElement heatmap = browser.findElement(By.cssSelector("#heatmap canvas"));
        assertThat(gradients.get("layers").size()).isEqualTo(7); // dense1..dense6 and the output layer
        assertThat(heatmap.getAttribute("data-rows")).isEqualTo("7");
        assertThat(attribute("#depth-chart", "data-points")).isEqualTo("7");
        assertThat(browser.findElement(By.id("dense-only-control")).isDisplayed())
                .isFalse(); // no batch norm: nothing to leave out
        assertThat(heatmap.getAttribute("data-columns"))
                .isEqualTo(String.valueOf(gradients.get("iterations").size()));
        List<Long> heatmapPixels = heatmapPixels();
        long cells = (Long.parseLong(heatmap.getAttribute("width")) - 90)
                * (Long.parseLong(heatmap.getAttribute("height")) - 22);
        assertThat(heatmapPixels.get(2))
                .as("every cell coloured: %s", heatmapPixels)
                .isGreaterThanOrEqualTo(cells);
        assertThat(heatmapPixels.get(0)).as("no gap between columns").isZero();
        assertThat(drawnPixels("#loss-chart")).isGreaterThan(50);
        assertThat(drawnPixels("#gradient-chart")).isGreaterThan(200);
        assertThat(drawnPixels("#depth-chart")).isGreaterThan(50);
        assertThat(drawnPixels("#update-chart")).isGreaterThan(200);
        assertThat(browser.findElement(By.id("job-ratio")).getText())
                .startsWith("first / last dense-layer gradient (dense1 / dense6): ")
                .contains("at iteration 1 (")
                .contains("decades");
        assertThat(browser.findElement(By.id("job-result")).getText()).contains("test accuracy");
        assertThat(browser.findElement(By.id("loss-chart")).getAttribute("data-nonfinite-markers"))
                .isEqualTo("0");
        // The depth profile's slider picks a third iteration from the keyboard.
        browser.findElement(By.id("depth-slider")).sendKeys(Keys.HOME);
        assertThat(browser.findElement(By.id("depth-slider-value")).getText()).isEqualTo("iteration 1");
        browser.findElement(By.id("depth-slider")).sendKeys(Keys.END);
        long lastIteration = gradients
                .get("iterations")
                .get(gradients.get("iterations").size() - 1)
                .asLong();
        assertThat(browser.findElement(By.id("depth-slider-value")).getText()).isEqualTo("iteration " + lastIteration);
        assertNoJavaScriptErrors();
    }

    @Test
    void aDivergingRecurrentNetShowsItsNonFiniteValuesAsMarkers() {
        // The rnnExploding example made small and steep (SGD 0.5): it diverges within its first epoch.
        ObjectNode spec = (ObjectNode) JSON.readTree(SpecExamples.RNN_EXPLODING);
        ((ObjectNode) spec.get("model")).put("width", 32);
        ((ObjectNode) spec.get("dataset")).put("samples", 300).put("sequenceLength", 50);
        ((ObjectNode) spec.get("training")).put("learningRate", 0.5).put("batchSize", 20);
        ApiClient api = new ApiClient(port);
        String id = api.submit(JSON.writeValueAsString(spec));
        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(120));
        assertThat(job.get("status").asString()).isEqualTo("DIVERGED");
        long divergedAt = job.get("result").get("divergence").get("iteration").asLong();

        browser.get("http://localhost:" + port + "/job.html?id=" + id);
        wait.until(d -> "DIVERGED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));

        WebElement banner = browser.findElement(By.id("job-divergence"));
        assertThat(banner.isDisplayed()).isTrue();
        assertThat(banner.getText()).startsWith("Diverged at iteration " + divergedAt);
        assertThat(Integer.parseInt(browser.findElement(By.id("loss-chart")).getAttribute("data-nonfinite-markers")))
                .isPositive();
        assertThat(browser.findElement(By.id("loss-text")).getText()).contains("non-finite value(s) marked in red");
        WebElement heatmap = browser.findElement(By.cssSelector("#heatmap canvas"));
        assertThat(Integer.parseInt(heatmap.getAttribute("data-nonfinite-cells")))
                .isPositive();
        assertThat(heatmapPixels().get(1)).as("non-finite cells drawn red").isPositive();
        assertThat(browser.findElement(By.id("timestep-section")).isDisplayed()).isTrue();
        assertThat(drawnPixels("#timestep-chart")).isGreaterThan(50);
        assertNoJavaScriptErrors();
    }

    /**
     * A queued job's page says where it waits and follows it up the queue (through its events, no reload); the list
     * shows the place and the running job's ETA.
     */
    @Test
    void aQueuedJobShowsItsPlaceInTheQueueOnItsPageAndInTheList() {
        ApiClient api = new ApiClient(port);
        api.awaitIdle(Duration.ofSeconds(120)); // jobs other tests left would count ahead
        String running = api.submit(JobApiIntegrationTest.LONG); // holds the only training thread
        List<String> jobs = new java.util.ArrayList<>(List.of(running));
        try {
            api.awaitJob(
                    running,
                    j -> j.get("status").asString().equals("RUNNING")
                            && j.get("progress").get("iteration").asLong() > 0,
                    Duration.ofSeconds(60));
            String ahead = api.submit(JobApiIntegrationTest.TINY);
            jobs.add(ahead);
            String queued = api.submit(JobApiIntegrationTest.TINY);
            jobs.add(queued);

            browser.get("http://localhost:" + port + "/job.html?id=" + queued);
            WebElement place = wait.until(d -> d.findElement(By.id("job-queue-place")));
            wait.until(d -> place.getText().equals("· 2nd in the queue"));
            assertThat(browser.findElement(By.cssSelector("#job-header h1")).getText())
                    .endsWith("QUEUED · 2nd in the queue");
            assertThat(browser.findElement(By.id("job-eta")).getText()).isEmpty();
            // The job ahead leaves the queue: the page hears it from the job's events and moves it up.
            api.post("/api/v1/jobs/" + ahead + "/cancel", null, null, null);
            wait.until(d -> place.getText().equals("· 1st in the queue"));
            assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live"))
                    .isEqualTo("events");
            assertNoJavaScriptErrors();

            browser.get("http://localhost:" + port + "/job.html?id=" + running);
            WebElement eta = wait.until(d -> d.findElement(By.id("job-eta")));
            wait.until(d -> eta.getText().matches("· ETA \\d+ (s|min|h).*"));
            assertThat(browser.findElement(By.id("job-queue-place")).getText()).isEmpty();

            browser.get("http://localhost:" + port + "/");
            String queuedRow = "tr[data-job-id='" + queued + "']";
            String runningRow = "tr[data-job-id='" + running + "']";
            wait.until(d -> !d.findElements(By.cssSelector(queuedRow)).isEmpty());
            assertThat(browser.findElement(By.cssSelector(queuedRow + " .job-wait"))
                            .getText())
                    .isEqualTo("· #1 in queue");
            assertThat(browser.findElement(By.cssSelector(runningRow + " .job-wait"))
                            .getText())
                    .matches("· ETA \\d+ (s|min|h).*");
            assertThat(browser.findElements(By.cssSelector("tr[data-job-id='" + ahead + "'] .job-wait")))
                    .as("a cancelled job neither waits nor runs")
                    .isEmpty();
            assertNoJavaScriptErrors();
        } finally {
            for (String id : jobs) {
                api.post("/api/v1/jobs/" + id + "/cancel", null, null, null);
            }
            jobs.forEach(id -> api.awaitFinished(id, Duration.ofSeconds(60)));
        }
    }

    @Test
    void aBatchNormNetShowsItsActivationsAndCanLeaveOutTheBatchNormLayers() {
        ObjectNode spec = (ObjectNode) JSON.readTree(SpecExamples.BATCH_NORM);
        ((ObjectNode) spec.get("model")).put("depth", 6);
        ((ObjectNode) spec.get("dataset")).put("samples", 300);
        ((ObjectNode) spec.get("training")).put("epochs", 3);
        ApiClient api = new ApiClient(port);
        String id = api.submit(JSON.writeValueAsString(spec));
        assertThat(api.awaitFinished(id, Duration.ofSeconds(120)).get("status").asString())
                .isEqualTo("SUCCEEDED");
        JsonNode layers =
                api.get("/api/v1/jobs/" + id + "/curves/gradients").json().get("layers");
        int all = layers.size();
        int dense = 0;
        for (JsonNode layer : layers) {
            dense += "batchNorm".equals(layer.get("kind").asString()) ? 0 : 1;
        }
        assertThat(all).isEqualTo(13); // dense1, bn1, …, dense6, bn6, output
        assertThat(dense).isEqualTo(7);
        int withActivations = 0; // every layer but the output reports its activations
        for (JsonNode layer : api.get("/api/v1/jobs/" + id + "/curves/layers?stat=activationMean")
                .json()
                .get("layers")) {
            withActivations += "batchNorm".equals(layer.get("kind").asString())
                            || layer.get("values").get(0).isNull()
                    ? 0
                    : 1;
        }
        assertThat(withActivations).isEqualTo(6);

        browser.get("http://localhost:" + port + "/job.html?id=" + id);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));

        // Batch norm: "dense layers only" is offered and on, in the depth profile, the heatmap and the activations.
        WebElement denseOnly = browser.findElement(By.id("dense-only"));
        assertThat(denseOnly.isDisplayed()).isTrue();
        assertThat(denseOnly.isSelected()).isTrue();
        assertThat(attribute("#depth-chart", "data-points")).isEqualTo(String.valueOf(dense));
        assertThat(attribute("#heatmap canvas", "data-rows")).isEqualTo(String.valueOf(dense));
        assertThat(attribute("#activation-chart", "data-points")).isEqualTo(String.valueOf(withActivations));
        assertThat(browser.findElement(By.id("dense-only-text")).getText())
                .startsWith("Showing " + dense + " of " + all + " layers");
        assertThat(drawnPixels("#activation-chart")).isGreaterThan(50);
        assertThat(browser.findElement(By.id("activation-text")).getText())
                .startsWith("At iteration ")
                .contains(withActivations + " layers: mean ")
                .contains("; std ")
                .contains("sigmoid");
        // Recurrent-only sections stay hidden for an MLP.
        assertThat(browser.findElement(By.id("timestep-section")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("wrec-section")).isDisplayed()).isFalse();

        // Off (from the keyboard): every layer again.
        denseOnly.sendKeys(Keys.SPACE);
        wait.until(d -> String.valueOf(all).equals(attribute("#depth-chart", "data-points")));
        wait.until(d -> String.valueOf(all).equals(attribute("#heatmap canvas", "data-rows")));
        assertThat(attribute("#activation-chart", "data-points")).isEqualTo(String.valueOf(all - 1));
        assertThat(browser.findElement(By.id("dense-only-text")).getText()).startsWith("Showing all " + all);
        assertNoJavaScriptErrors();
    }

    @Test
    void aRecurrentNetShowsItsRecurrentWeightGradientAndAnyRecordedTimestepCurve() {
        ObjectNode spec = (ObjectNode) JSON.readTree(SpecExamples.RNN_VANISHING);
        ((ObjectNode) spec.get("model")).put("width", 16);
        ((ObjectNode) spec.get("dataset")).put("samples", 200).put("sequenceLength", 20);
        ((ObjectNode) spec.get("training")).put("epochs", 2);
        ApiClient api = new ApiClient(port);
        String id = api.submit(JSON.writeValueAsString(spec));
        assertThat(api.awaitFinished(id, Duration.ofSeconds(120)).get("status").asString())
                .isEqualTo("SUCCEEDED");
        JsonNode recorded = api.get("/api/v1/jobs/" + id + "/curves/timesteps/iterations")
                .json()
                .get("iterations");
        // First, last and one between: the slider's third curve has somewhere to go.
        assertThat(recorded.size()).isGreaterThanOrEqualTo(3);
        long first = recorded.get(0).asLong();
        long middle = recorded.get((recorded.size() - 1) / 2).asLong();
        long last = recorded.get(recorded.size() - 1).asLong();

        browser.get("http://localhost:" + port + "/job.html?id=" + id);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));

        assertThat(browser.findElement(By.id("wrec-section")).isDisplayed()).isTrue();
        assertThat(drawnPixels("#wrec-chart")).isGreaterThan(50);
        assertThat(attribute("#wrec-chart", "data-series")).isEqualTo("1"); // one recurrent layer, no clipping
        assertThat(browser.findElement(By.id("wrec-text")).getText())
                .startsWith("rnn1: ")
                .contains("at iteration " + first + " → ");
        assertThat(drawnPixels("#activation-chart")).isGreaterThan(50);
        assertThat(browser.findElement(By.id("dense-only-control")).isDisplayed())
                .isFalse();

        // The slider starts between first and last: three curves; at either end, the two always drawn.
        WebElement slider = browser.findElement(By.id("timestep-slider"));
        WebElement value = browser.findElement(By.id("timestep-slider-value"));
        assertThat(value.getText()).isEqualTo("iteration " + middle);
        assertThat(attribute("#timestep-chart", "data-series")).isEqualTo("3");
        assertThat(browser.findElement(By.id("timestep-text")).getText())
                .contains("At iteration " + middle + " (slider, dashed)");
        slider.sendKeys(Keys.END);
        wait.until(d -> value.getText().equals("iteration " + last + " (the last: drawn)"));
        wait.until(d -> "2".equals(attribute("#timestep-chart", "data-series")));
        slider.sendKeys(Keys.ARROW_LEFT);
        long beforeLast = recorded.get(recorded.size() - 2).asLong();
        wait.until(d -> value.getText().equals("iteration " + beforeLast));
        wait.until(d -> "3".equals(attribute("#timestep-chart", "data-series")));
        slider.sendKeys(Keys.HOME);
        wait.until(d -> value.getText().equals("iteration " + first + " (the first: drawn)"));
        wait.until(d -> "2".equals(attribute("#timestep-chart", "data-series")));
        assertThat(drawnPixels("#timestep-chart")).isGreaterThan(50);
        assertNoJavaScriptErrors();
    }

    @Test
    void contentSecurityPolicyAndTheApiProblemsShownOnThePages() {
        ApiClient api = new ApiClient(port);
        for (String page : List.of("/", "/job.html", "/compare.html", "/dashboard/job.js", "/dashboard/compare.js")) {
            assertThat(api.get(page).header("Content-Security-Policy"))
                    .as(page)
                    .isEqualTo(DashboardSecurityHeadersFilter.POLICY)
                    .contains("script-src 'self'");
        }
        assertThat(api.get("/swagger-ui/index.html").header("Content-Security-Policy"))
                .isNull();
        // An unknown job: the API's problem detail on the page, not a blank one.
        browser.get("http://localhost:" + port + "/job.html?id=00000000-0000-0000-0000-000000000000");
        WebElement problem = wait.until(d -> d.findElement(By.id("job-problem")));
        wait.until(d -> problem.isDisplayed());
        assertThat(problem.getText()).startsWith("404").contains("job-not-found");
        // A spec the API refuses: its errors[{field, message}] shown beside the spec, and no navigation.
        browser.get("http://localhost:" + port + "/");
        WebElement specArea = wait.until(d -> d.findElement(By.id("spec")));
        wait.until(d -> !specArea.getAttribute("value").isEmpty());
        specArea.clear();
        specArea.sendKeys("{\"model\": {\"depth\": 500}}");
        browser.findElement(By.id("submit-job")).click();
        WebElement fieldError = wait.until(d -> d.findElement(By.cssSelector("#spec-errors li")));
        assertThat(fieldError.getText()).startsWith("model.depth: ").contains("200");
        assertThat(browser.findElement(By.id("spec-problem-detail")).getText()).startsWith("400 ");
        assertThat(browser.getCurrentUrl()).doesNotContain("job.html");
        // The browser's log is read (so the empty logs asserted above mean something): it has the failed fetch.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .anySatisfy(entry -> assertThat(entry.getMessage()).contains("404"));
    }

    private String attribute(String selector, String name) {
        return browser.findElement(By.cssSelector(selector)).getAttribute(name);
    }

    @SuppressWarnings("unchecked")
    private List<Long> heatmapPixels() {
        return (List<Long>) ((JavascriptExecutor) browser).executeScript(HEATMAP_PIXELS);
    }

    private long drawnPixels(String container) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(DRAWN_PIXELS, container)).longValue();
    }

    private void assertNoJavaScriptErrors() {
        List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertThat(severe).as("browser console errors").isEmpty();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-js-errors"))
                .as("errors the page recorded")
                .isEqualTo("[]");
    }
}
