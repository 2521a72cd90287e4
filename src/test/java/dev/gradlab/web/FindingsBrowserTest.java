package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The job page's Findings list in a real (headless) Chromium: a deep plain sigmoid net's page shows its
 * VANISHING_GRADIENT finding, critical, with its evidence and the batch-norm remedy as a spec change, taken from
 * the job's {@code diagnosis}; its Apply button submits the job's spec with that change as a new job. Skipped without
 * chromium, as {@link DashboardBrowserTest} is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class FindingsBrowserTest {

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = HeadlessChromium.start(1400, 1800);
        wait = new WebDriverWait(browser, Duration.ofSeconds(180));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aVanishingNetsPageListsTheFindingWithItsEvidenceAndRemedies() {
        ApiClient api = new ApiClient(port);
        String id = api.submit("""
                {"name": "findings page", "model": {"depth": 20, "width": 16, "activation": "sigmoid"},
                 "dataset": {"name": "gaussians", "samples": 300},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 4}}""");
        browser.get("http://localhost:" + port + "/job.html?id=" + id);
        WebElement section = wait.until(d -> d.findElement(By.id("findings")));
        // Once finished the list stops refreshing; the finding is then the final, judged one.
        api.awaitFinished(id, Duration.ofSeconds(180));
        wait.until(d -> section.isDisplayed()
                && section.getAttribute("data-codes") != null
                && section.getAttribute("data-codes").contains("VANISHING_GRADIENT")
                && section.findElement(By.id("findings-status")).getText().isEmpty());

        List<WebElement> items = browser.findElements(By.cssSelector("#findings-list > li.finding"));
        assertThat(items).isNotEmpty();
        WebElement first = items.get(0);
        assertThat(first.getAttribute("class")).contains("finding-critical");
        assertThat(first.getText())
                .contains("VANISHING_GRADIENT")
                .contains("dense1")
                .contains("threshold 1.0 × 10⁻³")
                .contains("model.batchNorm = true")
                .contains("model.residual = true");
        assertThat(first.findElements(By.cssSelector(".finding-remedies code")))
                .extracting(WebElement::getText)
                .contains("model.activation = \"relu\"", "model.weightInit = \"he\"");
        HeadlessChromium.assertPageHealthy(browser);

        // Apply a remedy: the job's spec with that change, submitted as a new job whose page opens.
        WebElement apply = first.findElement(
                By.cssSelector("button.apply-remedy[aria-label='Apply as a new job: model.batchNorm = true']"));
        apply.click();
        wait.until(d -> d.getCurrentUrl().contains("/job.html?id=")
                && !d.getCurrentUrl().endsWith(id));
        String created = browser.getCurrentUrl().replaceAll(".*id=", "");
        JsonNode original = api.get("/api/v1/jobs/" + id).json();
        JsonNode applied = api.get("/api/v1/jobs/" + created).json();
        assertThat(applied.get("name").asString()).isEqualTo("findings page + model.batchNorm = true");
        assertThat(applied.get("spec").get("model").get("batchNorm").asBoolean())
                .isTrue();
        ((ObjectNode) original.get("spec").get("model")).put("batchNorm", true);
        assertThat(applied.get("spec")).isEqualTo(original.get("spec"));
        api.post("/api/v1/jobs/" + created + "/cancel", null, null, null);
        HeadlessChromium.assertPageHealthy(browser);
    }
}
