package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's chromium and chromedriver for the browser tests, headless, with the browser's console log kept. Where
 * they are not installed the test is skipped, loudly — except in CI (CI=true), which must install them (.ci/run).
 */
final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    static WebDriver start(int width, int height) throws IOException {
        return start(width, height, null);
    }

    /** As {@link #start(int, int)}, saving downloads (a chart's CSV or PNG) in {@code downloads} without asking. */
    static WebDriver start(int width, int height, Path downloads) throws IOException {
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
                // Without these, chromium keeps calling out to hosts this closed network refuses.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("chromium"));
        if (downloads != null) {
            options.setExperimentalOption(
                    "prefs",
                    Map.of(
                            "download.default_directory",
                            downloads.toAbsolutePath().toString(),
                            "download.prompt_for_download",
                            false));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** Every form control on the page without a name a screen reader can read: a label, aria-label or text. */
    private static final String UNLABELLED_CONTROLS = """
            const missing = [];
            for (const c of document.querySelectorAll('input, select, textarea, button')) {
              if (c.type === 'hidden') continue;
              const named = (c.labels && c.labels.length > 0) || c.getAttribute('aria-label')
                  || c.getAttribute('aria-labelledby') || (c.tagName === 'BUTTON' && c.textContent.trim());
              if (!named) missing.push(c.outerHTML.slice(0, 120));
            }
            return missing;""";

    /**
     * The page is healthy: no error in the browser's console, none the page recorded itself (errors.js), and every
     * form control labelled (the dashboard must be usable with a screen reader and the keyboard).
     */
    static void assertPageHealthy(WebDriver browser) {
        List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertThat(severe).as("browser console errors").isEmpty();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-js-errors"))
                .as("errors the page recorded")
                .isEqualTo("[]");
        assertThat((List<?>) ((JavascriptExecutor) browser).executeScript(UNLABELLED_CONTROLS))
                .as("controls without a label on %s", browser.getCurrentUrl())
                .isEmpty();
    }
}
