package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's chromium, headless, driven by Playwright (package {@code chromium}, which {@code ./millions
 * test} installs when it runs as root; Playwright's own browser download is skipped, since this machine
 * reaches no site but Maven Central). Without it the test is skipped with the reason, unless
 * {@code MILLIONS_REQUIRE_BROWSER} is set, as CI sets it: there a missing browser fails the test.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    /** How long an action waits for its element: a cold JVM on a busy machine takes long to answer. */
    private static final double ACTION_TIMEOUT_MILLIS = 120_000;

    private final Playwright playwright;
    private final Browser browser;
    private final Page page;

    private HeadlessChromium(Playwright playwright, Browser browser, Page page) {
        this.playwright = playwright;
        this.browser = browser;
        this.page = page;
    }

    static HeadlessChromium start() {
        if (!Files.isExecutable(BROWSER)) {
            String missing = BROWSER + " is needed: apt-get install chromium";
            if (System.getenv("MILLIONS_REQUIRE_BROWSER") != null) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // No sandbox: CI runs as root, which chromium's sandbox refuses.
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(BROWSER)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 1000));
        page.setDefaultTimeout(ACTION_TIMEOUT_MILLIS);
        // A question the page asks before an action (confirm()) is answered yes, and one that asks for a
        // value (prompt()) with the value it proposes, as a person pressing OK would.
        page.onDialog(dialog -> dialog.accept(dialog.defaultValue()));
        return new HeadlessChromium(playwright, browser, page);
    }

    Page page() {
        return page;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
