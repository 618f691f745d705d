package dev.millions.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

/** The web UI as a CDN sees it: a page revalidated on each use, scripts and styles immutable under hashed names. */
class UiCachingTest extends AppTestBase {

    @Test
    void page_namesItsAssetsByContentHash_andIsRevalidatedOnEachUse() {
        Response page = client().get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache");
        assertThat(page.headers().firstValue("Surrogate-Key")).contains("ui");
        assertThat(page.body()).containsPattern("/app-[0-9a-f]{32}\\.js").containsPattern("/app-[0-9a-f]{32}\\.css");
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(client().get("/", "If-None-Match", etag).status()).isEqualTo(304);
    }

    @Test
    void versionedAsset_isImmutableForAYear() {
        Matcher script = Pattern.compile("/app-[0-9a-f]{32}\\.js").matcher(client().get("/").body());
        assertThat(script.find()).isTrue();

        Response asset = client().get(script.group());

        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control").orElseThrow())
                .contains("max-age=31536000").contains("public").contains("immutable");
        assertThat(asset.headers().firstValue("Surrogate-Key")).contains("ui");
        assertThat(client().get("/app-00000000000000000000000000000000.js").status()).isEqualTo(404);
    }
}
