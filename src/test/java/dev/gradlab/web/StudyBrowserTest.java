package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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

/**
 * The study page in headless Chromium: a tiny study's table (one row per variant, the API's figures formatted),
 * its profiles (one measured and one predicted line per variant, the legend's slopes equal to the API's), each
 * job's findings, polling while the study waits and stopping when it has finished, the job page's link back; and
 * the front page's preset buttons: one creates a study and opens its page (cancelled there), one too large for the
 * queue shows the 429 plainly. The queue holds 12 jobs here, so the 24-job depth-vs-cures preset never fits.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gradlab.jobs.queue-capacity=12")
@ActiveProfiles("test")
class StudyBrowserTest {

    private static final List<Integer> OKABE_BLUE = List.of(0, 114, 178);
    private static final List<Integer> OKABE_ORANGE = List.of(230, 159, 0);
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;
    private Path downloads;

    @BeforeEach
    void openBrowser() throws Exception {
        downloads = Files.createTempDirectory("study-downloads");
        browser = HeadlessChromium.start(1400, 2000, downloads);
        wait = new WebDriverWait(browser, Duration.ofSeconds(180));
        wait.ignoring(StaleElementReferenceException.class); // the table is rebuilt while the study runs
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aStudyPageShowsTheTableTheProfilesWithTheirPredictionsAndTheFindings() throws Exception {
        ApiClient api = new ApiClient(port);
        // A long job holds the one training thread, so the study is still QUEUED when its page opens: the page must
        // poll until it has finished.
        String blocker = api.submit("""
                {"name": "blocker", "model": {"depth": 6, "width": 32},
                 "dataset": {"samples": 2000}, "training": {"epochs": 1000}}""");
        api.awaitJob(blocker, j -> !j.get("status").asString().equals("QUEUED"), Duration.ofSeconds(60));
        ApiClient.Reply created = api.post("/api/v1/studies", """
                {"name": "depth study", "base": %s, "vary": {"model.depth": [2, 4]}, "repeats": 2,
                 "targetLoss": 0.5}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asString();

        browser.get("http://localhost:" + port + "/study.html?id=" + id);
        wait.until(d -> d.findElements(By.cssSelector("#variants tbody tr")).size() == 2
                && d.findElement(By.tagName("body")).getAttribute("data-live") != null);
        assertThat(browser.findElement(By.id("study-name")).getText()).isEqualTo("depth study");
        assertThat(browser.findElement(By.id("study-status")).getText()).isEqualTo("QUEUED");
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live"))
                .isEqualTo("polling");
        assertThat(browser.findElement(By.id("study-live")).getText()).contains("refreshed every 2 s");
        assertThat(browser.findElement(By.id("profile-key")).getText())
                .isEqualTo("The profiles are drawn once a repeat has completed.");
        assertThat(api.post("/api/v1/jobs/" + blocker + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
        JsonNode study = api.awaitStudy(id, Duration.ofSeconds(180));
        assertThat(study.get("status").asString()).isEqualTo("FINISHED");
        // The page sees it finish by itself and stops polling.
        wait.until(d -> "done".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        assertThat(browser.findElement(By.id("study-status")).getText()).isEqualTo("FINISHED");
        assertThat(browser.findElement(By.id("study-live")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("study-cancel")).isEnabled()).isFalse();
        JsonNode profiles =
                api.get("/api/v1/studies/" + id + "/profiles?at=first").json().get("variants");

        // The table: a row per variant, the varied value, links to its jobs, the API's figures formatted.
        List<WebElement> rows = browser.findElements(By.cssSelector("#variants tbody tr"));
        assertThat(rows).hasSize(2);
        for (int v = 0; v < 2; v++) {
            JsonNode variant = study.get("variants").get(v);
            WebElement row = rows.get(v);
            assertThat(cell(row, "model.depth").getText()).isEqualTo(v == 0 ? "2" : "4");
            List<String> links = row.findElements(By.cssSelector("td[data-field=jobs] a")).stream()
                    .map(a -> a.getAttribute("href"))
                    .toList();
            List<String> jobIds = new ArrayList<>();
            variant.get("jobs").forEach(j -> jobIds.add(j.get("id").asString()));
            assertThat(links)
                    .hasSize(2)
                    .allSatisfy(link -> assertThat(link).contains("/job.html?id="))
                    .anySatisfy(link -> assertThat(link).endsWith(jobIds.get(0)))
                    .anySatisfy(link -> assertThat(link).endsWith(jobIds.get(1)));
            assertThat(cell(row, "finalTestAccuracy").getText())
                    .isEqualTo(withRange(variant.get("finalTestAccuracy"), "%.3f"));
            assertThat(cell(row, "gradientRatioStart").getText())
                    .startsWith(scientific(
                            variant.get("gradientRatioStart").get("median").asDouble()));
            assertThat(cell(row, "diverged").getText()).isEqualTo("0 of 2");
            JsonNode slope = profiles.get(v).get("slope");
            assertThat(cell(row, "slope").getText())
                    .startsWith(slope(slope.get("median").asDouble()) + " dec/layer");
            JsonNode predicted = predicted(profiles.get(v), "chain-estimate");
            assertThat(cell(row, "predictedSlope").getText())
                    .startsWith(slope(predicted.get("median").asDouble()) + " dec/layer")
                    .endsWith("chain-estimate");
        }

        // The profiles: one measured and one predicted line per variant, in the first two Okabe–Ito colours.
        WebElement chart = browser.findElement(By.id("profile-chart"));
        assertThat(chart.getAttribute("data-measured")).isEqualTo("2");
        assertThat(chart.getAttribute("data-series")).isEqualTo("4");
        assertThat(pixelsOfColour("#profile-chart", OKABE_BLUE)).isGreaterThan(50);
        assertThat(pixelsOfColour("#profile-chart", OKABE_ORANGE)).isGreaterThan(50);
        // The legend names each variant by its values, with the API's measured and predicted slopes.
        for (int v = 0; v < 2; v++) {
            JsonNode p = profiles.get(v);
            String item = legend(v);
            assertThat(item)
                    .startsWith("v" + v + " depth=" + (v == 0 ? 2 : 4) + " — ")
                    .contains("measured " + slope(p.get("slope").get("median").asDouble()) + " dec/layer"
                            + slopeRange(p.get("slope")) + " (r² ")
                    .contains("predicted "
                            + slope(predicted(p, "chain-estimate").get("median").asDouble())
                            + slopeRange(predicted(p, "chain-estimate")) + " (chain-estimate)");
            if (p.get("r2").get("n").asInt() > 0) {
                assertThat(item)
                        .contains(String.format(
                                Locale.ROOT,
                                "(r² %.2f)",
                                p.get("r2").get("median").asDouble()));
            }
        }
        String key = browser.findElement(By.id("profile-key")).getText();
        assertThat(key).contains("v0 depth=2").contains("v1 depth=4").contains("dec/layer");
        // Each variant's notes (what the prediction leaves out), once.
        List<String> notes = new ArrayList<>();
        profiles.get(0).get("repeats").get(0).get("profile").get("notes").forEach(n -> notes.add(n.asString()));
        assertThat(notes).isNotEmpty();
        WebElement details = browser.findElement(By.cssSelector("#profile-legend li[data-variant='0'] details"));
        assertThat(details.findElement(By.tagName("summary")).getText())
                .isEqualTo("What the prediction leaves out (" + notes.size() + ")");
        details.findElement(By.tagName("summary")).click();
        assertThat(details.findElements(By.tagName("li")))
                .extracting(WebElement::getText)
                .containsAll(notes);

        // CSV of the chart: the norms (not their logarithms) at each position, one column per line drawn.
        browser.findElement(By.cssSelector("#profile-chart button[data-export=csv]"))
                .click();
        List<String> csv =
                Files.readAllLines(downloaded("gradlab-study-" + id.substring(0, 8) + "-profiles-first.csv"));
        assertThat(csv.get(0))
                .startsWith(
                        "dense layer (1 = next to the input … output),v0 depth=2 measured (raw value; drawn as log10),");
        assertThat(csv).hasSize(profiles.get(1).get("positions").size() + 1);
        double firstMedian = profiles.get(0).get("medianLog10Norms").get(0).asDouble();
        assertThat(Math.log10(Double.parseDouble(csv.get(1).split(",")[1]))).isCloseTo(firstMedian, within(1e-9));

        // The findings of each job, as its diagnosis has them.
        wait.until(d -> d.findElements(By.cssSelector("#variant-findings .job-findings ul.findings-list"))
                        .size()
                == 4);
        for (JsonNode variant : study.get("variants")) {
            for (JsonNode job : variant.get("jobs")) {
                String jobId = job.get("id").asString();
                List<String> codes = new ArrayList<>();
                api.get("/api/v1/jobs/" + jobId)
                        .json()
                        .get("diagnosis")
                        .forEach(f -> codes.add(f.get("code").asString()));
                assertThat(codes).isNotEmpty();
                List<String> shown = browser
                        .findElements(By.cssSelector(".job-findings[data-job-id='" + jobId + "'] li.finding strong"))
                        .stream()
                        .map(e -> e.getText().trim())
                        .toList();
                assertThat(shown).as("findings of " + jobId).isEqualTo(codes);
            }
        }
        assertThat(browser.findElement(By.cssSelector("#variant-findings .finding .finding-evidence"))
                        .getText())
                .contains("threshold");
        HeadlessChromium.assertPageHealthy(browser);

        // At the last iteration: the address follows, the legend shows that profile's slopes.
        new Select(browser.findElement(By.id("profile-at"))).selectByValue("last");
        wait.until(d -> d.getCurrentUrl().contains("at=last"));
        JsonNode last =
                api.get("/api/v1/studies/" + id + "/profiles?at=last").json().get("variants");
        String lastSlope =
                "measured " + slope(last.get(1).get("slope").get("median").asDouble()) + " dec/layer";
        wait.until(d -> legend(1).contains(lastSlope));
        assertThat(browser.findElement(By.id("profile-text")).getText()).contains("last recorded iteration");
        HeadlessChromium.assertPageHealthy(browser);

        // A study's job links back to its study.
        String jobId = study.get("variants").get(1).get("jobs").get(0).get("id").asString();
        browser.get("http://localhost:" + port + "/job.html?id=" + jobId);
        WebElement back = wait.until(d -> d.findElement(By.cssSelector("#job-study a")));
        wait.until(d -> back.isDisplayed());
        assertThat(back.getAttribute("href")).endsWith("/study.html?id=" + id);
        assertThat(browser.findElement(By.id("job-study")).getText())
                .startsWith("Variant 1 (depth=4), repeat 0 of its study");
        HeadlessChromium.assertPageHealthy(browser);
    }

    @Test
    void aPresetButtonCreatesAStudyAndOpensItsPageAndAFullQueueIsSaidPlainly() {
        ApiClient api = new ApiClient(port);
        browser.get("http://localhost:" + port + "/");
        // 24 jobs: more than this queue holds. Nothing is created and the page says why.
        long studiesBefore = api.get("/api/v1/studies").json().get("total").asLong();
        WebElement tooLarge =
                wait.until(d -> d.findElement(By.cssSelector("#presets button[data-preset='depth-vs-cures']")));
        tooLarge.click();
        WebElement problem = wait.until(d -> d.findElement(By.id("study-problem")));
        wait.until(d -> problem.isDisplayed());
        assertThat(problem.getText())
                .startsWith("The queue is full: the 24 jobs of \"Depth vs cures")
                .contains("nothing was created")
                .contains("429");
        assertThat(api.get("/api/v1/studies").json().get("total").asLong()).isEqualTo(studiesBefore);
        assertThat(browser.getCurrentUrl()).doesNotContain("study.html");
        // The refused POST is in the browser's log (expected, and read here so later checks see only new entries);
        // the page itself recorded no error.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .anySatisfy(entry -> assertThat(entry.getMessage()).contains("429"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-js-errors"))
                .isEqualTo("[]");

        // 8 jobs fit: one click creates the study and opens its page.
        browser.findElement(By.cssSelector("#presets button[data-preset='clipping']"))
                .click();
        wait.until(d -> d.getCurrentUrl().contains("/study.html?id="));
        String id = browser.getCurrentUrl().replaceAll(".*id=", "");
        JsonNode study = api.get("/api/v1/studies/" + id).json();
        assertThat(study.get("name").asString()).startsWith("gradient clipping on/off");
        wait.until(d -> d.findElements(By.cssSelector("#variants tbody tr")).size() == 4);
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live"))
                .isEqualTo("polling");
        // Cancelled from its page: the study and its jobs end CANCELLED, and the page stops polling.
        browser.findElement(By.id("study-cancel")).click();
        wait.until(d -> "done".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        assertThat(browser.findElement(By.id("study-status")).getText()).isEqualTo("CANCELLED");
        assertThat(api.get("/api/v1/studies/" + id).json().get("status").asString())
                .isEqualTo("CANCELLED");
        HeadlessChromium.assertPageHealthy(browser);

        // The front page lists it, linked to its page.
        browser.get("http://localhost:" + port + "/");
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("#studies tr[data-study-id='" + id + "']")));
        assertThat(row.findElement(By.tagName("a")).getAttribute("href")).endsWith("/study.html?id=" + id);
        assertThat(row.getAttribute("data-status")).isEqualTo("CANCELLED");
        HeadlessChromium.assertPageHealthy(browser);
    }

    private static WebElement cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("td[data-field='" + field + "']"));
    }

    /** A variant's line in the legend: its name, then its figures. */
    private String legend(int variant) {
        WebElement item = browser.findElement(By.cssSelector("#profile-legend li[data-variant='" + variant + "']"));
        return (item.findElement(By.tagName("strong")).getAttribute("textContent")
                        + item.findElement(By.className("legend-figures")).getAttribute("textContent"))
                .trim();
    }

    private static JsonNode predicted(JsonNode variantProfile, String method) {
        for (JsonNode p : variantProfile.get("predictedSlopes")) {
            if (p.get("method").asString().equals(method)) {
                return p.get("slope");
            }
        }
        throw new AssertionError("no " + method + " in " + variantProfile.get("predictedSlopes"));
    }

    /** As study.js writes a slope: a sign (a true minus) and two decimals. */
    private static String slope(double value) {
        String text = String.format(Locale.ROOT, "%.2f", Math.abs(value));
        return (value < 0 && !text.equals("0.00") ? "−" : "+") + text;
    }

    /** " [min – max]" of a slope over repeats that differ, else nothing. */
    private static String slopeRange(JsonNode statistic) {
        double min = statistic.get("min").asDouble();
        double max = statistic.get("max").asDouble();
        return statistic.get("n").asInt() > 1 && min != max ? " [" + slope(min) + " – " + slope(max) + "]" : "";
    }

    /** As api.js formatScientific: "1.2 × 10⁻⁵", or plain "8.1" between 1 and 10. */
    private static String scientific(double value) {
        int exponent = (int) Math.floor(Math.log10(Math.abs(value)));
        String mantissa = String.format(Locale.ROOT, "%.1f", value / Math.pow(10, exponent));
        if (Math.abs(Double.parseDouble(mantissa)) >= 10) {
            exponent += 1;
            mantissa = String.format(Locale.ROOT, "%.1f", value / Math.pow(10, exponent));
        }
        if (exponent == 0) {
            return mantissa;
        }
        StringBuilder power = new StringBuilder("10");
        for (char c : String.valueOf(exponent).toCharArray()) {
            power.append(c == '-' ? '⁻' : SUPERSCRIPTS.charAt(c - '0'));
        }
        return mantissa + " × " + power;
    }

    /** "median" and, when the repeats differ, "[min – max]" on the next line. */
    private static String withRange(JsonNode statistic, String format) {
        String median =
                String.format(Locale.ROOT, format, statistic.get("median").asDouble());
        double min = statistic.get("min").asDouble();
        double max = statistic.get("max").asDouble();
        if (statistic.get("n").asInt() > 1 && min != max) {
            return median + "\n[" + String.format(Locale.ROOT, format, min) + " – "
                    + String.format(Locale.ROOT, format, max) + "]";
        }
        return median;
    }

    private Path downloaded(String name) {
        Path file = downloads.resolve(name);
        wait.until(d -> Files.isRegularFile(file)
                && !Files.exists(downloads.resolve(name + ".crdownload"))
                && file.toFile().length() > 0);
        return file;
    }

    private long pixelsOfColour(String container, List<Integer> rgb) {
        return ((Number) ((JavascriptExecutor) browser)
                        .executeScript(CompareBrowserTest.PIXELS_OF_COLOUR, container, rgb))
                .longValue();
    }
}
