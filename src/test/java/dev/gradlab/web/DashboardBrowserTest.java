package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
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

    /** How many resources the page fetched whose address holds every one of the arguments. */
    private static final String REQUESTS = """
            const parts = [...arguments];
            return performance.getEntriesByType('resource')
                .filter(e => parts.every(p => e.name.includes(p))).length;""";

    private static final String SCROLLED_TO = """
            const top = document.getElementById(arguments[0]).getBoundingClientRect().top;
            const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
            return window.scrollY > 0 && ((top >= -5 && top <= 120) || (bottom && top > 0));""";

    private WebDriver browser;
    private WebDriverWait wait;
    private Path downloads;

    @BeforeEach
    void openBrowser() throws Exception {
        downloads = Files.createTempDirectory("dashboard-downloads");
        browser = HeadlessChromium.start(1400, 1800, downloads);
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
        // The profile's fitted slope and the predicted ones, as the API gives them.
        JsonNode first = api.get("/api/v1/jobs/" + id + "/profiles")
                .json()
                .get("profiles")
                .get(0);
        String slopeText = browser.findElement(By.id("depth-slope")).getText();
        assertThat(slopeText)
                .contains("decades per layer toward the input")
                .contains("at iteration 1: measured "
                        + signed(first.get("fit").get("slope").asDouble()))
                .contains(signed(first.get("predictions").get(0).get("slope").asDouble())
                        + " from this run's own σ̄′ × ‖W‖_F/√n_out");
        // The depth profile's slider picks a third iteration from the keyboard.
        browser.findElement(By.id("depth-slider")).sendKeys(Keys.HOME);
        assertThat(browser.findElement(By.id("depth-slider-value")).getText()).isEqualTo("iteration 1");
        browser.findElement(By.id("depth-slider")).sendKeys(Keys.END);
        long lastIteration = gradients
                .get("iterations")
                .get(gradients.get("iterations").size() - 1)
                .asLong();
        assertThat(browser.findElement(By.id("depth-slider-value")).getText()).isEqualTo("iteration " + lastIteration);
        assertPageHealthy();
    }

    /** As slopes.js writes a slope: sign (− is U+2212), two decimals. */
    private static String signed(double v) {
        return (v >= 0 ? "+" : "−") + String.format(java.util.Locale.ROOT, "%.2f", Math.abs(v));
    }

    /** The new-job form lists the uploaded datasets; picking one puts it into the spec, which then trains. */
    @Test
    void anUploadedDatasetIsPickedIntoTheSpecFromTheForm() {
        ApiClient api = new ApiClient(port);
        String csv = DatasetApiIntegrationTest.blobs(200, 3, 2, 1, 0, 21);
        JsonNode dataset = DatasetApiIntegrationTest.upload(api, csv, "?name=%3Cb%3Emine%3C%2Fb%3E", 201);
        String id = dataset.get("id").asString();
        browser.get("http://localhost:" + port + "/");
        Select uploads = new Select(wait.until(d -> d.findElement(By.id("upload-choice"))));
        wait.until(d -> uploads.getOptions().stream().anyMatch(o -> id.equals(o.getAttribute("value"))));
        WebElement option = uploads.getOptions().stream()
                .filter(o -> id.equals(o.getAttribute("value")))
                .findFirst()
                .orElseThrow();
        // The user's name is text, not markup.
        assertThat(option.getText()).isEqualTo("<b>mine</b> — 200 rows × 3 features, 2 classes");
        Select preset = new Select(browser.findElement(By.id("preset")));
        wait.until(d -> !preset.getOptions().isEmpty());
        preset.selectByValue("rnnClipped"); // a recurrent preset: the upload needs an mlp
        uploads.selectByValue(id);
        WebElement specArea = browser.findElement(By.id("spec"));
        ObjectNode spec = (ObjectNode) JSON.readTree(specArea.getAttribute("value"));
        assertThat(spec.get("dataset").toString())
                .isEqualTo("{\"name\":\"upload\",\"id\":\"" + id + "\",\"standardize\":false}");
        assertThat(spec.get("model").get("type").asString()).isEqualTo("mlp");
        assertThat(browser.findElement(By.id("upload-hint")).getText())
                .isEqualTo("class is the label; rows per class: 100, 100");
        spec.set("model", JSON.readTree("{\"depth\": 2, \"width\": 8}"));
        spec.set("training", JSON.readTree("{\"epochs\": 2}"));
        specArea.clear();
        specArea.sendKeys(JSON.writeValueAsString(spec));
        browser.findElement(By.id("submit-job")).click();
        wait.until(d -> d.getCurrentUrl().contains("/job.html?id="));
        String job = browser.getCurrentUrl().replaceAll(".*id=", "");
        assertThat(api.get("/api/v1/jobs/" + job)
                        .json()
                        .get("spec")
                        .get("dataset")
                        .get("id")
                        .asString())
                .isEqualTo(id);
        assertPageHealthy();
    }

    @Test
    void aDivergingRecurrentNetShowsItsNonFiniteValuesAsMarkers() throws Exception {
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
        // The loss chart's CSV names each non-finite value where it happened, never a blank or a 0.
        browser.findElement(By.cssSelector("#loss-chart button[data-export=csv]"))
                .click();
        List<String> csv = Files.readAllLines(downloaded("gradlab-" + id.substring(0, 8) + "-loss.csv"));
        WebElement lossChart = browser.findElement(By.id("loss-chart"));
        assertThat(csv).hasSize(Integer.parseInt(lossChart.getAttribute("data-drawn-points")) + 1);
        assertThat(csv.stream()
                        .skip(1)
                        .map(row -> row.split(",", -1)[1])
                        .filter(v -> List.of("NaN", "Infinity", "-Infinity").contains(v))
                        .count())
                .isEqualTo(Long.parseLong(lossChart.getAttribute("data-nonfinite-markers")));
        assertThat(csv.get(0)).startsWith("iteration,loss");
        assertPageHealthy();
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
            assertPageHealthy();

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
            assertPageHealthy();
        } finally {
            for (String id : jobs) {
                api.post("/api/v1/jobs/" + id + "/cancel", null, null, null);
            }
            jobs.forEach(id -> api.awaitFinished(id, Duration.ofSeconds(60)));
        }
    }

    @Test
    void aBatchNormNetShowsItsActivationsAndCanLeaveOutTheBatchNormLayers() throws Exception {
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
        String activationText = browser.findElement(By.id("activation-text")).getText();
        assertThat(activationText)
                .startsWith("At iteration ")
                .contains(withActivations + " layers: mean ")
                .contains("; std ")
                .contains("sigmoid");
        // The activation profile's CSV: one row per layer drawn, at the iteration the profile shows.
        String profileIteration = activationText.replaceAll("(?s)^At iteration (\\d+),.*", "$1");
        browser.findElement(By.cssSelector("#activation-chart button[data-export=csv]"))
                .click();
        List<String> activationCsv = Files.readAllLines(
                downloaded("gradlab-" + id.substring(0, 8) + "-activations-it" + profileIteration + ".csv"));
        assertThat(activationCsv.get(0)).isEqualTo("layer index (input → output),mean,mean + std,mean − std");
        assertThat(activationCsv)
                .hasSize(Integer.parseInt(attribute("#activation-chart", "data-drawn-points")) + 1)
                .hasSize(withActivations + 1);
        assertThat(activationCsv.get(1).split(",", -1)).hasSize(4).doesNotContain("");
        // Recurrent-only sections stay hidden for an MLP.
        assertThat(browser.findElement(By.id("timestep-section")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("wrec-section")).isDisplayed()).isFalse();

        // Off (from the keyboard): every layer again.
        denseOnly.sendKeys(Keys.SPACE);
        wait.until(d -> String.valueOf(all).equals(attribute("#depth-chart", "data-points")));
        wait.until(d -> String.valueOf(all).equals(attribute("#heatmap canvas", "data-rows")));
        assertThat(attribute("#activation-chart", "data-points")).isEqualTo(String.valueOf(all - 1));
        assertThat(browser.findElement(By.id("dense-only-text")).getText()).startsWith("Showing all " + all);
        assertPageHealthy();
    }

    @Test
    void aRecurrentNetShowsItsRecurrentWeightGradientAndAnyRecordedTimestepCurve() throws Exception {
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
        wait.until(d -> d.getCurrentUrl().contains("timestep=" + first));

        // The W_rec chart follows the shared zoom (as does the activation chart: lines over iterations for one
        // recurrent layer), and its CSV holds exactly the points drawn.
        List<Long> wrecIterations =
                longs(api.get("/api/v1/jobs/" + id + "/curves/layers?stat=recurrentWeightGradientNorm")
                        .json()
                        .get("iterations"));
        // (W_rec is recorded at a few iterations only, as the gradient-through-time curves are.)
        long from = wrecIterations.get(0) + 1;
        long to = wrecIterations.get(wrecIterations.size() - 1);
        long inRange =
                wrecIterations.stream().filter(it -> it >= from && it <= to).count();
        browser.findElement(By.id("zoom-from")).sendKeys(Keys.chord(Keys.CONTROL, "a"), String.valueOf(from));
        browser.findElement(By.id("zoom-to")).sendKeys(Keys.chord(Keys.CONTROL, "a"), String.valueOf(to), Keys.ENTER);
        wait.until(d -> (from + "," + to).equals(attribute("#wrec-chart", "data-x-range")));
        assertThat(attribute("#wrec-chart", "data-drawn-points")).isEqualTo(String.valueOf(inRange));
        assertThat(attribute("#activation-chart", "data-mode")).isEqualTo("lines");
        wait.until(d -> (from + "," + to).equals(attribute("#activation-chart", "data-x-range")));
        browser.findElement(By.cssSelector("#wrec-chart button[data-export=csv]"))
                .click();
        String prefix = "gradlab-" + id.substring(0, 8);
        List<String> wrecCsv = Files.readAllLines(downloaded(prefix + "-wrec-it" + from + "-" + to + ".csv"));
        assertThat(wrecCsv.get(0)).isEqualTo("iteration,rnn1 W_rec (raw value; drawn as log10)");
        assertThat(wrecCsv).hasSize((int) inRange + 1);
        assertThat(Long.parseLong(wrecCsv.get(1).split(",")[0])).isEqualTo(wrecIterations.get(1));
        browser.findElement(By.cssSelector("#activation-chart button[data-export=csv]"))
                .click();
        List<String> activationCsv =
                Files.readAllLines(downloaded(prefix + "-activations-it" + from + "-" + to + ".csv"));
        assertThat(activationCsv.get(0)).isEqualTo("iteration,rnn1 mean,rnn1 mean + std,rnn1 mean − std");
        assertThat(activationCsv).hasSize(Integer.parseInt(attribute("#activation-chart", "data-drawn-points")) + 1);
        assertPageHealthy();

        // A shared link opens on the W_rec chart with the slider's gradient-through-time curve.
        String link = "http://localhost:" + port + "/job.html?id=" + id + "&timestep=" + beforeLast + "&view=wrec";
        browser.get(link);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));
        assertThat(browser.findElement(By.id("timestep-slider-value")).getText())
                .isEqualTo("iteration " + beforeLast);
        assertThat(attribute("#timestep-chart", "data-series")).isEqualTo("3");
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(SCROLLED_TO, "wrec-section"))
                .isTrue();
        assertPageHealthy();
    }

    @Test
    void contentSecurityPolicyAndTheApiProblemsShownOnThePages() {
        ApiClient api = new ApiClient(port);
        for (String page :
                List.of("/", "/job.html", "/compare.html", "/study.html", "/dashboard/job.js", "/dashboard/study.js")) {
            ApiClient.Reply reply = api.get(page);
            assertThat(reply.header("Content-Security-Policy"))
                    .as(page)
                    .isEqualTo(SecurityConfiguration.DASHBOARD_POLICY)
                    .contains("script-src 'self'");
            assertThat(reply.header("X-Content-Type-Options")).as(page).isEqualTo("nosniff");
            assertThat(reply.header("X-Frame-Options")).as(page).isEqualTo("DENY");
            assertThat(reply.header("Referrer-Policy")).as(page).isEqualTo("no-referrer");
        }
        // The API's answers: the same headers but the CSP, and never cached.
        ApiClient.Reply jobs = api.get("/api/v1/jobs");
        assertThat(jobs.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(jobs.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(jobs.header("Cache-Control")).contains("no-store");
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

    @Test
    void dragToZoomExportWhatIsDrawnAndShareTheViewByLink() throws Exception {
        ApiClient api = new ApiClient(port);
        String id = api.submit(smallPlainNet(10, 30)); // 10 epochs of 8 iterations
        api.awaitFinished(id, Duration.ofSeconds(120));
        JsonNode loss = api.get("/api/v1/jobs/" + id + "/curves/loss").json();
        List<Long> iterations = longs(loss.get("iterations"));
        long first = iterations.get(0);
        long last = iterations.get(iterations.size() - 1);

        browser.get("http://localhost:" + port + "/job.html?id=" + id);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));
        WebElement lossChart = browser.findElement(By.id("loss-chart"));
        assertThat(lossChart.getAttribute("data-x-range")).isEqualTo(first + "," + last);
        assertThat(lossChart.getAttribute("data-drawn-points")).isEqualTo(String.valueOf(iterations.size()));

        // Drag across the middle half of the loss chart: every chart over iterations re-fetches that range.
        dragAcross("#loss-chart", 0.25, 0.75);
        wait.until(
                d -> d.getCurrentUrl().contains("&from=") && d.getCurrentUrl().contains("&to="));
        long from = Long.parseLong(addressParameter("from"));
        long to = Long.parseLong(addressParameter("to"));
        assertThat(from).isGreaterThan(first);
        assertThat(to).isGreaterThan(from).isLessThan(last);
        assertThat(addressParameter("view")).isEqualTo("loss");
        List<Long> inRange =
                iterations.stream().filter(it -> it >= from && it <= to).toList();
        wait.until(d -> String.valueOf(inRange.size()).equals(lossChart.getAttribute("data-drawn-points")));
        for (String chart : List.of("loss-chart", "gradient-chart", "update-chart", "heatmap")) {
            assertThat(browser.findElement(By.id(chart)).getAttribute("data-x-range"))
                    .as(chart)
                    .isEqualTo(from + "," + to);
        }
        assertThat(requests("curves/loss?", "from=" + from + "&to=" + to)).isPositive();
        assertThat(requests("curves/gradients?", "from=" + from + "&to=" + to)).isPositive();
        assertThat(browser.findElement(By.id("zoom-state")).getText()).contains(from + "–" + to);

        // CSV: exactly the points drawn, the raw values (not their logarithms) where the chart draws log10.
        String prefix = "gradlab-" + id.substring(0, 8);
        browser.findElement(By.cssSelector("#loss-chart button[data-export=csv]"))
                .click();
        List<String> lossCsv = Files.readAllLines(downloaded(prefix + "-loss-it" + from + "-" + to + ".csv"));
        assertThat(lossCsv.get(0)).isEqualTo("iteration,loss,train accuracy,test accuracy");
        assertThat(lossCsv).hasSize(inRange.size() + 1);
        List<Double> lossValues = doubles(loss.get("values"));
        for (int row = 1; row < lossCsv.size(); row++) {
            String[] fields = lossCsv.get(row).split(",", -1);
            assertThat(Long.parseLong(fields[0])).as(lossCsv.get(row)).isEqualTo(inRange.get(row - 1));
            assertThat(Double.parseDouble(fields[1]))
                    .isEqualTo(lossValues.get(iterations.indexOf(inRange.get(row - 1))));
        }
        browser.findElement(By.cssSelector("#gradient-chart button[data-export=csv]"))
                .click();
        List<String> gradientCsv = Files.readAllLines(downloaded(prefix + "-gradients-it" + from + "-" + to + ".csv"));
        assertThat(gradientCsv.get(0)).startsWith("iteration,dense1 (raw value; drawn as log10),");
        assertThat(gradientCsv).hasSize(inRange.size() + 1);
        JsonNode gradients = api.get("/api/v1/jobs/" + id + "/curves/gradients?from=" + from + "&to=" + to)
                .json();
        assertThat(Double.parseDouble(gradientCsv.get(1).split(",")[1]))
                .isEqualTo(gradients.get("layers").get(0).get("norms").get(0).asDouble());
        // PNG: the chart's canvas (axes included) under its title.
        browser.findElement(By.cssSelector("#heatmap button[data-export=png]")).click();
        BufferedImage picture = ImageIO.read(
                downloaded(prefix + "-heatmap-it" + from + "-" + to + ".png").toFile());
        int heatmapWidth =
                browser.findElement(By.cssSelector("#heatmap canvas")).getSize().getWidth();
        assertThat(picture.getWidth()).isGreaterThanOrEqualTo(heatmapWidth);

        // Reset (the button, or a double-click on a chart) brings back the whole run and takes from/to off the address.
        browser.findElement(By.id("zoom-reset")).click();
        wait.until(d -> !d.getCurrentUrl().contains("from="));
        wait.until(d -> (first + "," + last).equals(lossChart.getAttribute("data-x-range")));
        dragAcross("#heatmap canvas", 0.5, 0.9);
        wait.until(d -> d.getCurrentUrl().contains("&from="));
        assertThat(addressParameter("view")).isEqualTo("heatmap");
        String zoomed = addressParameter("from") + "," + addressParameter("to");
        wait.until(d -> zoomed.equals(d.findElement(By.id("gradient-chart")).getAttribute("data-x-range")));
        new Actions(browser)
                .doubleClick(browser.findElement(By.cssSelector("#gradient-chart .u-over")))
                .perform();
        wait.until(d -> !d.getCurrentUrl().contains("from="));
        wait.until(d -> (first + "," + last).equals(lossChart.getAttribute("data-x-range")));

        // A shared link opens the same zoom, depth-profile iteration and chart.
        long chosen = iterations.get(iterations.size() / 3);
        String link = "http://localhost:" + port + "/job.html?id=" + id + "&from=5&to=20&iteration=" + chosen
                + "&view=heatmap";
        browser.get(link);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.tagName("body")).getAttribute("data-charts-drawn")));
        WebElement restored = browser.findElement(By.id("loss-chart"));
        wait.until(d -> "5,20".equals(restored.getAttribute("data-x-range")));
        assertThat(browser.findElement(By.id("heatmap")).getAttribute("data-x-range"))
                .isEqualTo("5,20");
        assertThat(restored.getAttribute("data-drawn-points")).isEqualTo("16");
        assertThat(browser.findElement(By.id("depth-slider-value")).getText()).isEqualTo("iteration " + chosen);
        assertThat(browser.findElement(By.id("zoom-reset")).isEnabled()).isTrue();
        assertThat(browser.getCurrentUrl()).isEqualTo(link);
        // Scrolled to the heatmap: its section at the top of the window, or the page scrolled as far as it goes.
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(SCROLLED_TO, "heatmap-section"))
                .isTrue();
        // Moving the slider writes its iteration into the address.
        browser.findElement(By.id("depth-slider")).sendKeys(Keys.HOME);
        wait.until(d -> d.getCurrentUrl().contains("iteration=" + first + "&")
                || d.getCurrentUrl().endsWith("iteration=" + first));
        assertPageHealthy();
    }

    @Test
    void aRunningJobsChartsAppendOnlyTheNewPointsAndPauseWhileZoomed() {
        ApiClient api = new ApiClient(port);
        String id = api.submit(wideRunningNet());
        browser.get("http://localhost:" + port + "/job.html?id=" + id);
        WebElement body = browser.findElement(By.tagName("body"));
        WebElement lossChart = browser.findElement(By.id("loss-chart"));
        WebElement live = browser.findElement(By.id("job-live"));
        // While it runs, the charts grow by appending what each event announces: fetched with from = last drawn + 1.
        WebElement gradientChart = browser.findElement(By.id("gradient-chart"));
        wait.until(d -> "RUNNING".equals(body.getAttribute("data-charts-drawn"))
                && lossChart.getAttribute("data-appends") != null
                && gradientChart.getAttribute("data-appends") != null
                && Integer.parseInt(lossChart.getAttribute("data-drawn-points")) > 0);
        assertThat(requests("curves/loss?", "from=")).isPositive();
        assertThat(requests("curves/gradients?", "from=")).isPositive();
        // The activation chart's feed (updated with the others) appends both of its endpoints.
        wait.until(d -> d.findElement(By.id("activation-chart")).getAttribute("data-appends") != null);
        assertThat(requests("stat=activationMean", "from=")).isPositive();
        assertThat(requests("stat=activationStd", "from=")).isPositive();
        wait.until(d -> live.getText().matches("· live · \\d+(\\.\\d)? s behind")
                || !"RUNNING".equals(body.getAttribute("data-charts-drawn")));

        // Zoomed (from the keyboard), the charts stop following the job and say so; the header still follows it.
        browser.findElement(By.id("zoom-from")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "1");
        browser.findElement(By.id("zoom-to")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "5", Keys.ENTER);
        wait.until(d -> "1,5".equals(lossChart.getAttribute("data-x-range")));
        assertThat(lossChart.getAttribute("data-drawn-points")).isEqualTo("5");
        assertThat(addressParameter("from")).isEqualTo("1");
        wait.until(d -> live.getText().equals("· live paused while zoomed")
                || FINISHED.contains(body.getAttribute("data-charts-drawn")));
        String appendsWhileZoomed = lossChart.getAttribute("data-appends");
        String header = browser.findElement(By.id("job-header")).getText();
        if (!FINISHED.contains(body.getAttribute("data-charts-drawn"))) {
            wait.until(d -> !header.equals(d.findElement(By.id("job-header")).getText()));
            assertThat(lossChart.getAttribute("data-appends")).isEqualTo(appendsWhileZoomed);
        }
        browser.findElement(By.id("zoom-reset")).click();

        wait.until(d -> "SUCCEEDED".equals(body.getAttribute("data-charts-drawn")));
        JsonNode loss = api.get("/api/v1/jobs/" + id + "/curves/loss").json();
        // What the page held, should it never draw the whole run (seen once on a loaded CI machine).
        new WebDriverWait(browser, Duration.ofSeconds(120))
                .withMessage(() -> "loss chart drawn " + lossChart.getAttribute("data-drawn-points") + " of "
                        + loss.get("totalPoints") + ", x range " + lossChart.getAttribute("data-x-range")
                        + ", whole loads " + lossChart.getAttribute("data-whole-loads") + ", appends "
                        + lossChart.getAttribute("data-appends") + ", zoom '"
                        + body.getAttribute("data-zoom") + "', live " + body.getAttribute("data-live"))
                .until(d -> loss.get("totalPoints").asString().equals(lossChart.getAttribute("data-drawn-points")));
        assertThat(lossChart.getAttribute("data-total-points"))
                .isEqualTo(loss.get("totalPoints").asString());
        assertThat(lossChart.getAttribute("data-x-range"))
                .isEqualTo("1,"
                        + loss.get("iterations")
                                .get(loss.get("iterations").size() - 1)
                                .asLong());
        JsonNode gradients = api.get("/api/v1/jobs/" + id + "/curves/gradients").json();
        assertThat(browser.findElement(By.cssSelector("#heatmap canvas")).getAttribute("data-columns"))
                .isEqualTo(String.valueOf(gradients.get("iterations").size()));
        assertThat(live.getText()).isEmpty();
        assertPageHealthy();
    }

    private static final java.util.Set<String> FINISHED =
            java.util.Set.of("SUCCEEDED", "FAILED", "DIVERGED", "CANCELLED");

    /**
     * 20 epochs of 24 iterations, 100 examples each through 6 × 256: several seconds of events (6–7 s on the AMD
     * EPYC), so the page sees it running. The same iterations on the small net take about 1 s.
     */
    private static String wideRunningNet() {
        ObjectNode spec = plainNet(20, 100);
        ((ObjectNode) spec.get("model")).put("width", 256);
        ((ObjectNode) spec.get("dataset")).put("samples", 3000);
        return JSON.writeValueAsString(spec);
    }

    private static String smallPlainNet(int epochs, int batchSize) {
        return JSON.writeValueAsString(plainNet(epochs, batchSize));
    }

    /** The README's plain example made small: depth 6, 300 samples. */
    private static ObjectNode plainNet(int epochs, int batchSize) {
        ObjectNode spec = (ObjectNode) JSON.readTree(SpecExamples.PLAIN);
        ((ObjectNode) spec.get("model")).put("depth", 6);
        ((ObjectNode) spec.get("dataset")).put("samples", 300);
        ((ObjectNode) spec.get("training")).put("epochs", epochs).put("batchSize", batchSize);
        return spec;
    }

    /** Presses the mouse at fraction a of the element's width and releases it at b (both at mid-height). */
    private void dragAcross(String selector, double a, double b) {
        WebElement target = browser.findElement(By.cssSelector(selector));
        int width = target.getSize().getWidth();
        new Actions(browser)
                .moveToElement(target, (int) (width * (a - 0.5)), 0)
                .clickAndHold()
                .moveByOffset((int) (width * (b - a) / 2), 0)
                .moveByOffset((int) (width * (b - a) / 2), 0)
                .release()
                .perform();
    }

    private String addressParameter(String name) {
        return java.util.Arrays.stream(java.net
                        .URI
                        .create(browser.getCurrentUrl())
                        .getRawQuery()
                        .split("&"))
                .filter(p -> p.startsWith(name + "="))
                .map(p -> p.substring(name.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + browser.getCurrentUrl()));
    }

    private long requests(String... parts) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(REQUESTS, (Object[]) parts)).longValue();
    }

    /** The downloaded file, once Chromium has finished writing it. */
    private Path downloaded(String name) {
        Path file = downloads.resolve(name);
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> Files.isRegularFile(file)
                        && !Files.exists(downloads.resolve(name + ".crdownload"))
                        && file.toFile().length() > 0);
        return file;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? null : n.asDouble()));
        return out;
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

    private void assertPageHealthy() {
        HeadlessChromium.assertPageHealthy(browser);
    }
}
