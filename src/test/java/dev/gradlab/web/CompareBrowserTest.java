package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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
 * The Compare view in headless Chromium: pick a plain and a batch-norm net on the jobs list, compare them (key
 * figures, depth profiles and losses on shared axes), reach Compare from a job page and add a running job that the
 * page follows until it finishes; unknown ids show the API's problem in their row, and the address follows edits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class CompareBrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UNKNOWN = "00000000-0000-0000-0000-000000000000";

    /** Pixels inside a chart's plot area within a small distance of an RGB colour. */
    static final String PIXELS_OF_COLOUR = """
            const container = document.querySelector(arguments[0]);
            const [r, g, b] = arguments[1];
            const canvas = container.querySelector('canvas');
            const [left, top, width, height] = container.dataset.plotBox.split(',').map(Number);
            const data = canvas.getContext('2d').getImageData(left, top, width, height).data;
            let n = 0;
            for (let i = 0; i < data.length; i += 4) {
              if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++;
            }
            return n;""";

    private static final List<Integer> OKABE_BLUE = List.of(0, 114, 178);
    private static final List<Integer> OKABE_ORANGE = List.of(230, 159, 0);

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;
    private Path downloads;

    @BeforeEach
    void openBrowser() throws Exception {
        downloads = Files.createTempDirectory("compare-downloads");
        browser = HeadlessChromium.start(1400, 1800, downloads);
        // The compare table is rebuilt at each 2 s refresh while a job runs: a row found a moment ago may be gone.
        wait = new WebDriverWait(browser, Duration.ofSeconds(120));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The examples made small (as DashboardBrowserTest's form job is): depth 6, 300 samples, 3 epochs. */
    private static String small(String example, String name, int epochs) {
        ObjectNode spec = (ObjectNode) JSON.readTree(example);
        ((ObjectNode) spec.get("model")).put("depth", 6);
        ((ObjectNode) spec.get("dataset")).put("samples", 300);
        ((ObjectNode) spec.get("training")).put("epochs", epochs);
        spec.put("name", name);
        return JSON.writeValueAsString(spec);
    }

    @Test
    void compareAPlainAndABatchNormNetPickedOnTheJobsList() throws Exception {
        ApiClient api = new ApiClient(port);
        String plain = api.submit(small(SpecExamples.PLAIN, "small plain", 3));
        String batchNorm = api.submit(small(SpecExamples.BATCH_NORM, "small batch-norm", 3));
        JsonNode plainJob = api.awaitFinished(plain, Duration.ofSeconds(120));
        JsonNode batchNormJob = api.awaitFinished(batchNorm, Duration.ofSeconds(120));
        assertThat(plainJob.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(batchNormJob.get("status").asString()).isEqualTo("SUCCEEDED");

        // Pick both on the jobs list: one with the mouse, one from the keyboard.
        browser.get("http://localhost:" + port + "/");
        WebElement plainBox = wait.until(d -> d.findElement(By.id("select-" + plain)));
        WebElement batchNormBox = browser.findElement(By.id("select-" + batchNorm));
        WebElement compare = browser.findElement(By.id("compare-selected"));
        assertThat(compare.isEnabled()).isFalse();
        plainBox.click();
        assertThat(compare.isEnabled()).as("one job is not a comparison").isFalse();
        batchNormBox.sendKeys(Keys.SPACE);
        assertThat(batchNormBox.isSelected()).isTrue();
        assertThat(compare.isEnabled()).isTrue();
        assertThat(browser.findElement(By.cssSelector("label[for='select-" + batchNorm + "']"))
                        .getAttribute("textContent"))
                .isEqualTo("Select small batch-norm for comparison");
        // The list refreshes every 2 s: the ticks and the keyboard focus survive it.
        int refreshes = refreshCount();
        wait.until(d -> refreshCount() >= refreshes + 2);
        assertThat(browser.findElement(By.id("select-" + plain)).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("select-" + batchNorm)).isSelected())
                .isTrue();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("select-" + batchNorm);
        browser.findElement(By.id("compare-selected")).click();

        wait.until(d -> d.getCurrentUrl().endsWith("/compare.html?ids=" + plain + "," + batchNorm));
        awaitAllFinishedAndDrawn();
        List<WebElement> rows = browser.findElements(By.cssSelector("#compare-table tbody tr"));
        assertThat(rows).hasSize(2);
        assertRow(rows.get(0), plainJob, "small plain");
        assertRow(rows.get(1), batchNormJob, "small batch-norm");

        // Both overlays drew, on shared axes: the depth profile has a first and a last iteration per job.
        WebElement depth = browser.findElement(By.id("depth-chart"));
        assertThat(depth.getAttribute("data-series")).isEqualTo("4");
        assertThat(browser.findElement(By.id("loss-chart")).getAttribute("data-series"))
                .isEqualTo("2");
        assertThat(drawnPixels("#depth-chart")).isGreaterThan(100);
        assertThat(drawnPixels("#loss-chart")).isGreaterThan(100);
        // One Okabe–Ito colour per job, in table order.
        assertThat(pixelsOfColour("#depth-chart", OKABE_BLUE)).isGreaterThan(50);
        assertThat(pixelsOfColour("#depth-chart", OKABE_ORANGE)).isGreaterThan(50);
        assertThat(pixelsOfColour("#loss-chart", OKABE_ORANGE)).isGreaterThan(50);
        assertThat(depth.getAttribute("data-nonfinite-markers")).isEqualTo("0");

        // The key numbers under the charts, as text: per job, the first and last layer and the span in decades.
        String depthText = browser.findElement(By.id("depth-text")).getText();
        assertThat(depthText)
                .contains("small plain — it 1: dense1 ")
                .contains("small batch-norm — it 1: dense1 ")
                .contains("… output ")
                .contains("decades across layers");
        long lastIteration = plainJob.get("progress").get("totalIterations").asLong();
        assertThat(depthText).contains("it " + lastIteration + ": dense1 ");
        String lossText = browser.findElement(By.id("loss-text")).getText();
        assertThat(lossText)
                .contains("small plain: loss ")
                .contains("small batch-norm: loss ")
                .contains("at iteration " + lastIteration);
        // CSV of both overlays: one row per point drawn, a column per series, the recorded (not log10) values.
        String prefix = "gradlab-compare-" + plain.substring(0, 8) + "-" + batchNorm.substring(0, 8);
        browser.findElement(By.cssSelector("#depth-chart button[data-export=csv]"))
                .click();
        List<String> depthCsv = Files.readAllLines(downloaded(prefix + "-depth.csv"));
        assertThat(depthCsv.get(0))
                .startsWith("weight layer (input → output),small plain · it 1 (raw value; drawn as log10),")
                .contains(",small batch-norm · it " + lastIteration + " (raw value; drawn as log10)");
        assertThat(depthCsv).hasSize(Integer.parseInt(depth.getAttribute("data-drawn-points")) + 1);
        double dense1AtFirst = api.get("/api/v1/jobs/" + plain + "/curves/gradients")
                .json()
                .get("layers")
                .get(0)
                .get("norms")
                .get(0)
                .asDouble();
        assertThat(Double.parseDouble(depthCsv.get(1).split(",")[1])).isEqualTo(dense1AtFirst);
        browser.findElement(By.cssSelector("#loss-chart button[data-export=csv]"))
                .click();
        List<String> lossCsv = Files.readAllLines(downloaded(prefix + "-loss.csv"));
        assertThat(lossCsv.get(0)).startsWith("iteration,small plain,small batch-norm");
        assertThat(lossCsv)
                .hasSize(Integer.parseInt(
                                browser.findElement(By.id("loss-chart")).getAttribute("data-drawn-points"))
                        + 1);
        assertPageHealthy();

        // From a job page: [Compare] opens the comparison with that job; a recent job is added from the picker. It
        // is long (500 epochs) and still running: the page follows it until it ends (cancelled here).
        String running = api.submit(small(SpecExamples.PLAIN, "long plain", 500));
        browser.get("http://localhost:" + port + "/job.html?id=" + batchNorm);
        wait.until(d -> d.findElement(By.id("job-compare")).isDisplayed());
        browser.findElement(By.id("job-compare")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/compare.html?ids=" + batchNorm));
        awaitAllFinishedAndDrawn();
        assertThat(browser.findElement(By.id("add-hint")).getText()).isEqualTo("Add at least one more job to compare.");
        Select recent = new Select(browser.findElement(By.id("recent-jobs")));
        wait.until(d -> recent.getOptions().size() >= 3);
        recent.selectByValue(running);
        browser.findElement(By.id("add-recent")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/compare.html?ids=" + batchNorm + "," + running));
        By runningRow = By.cssSelector("tr[data-job-id='" + running + "']");
        wait.until(d -> "RUNNING".equals(d.findElement(runningRow).getAttribute("data-status"))
                && "4".equals(d.findElement(By.id("depth-chart")).getAttribute("data-series")));
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live"))
                .isEqualTo("polling");
        assertThat(browser.findElement(By.id("compare-live")).getText()).contains("refreshed every 2 s");
        double progress = progressOf(running);
        // Live: the progress moves on between polls.
        wait.until(d -> progressOf(running) > progress);
        assertThat(api.post("/api/v1/jobs/" + running + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        awaitAllFinishedAndDrawn();
        assertThat(browser.findElement(runningRow).getAttribute("data-status")).isEqualTo("CANCELLED");
        assertThat(browser.findElement(runningRow)
                        .findElements(By.tagName("td"))
                        .get(1)
                        .getText())
                .isEqualTo("CANCELLED");
        assertThat(browser.findElement(By.id("compare-live")).getText()).isEmpty();
        assertPageHealthy();
    }

    @Test
    void unknownIdsShowTheirProblemAndTheAddressFollowsEdits() {
        // An unknown job and a malformed id: each row shows the API's problem; more than 8 ids: a clear message.
        StringBuilder ids = new StringBuilder(UNKNOWN + ",not-a-uuid");
        for (int i = 1; i <= 7; i++) {
            ids.append(",00000000-0000-0000-0000-00000000000").append(i);
        }
        browser.get("http://localhost:" + port + "/compare.html?ids=" + ids);
        wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-drawn") != null);
        WebElement message = browser.findElement(By.id("compare-message"));
        assertThat(message.isDisplayed()).isTrue();
        assertThat(message.getText())
                .isEqualTo("The address lists 9 jobs; Compare shows at most 8, so only the first 8 are here.");
        List<WebElement> rows = browser.findElements(By.cssSelector("#compare-table tbody tr"));
        assertThat(rows).hasSize(8);
        assertThat(rows.get(0).getText())
                .startsWith(UNKNOWN)
                .contains("404 Not Found: ")
                .contains("(job-not-found)");
        assertThat(rows.get(1).getText()).startsWith("not-a-uuid").contains("400 Bad Request: ");
        assertThat(browser.findElement(By.id("add-id-button")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("compare-charts")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("depth-chart")).getAttribute("data-series"))
                .isEqualTo("0");

        // Remove one (keyboard): the address drops it and the too-many message goes; adding by id puts one back.
        WebElement remove = rows.get(1).findElement(By.cssSelector("button.remove-job"));
        assertThat(remove.getAttribute("aria-label")).isEqualTo("Remove not-a-uuid from the comparison");
        remove.sendKeys(Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().contains("not-a-uuid"));
        wait.until(
                d -> d.findElements(By.cssSelector("#compare-table tbody tr")).size() == 7);
        assertThat(browser.getCurrentUrl()).contains("/compare.html?ids=" + UNKNOWN + ",");
        assertThat(browser.findElement(By.id("compare-message")).isDisplayed()).isFalse();
        WebElement input = browser.findElement(By.id("add-id"));
        input.sendKeys("00000000-0000-0000-0000-000000000009", Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().endsWith(",00000000-0000-0000-0000-000000000009"));
        wait.until(
                d -> d.findElements(By.cssSelector("#compare-table tbody tr")).size() == 8);
        assertThat(browser.findElement(By.id("add-hint")).getText()).startsWith("8 jobs: the most Compare shows.");
        // The failed fetches are in the browser's log (expected: 404 and 400); the page itself recorded no error.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .anySatisfy(entry -> assertThat(entry.getMessage()).contains("404"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-js-errors"))
                .isEqualTo("[]");
    }

    private void assertRow(WebElement row, JsonNode job, String name) {
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(0).findElement(By.tagName("a")).getText()).isEqualTo(name);
        assertThat(cells.get(1).getText()).isEqualTo(job.get("status").asString());
        JsonNode ratio = job.get("result").get("gradientRatio");
        // "2.1 × 10⁻¹² (11.7 decades)": the decades are |log10| of the ratio the API reports.
        for (String field : List.of("start", "end")) {
            String decades = String.format(
                    Locale.ROOT,
                    "(%.1f decades)",
                    Math.abs(Math.log10(ratio.get(field).asDouble())));
            long iteration = ratio.get(field + "Iteration").asLong();
            assertThat(cells.get(field.equals("start") ? 3 : 4).getText())
                    .as(name + " ratio at " + field)
                    .contains(decades)
                    .contains("dense1 / dense6, it " + iteration);
        }
        assertThat(cells.get(6).getText())
                .isEqualTo(String.format(
                        Locale.ROOT,
                        "%.3f",
                        job.get("result").get("trainAccuracy").asDouble()));
    }

    /** The downloaded file, once Chromium has finished writing it. */
    private Path downloaded(String name) {
        Path file = downloads.resolve(name);
        wait.until(d -> Files.isRegularFile(file)
                && !Files.exists(downloads.resolve(name + ".crdownload"))
                && file.toFile().length() > 0);
        return file;
    }

    private void awaitAllFinishedAndDrawn() {
        wait.until(d -> "done".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
    }

    /** The progress bar's value in a job's row, read in one step (the row may be rebuilt at any moment). */
    private double progressOf(String id) {
        Object value = ((JavascriptExecutor) browser)
                .executeScript(
                        "const bar = document.querySelector(`tr[data-job-id='${arguments[0]}'] progress`);"
                                + " return bar ? bar.value : -1;",
                        id);
        return ((Number) value).doubleValue();
    }

    private int refreshCount() {
        String count = browser.findElement(By.cssSelector("#jobs tbody")).getAttribute("data-refreshes");
        return count == null ? 0 : Integer.parseInt(count);
    }

    private long drawnPixels(String container) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(DashboardBrowserTest.DRAWN_PIXELS, container))
                .longValue();
    }

    private long pixelsOfColour(String container, List<Integer> rgb) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(PIXELS_OF_COLOUR, container, rgb)).longValue();
    }

    private void assertPageHealthy() {
        HeadlessChromium.assertPageHealthy(browser);
    }
}
