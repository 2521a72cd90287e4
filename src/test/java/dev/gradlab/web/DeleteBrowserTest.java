package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The Delete buttons of the job and study pages in a real (headless) Chromium: the confirm can be declined (nothing
 * happens), accepted (the job or study is gone through the API and the page goes back to the list), a study's job
 * offers none (its study does), and no JavaScript error or failed request is left behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DeleteBrowserTest {

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = HeadlessChromium.start(1200, 900);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String page) {
        return "http://localhost:" + port + "/" + page;
    }

    private Alert confirm(String buttonId) {
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(By.id(buttonId)));
        button.click();
        return wait.until(ExpectedConditions.alertIsPresent());
    }

    /** Back on the list, which has been drawn once (tbody's refresh count), without the deleted job. */
    private void awaitTheList(String deletedJob) {
        wait.until(ExpectedConditions.urlToBe(url("")));
        wait.until(d -> d.findElement(By.cssSelector("#jobs tbody")).getAttribute("data-refreshes") != null);
        assertThat(browser.findElements(By.cssSelector("#jobs tbody tr[data-job-id='" + deletedJob + "']")))
                .isEmpty();
    }

    @Test
    void aJobIsDeletedFromItsPageOnceConfirmed() {
        ApiClient api = new ApiClient(port);
        String id = api.submit(JobApiIntegrationTest.TINY);
        api.awaitFinished(id, Duration.ofSeconds(60));
        browser.get(url("job.html?id=" + id));
        wait.until(d -> d.findElement(By.id("job-status")).getText().contains("SUCCEEDED"));
        long stored = api.get("/api/v1/jobs/" + id).json().get("storedBytes").asLong();
        assertThat(stored).isBetween(1_000L, 999_999L); // a tiny job: kB
        assertThat(browser.findElement(By.id("job-stored")).getText())
                .isEqualTo("· its measurements take "
                        + new java.math.BigDecimal(stored / 1000.0)
                                .round(new java.math.MathContext(3))
                                .stripTrailingZeros()
                                .toPlainString()
                        + " kB");

        Alert declined = confirm("job-delete");
        assertThat(declined.getText())
                .contains("Delete job \"tiny\" with its curves?")
                .contains("cannot be undone");
        declined.dismiss();
        assertThat(browser.getCurrentUrl()).isEqualTo(url("job.html?id=" + id));
        assertThat(api.get("/api/v1/jobs/" + id).status()).as("declined: kept").isEqualTo(200);

        confirm("job-delete").accept();
        awaitTheList(id);
        assertThat(api.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
        HeadlessChromium.assertPageHealthy(browser);
    }

    @Test
    void aStudyIsDeletedFromItsPageAndItsJobsOfferOnlyThat() {
        ApiClient api = new ApiClient(port);
        ApiClient.Reply created = api.post("/api/v1/studies", """
                {"name": "doomed study", "base": %s, "vary": {"model.depth": [2, 3]}, "repeats": 1}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        String study = created.json().get("id").asString();
        api.awaitStudy(study, Duration.ofSeconds(120));
        List<String> jobs = api.get("/api/v1/jobs?studyId=" + study)
                .json()
                .get("items")
                .valueStream()
                .map(j -> j.get("id").asString())
                .toList();

        browser.get(url("job.html?id=" + jobs.get(0)));
        wait.until(d -> !d.findElement(By.id("job-study")).getText().isEmpty());
        WebElement jobDelete = browser.findElement(By.id("job-delete"));
        assertThat(jobDelete.isEnabled())
                .as("a study's job goes with its study")
                .isFalse();
        assertThat(jobDelete.getAttribute("title")).contains("deleted with their study");

        browser.get(url("study.html?id=" + study));
        wait.until(d -> d.findElement(By.id("study-status")).getText().contains("FINISHED"));
        Alert alert = confirm("study-delete");
        assertThat(alert.getText()).contains("Delete study \"doomed study\" and its 2 jobs");
        alert.accept();
        awaitTheList(jobs.get(0));
        assertThat(api.get("/api/v1/studies/" + study).status()).isEqualTo(404);
        for (String job : jobs) {
            assertThat(api.get("/api/v1/jobs/" + job).status()).isEqualTo(404);
        }
        HeadlessChromium.assertPageHealthy(browser);
    }
}
