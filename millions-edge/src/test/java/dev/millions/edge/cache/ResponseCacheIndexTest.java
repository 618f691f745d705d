package dev.millions.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** The memory tier's indexes (vary names by URL, keys by tag) shrink with it: evictions and purges leave nothing behind. */
class ResponseCacheIndexTest {

    private static final StoragePolicy.Freshness FRESH = new StoragePolicy.Freshness(60, 0, 0, false);

    @Test
    void indexes_holdOnlyWhatIsStored_afterEvictionsAndPurges() {
        try (ResponseCache cache = new ResponseCache(1L << 20, System::currentTimeMillis)) {
            for (int i = 0; i < 5_000; i++) {
                store(cache, "/object/" + i, "tag-" + i);
            }

            assertThat(cache.metrics().evictions.sum()).isPositive();
            assertThat(cache.indexedUrls()).isLessThanOrEqualTo((int) cache.count() + 1);
            assertThat(cache.indexedTags()).isLessThanOrEqualTo((int) cache.count() + 1);

            cache.purgePrefix("/object/", false);

            assertThat(cache.count()).isZero();
            assertThat(cache.indexedUrls()).isZero();
            assertThat(cache.indexedTags()).isZero();
        }
    }

    private static void store(ResponseCache cache, String target, String tag) {
        HttpHeaders headers = new DefaultHttpHeaders().set("cache-control", "max-age=60").set("surrogate-key", tag);
        long now = System.currentTimeMillis();
        cache.store(new Entry(CacheKey.of("edge", target), 200, headers, Unpooled.directBuffer(1024).writeZero(1024),
                              now, now, FRESH), List.of());
    }
}
