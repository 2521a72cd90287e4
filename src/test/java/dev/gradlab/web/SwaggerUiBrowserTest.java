package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person's path through Swagger UI in a real (headless) Chromium: open the page, pick the batch-norm example on
 * POST /api/v1/jobs, execute it, and see 202 with the new job. Needs Debian's chromium and chromium-driver; CI
 * installs them, and there a missing browser fails the test instead of skipping it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SwaggerUiBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort
    int port;

    private WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must install chromium and chromium-driver (see .ci/run)");
        }
        Assumptions.assumeTrue(
                installed, "chromium/chromedriver not installed: apt-get install chromium chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1600",
                "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void submitTheBatchNormExampleFromSwaggerUi() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get("http://localhost:" + port + "/swagger-ui.html");
        WebElement operation = wait.until(d -> d.findElement(By.id("operations-Jobs-submit")));
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        wait.until(d -> operation.findElement(By.cssSelector(".try-out__btn"))).click();
        Select example = new Select(wait.until(d -> operation.findElement(By.cssSelector(".examples-select select"))));
        example.selectByValue("batchNorm");
        String body = operation
                .findElement(By.cssSelector("textarea.body-param__text"))
                .getAttribute("value");
        assertThat(body).contains("\"batchNorm\": true");
        operation.findElement(By.cssSelector("button.execute")).click();

        WebElement status = wait.until(
                d -> operation.findElement(By.cssSelector(".live-responses-table .response .response-col_status")));
        assertThat(status.getText().trim()).startsWith("202");
        String responseBody = operation
                .findElement(By.cssSelector(".live-responses-table .microlight"))
                .getText();
        assertThat(responseBody).contains("batch-norm 20-layer sigmoid").contains("\"status\"");

        // Stop the job (a minute of training) rather than leave it running under the next test classes.
        String id =
                JsonMapper.builder().build().readTree(responseBody).get("id").asString();
        assertThat(new ApiClient(port)
                        .post("/api/v1/jobs/" + id + "/cancel", null, null, null)
                        .status())
                .isEqualTo(200);
    }
}
