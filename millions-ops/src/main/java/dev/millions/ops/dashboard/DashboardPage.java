package dev.millions.ops.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The dashboard's one page: plain HTML, CSS and script, with no build step. */
final class DashboardPage {

    private static final String HTML = load();

    private DashboardPage() {}

    static String html() {
        return HTML;
    }

    private static String load() {
        try (InputStream in = DashboardPage.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard.html", e);
        }
    }
}
