package io.vendorlink.spaces;

import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox.TokenKind;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The activation page in headless Chromium (issue 6, "Browser test"). Needs Debian {@code chromium} and
 * {@code chromium-driver} ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}); skipped when they are absent
 * ({@link SpacesActivationTest} covers the same page over plain HTTP).
 */
class SpacesActivationPageBrowserTest {
    private static final File CHROMIUM = new File(System.getProperty("vendorlink.test.chromium", "/usr/bin/chromium"));
    private static final File DRIVER = new File(System.getProperty("vendorlink.test.chromedriver", "/usr/bin/chromedriver"));
    private static TestRuntime rt;
    private static WebDriver browser;
    private static java.nio.file.Path browserTmp;

    @BeforeAll
    static void boot() throws java.io.IOException {
        Assumptions.assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(), "chromium and chromium-driver are not installed");
        rt = SpacesTestSupport.runtime().property("vendorlink.spaces.firehose.enabled", "false").start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        // An explicit driver: Selenium Manager must never try to download one.
        // The browser's own temporary files (its profile's singleton socket folder, which it does not remove) go to a
        // folder of this test, deleted afterwards, instead of /tmp. Directly under java.io.tmpdir, not in the deeper
        // TestDirs root: the socket's path must stay under the 107 characters of a Unix socket address.
        browserTmp = java.nio.file.Files.createTempDirectory("vl-browser");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort()
                .withEnvironment(java.util.Map.of("TMPDIR", browserTmp.toString())).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (rt != null) {
            rt.close();
        }
        if (browserTmp != null) {
            io.vendorlink.core.FileTrees.delete(browserTmp);
        }
    }

    private static void paste(String token) {
        browser.get("http://127.0.0.1:" + rt.ingressPort() + "/spaces/activate");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("appDashboardUrl")).sendKeys("https://partner.example/dashboard");
        browser.findElement(By.id("activate")).click();
        // The click submits the form; the answer page loads after click() returns, so wait for it (bounded) rather
        // than looking up its elements on the form page.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !browser.findElements(By.id("outcome-title")).isEmpty());
    }

    @Test
    void aGoodTokenShowsSuccessWithTheApiKeyHidden() {
        SpacesSandbox sandbox = SpacesTestSupport.sandbox(rt);
        paste(sandbox.mint(TokenKind.GOOD));
        assertThat(browser.findElement(By.id("outcome-title")).getText()).isEqualTo("Activated");
        assertThat(browser.findElement(By.id("claim-customer")).getText()).isEqualTo("Trigue");
        assertThat(browser.findElement(By.id("claim-app")).getText()).startsWith("app-");
        String apiKey = rt.core().stateStore().getSecret("spaces", "apiKey").orElseThrow();
        assertThat(browser.getPageSource()).doesNotContain(apiKey);
    }

    @Test
    void anExpiredTokenShowsTheExpiryMessage() {
        paste(SpacesTestSupport.sandbox(rt).mint(TokenKind.EXPIRED));
        assertThat(browser.findElement(By.id("outcome-title")).getText()).isEqualTo("Expired token");
        assertThat(browser.findElement(By.id("outcome-message")).getText()).contains("expired at", "new activation token");
        assertThat(browser.findElement(By.id("claim-expiry")).getText()).isNotBlank();
    }
}
