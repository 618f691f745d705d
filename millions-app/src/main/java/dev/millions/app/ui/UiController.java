package dev.millions.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.resource.ResourceUrlProvider;
import org.springframework.web.util.HtmlUtils;

import dev.millions.app.cdn.CdnEdges;

/**
 * The web UI's one page, with its scripts and styles named by their content hash. The page itself is
 * small and names the current assets, so it is revalidated on every use ({@code no-cache} with an
 * {@code ETag}): a CDN keeps it and asks the origin with {@code If-None-Match}, which answers 304 until a
 * deploy changes it. Behind a CDN, the page names the origin ({@code <meta name="millions-origin">}) that
 * the script asks for a photo the CDN failed to serve. Where workers make thumbnails
 * ({@code millions.ui.thumbnail-width}), the page names the width it shows, and the script shows that
 * thumbnail, or the photo itself until the thumbnail is made.
 */
@RestController
class UiController {

    private final ResourceUrlProvider assets;
    private final CdnEdges edges;
    private final int thumbnailWidth;
    private volatile Page page;

    UiController(ResourceUrlProvider assets, CdnEdges edges, @Value("${millions.ui.thumbnail-width:0}") int thumbnailWidth) {
        this.assets = assets;
        this.edges = edges;
        this.thumbnailWidth = thumbnailWidth;
    }

    @GetMapping(path = { "/", "/index.html" }, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(WebRequest request) {
        Page current = page();
        if (request.checkNotModified(current.etag())) {
            return null;
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noCache().cachePublic()).eTag(current.etag())
                             .contentType(MediaType.TEXT_HTML).body(current.html());
    }

    /**
     * The page with the assets' versioned names and the origin that photos fall back to; made on first
     * use, when the asset chain is ready, and again when a CDN edge names another origin.
     */
    private Page page() {
        Page made = page;
        String origin = edges.origin().orElse("");
        if (made == null || !made.origin().equals(origin)) {
            String html = template().replace("<meta name=\"millions-origin\" content=\"\">",
                                             "<meta name=\"millions-origin\" content=\"" + HtmlUtils.htmlEscape(origin) + "\">")
                                 .replace("<meta name=\"millions-thumbnail-width\" content=\"\">",
                                          "<meta name=\"millions-thumbnail-width\" content=\"" + thumbnailWidth + "\">");
            for (String asset : new String[] { "/app.css", "/app.js" }) {
                String versioned = assets.getForLookupPath(asset);
                html = html.replace('"' + asset + '"', '"' + (versioned == null ? asset : versioned) + '"');
            }
            made = new Page(html, '"' + sha256(html).substring(0, 16) + '"', origin);
            page = made;
        }
        return made;
    }

    private static String template() {
        try (InputStream in = new ClassPathResource("static/index.html").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the web UI's page is missing from the jar", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private record Page(String html, String etag, String origin) {}
}
