package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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

    @LocalServerPort
    int port;

    private WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = HeadlessChromium.start(1280, 1600);
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
