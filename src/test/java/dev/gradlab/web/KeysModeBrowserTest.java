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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The dashboard in keys mode: the pages answer 401 from the API with a labelled "API key" field; with the key typed
 * the user sees their own jobs, and a running job's page follows its server-sent events (read with fetch, since an
 * EventSource cannot send the Authorization header) until the job ends, and deleting it from its page sends the key
 * too. The key never appears in an address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gradlab.security.mode=keys")
@ActiveProfiles("test")
class KeysModeBrowserTest {

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = HeadlessChromium.start(1400, 1200);
        wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theKeyTypedOnThePageShowsTheOwnersJobsAndFollowsOneLive() {
        ApiClient admin = new ApiClient(port).withKey(ApiClient.TEST_ADMIN_KEY);
        String key = admin.post("/api/v1/admin/keys", "{\"owner\": \"erin\"}")
                .json()
                .get("key")
                .asString();
        ApiClient erin = new ApiClient(port).withKey(key);
        String running = erin.submit(JobApiIntegrationTest.LONG);
        String others = admin.submit(JobApiIntegrationTest.TINY); // the admin's own: not in erin's list

        browser.get("http://localhost:" + port + "/");
        WebElement field = wait.until(d -> d.findElement(By.id("api-key")));
        assertThat(browser.findElement(By.cssSelector("label[for=api-key]")).getText())
                .isEqualTo("API key");
        assertThat(browser.findElement(By.id("api-key-message")).getText()).contains("requires an API key");

        field.sendKeys(key);
        browser.findElement(By.cssSelector("#api-key-form button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("jobs")).getText().contains("long"));
        WebElement jobs = browser.findElement(By.id("jobs"));
        // Before the key the browser logged the API's 401s (which the page answered with the field); nothing else.
        assertThat(severe()).isNotEmpty().allMatch(m -> m.contains("status of 401"));
        assertThat(browser.findElements(By.id("api-key-form"))).isEmpty();
        assertThat(browser.findElement(By.id("api-key-forget")).getText()).isEqualTo("Forget API key");
        assertThat(jobs.getText()).doesNotContain("tiny");

        browser.get("http://localhost:" + port + "/job.html?id=" + running);
        wait.until(d -> "RUNNING".equals(d.findElement(By.id("job-status")).getText()));
        wait.until(d -> "events".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        erin.post("/api/v1/jobs/" + running + "/cancel", null);
        // The cancel reaches the page through the stream (a poll would have set data-live to polling).
        wait.until(d -> "CANCELLED".equals(d.findElement(By.id("job-status")).getText()));
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-live"))
                .isEqualTo("events");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat((List<?>) js.executeScript("""
                        return performance.getEntriesByType('resource')
                            .filter(e => e.name.includes('/events')).map(e => e.initiatorType);""")).isNotEmpty().allMatch("fetch"::equals);
        assertThat((Long) js.executeScript(
                        "return performance.getEntriesByType('resource').filter(e => e.name.includes(arguments[0]))"
                                + ".length;",
                        key))
                .as("the key is never in an address")
                .isZero();
        HeadlessChromium.assertPageHealthy(browser);

        // Another owner's job: the API's 404, as for an id that does not exist.
        browser.get("http://localhost:" + port + "/job.html?id=" + others);
        WebElement problem = wait.until(d -> d.findElement(By.id("job-problem")));
        wait.until(d -> problem.isDisplayed());
        assertThat(problem.getText()).startsWith("404").contains("job-not-found");
        assertThat(severe()).allMatch(m -> m.contains("status of 404")); // read (and so cleared) here

        // Her own job, deleted from its page: the DELETE carries the key too, and the page goes back to the list.
        browser.get("http://localhost:" + port + "/job.html?id=" + running);
        wait.until(d -> "CANCELLED".equals(d.findElement(By.id("job-status")).getText()));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("job-delete"))).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.urlToBe("http://localhost:" + port + "/"));
        assertThat(erin.get("/api/v1/jobs/" + running).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/jobs/" + others).status()).isEqualTo(200);
        HeadlessChromium.assertPageHealthy(browser);
    }

    private List<String> severe() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }
}
