package dev.millions.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** The storing and freshness rules, on heads alone. */
class StoragePolicyTest {

    private static final StoragePolicy LENIENT = new StoragePolicy(false, 30, 600);

    @Test
    void httpDates_areReadInEachOfTheThreeFormats() {
        long imf = StoragePolicy.date("Sun, 06 Nov 1994 08:49:37 GMT", -1);

        assertThat(imf).isPositive();
        assertThat(StoragePolicy.date("Sunday, 06-Nov-94 08:49:37 GMT", -1)).isEqualTo(imf);
        assertThat(StoragePolicy.date("Sun Nov  6 08:49:37 1994", -1)).isEqualTo(imf);
        assertThat(StoragePolicy.date("yesterday", -1)).isEqualTo(-1);
    }

    @Test
    void varyListingAStar_isNeverStored() {
        StoragePolicy.Verdict verdict = LENIENT.judge(new DefaultHttpHeaders(), 200,
                head("cache-control", "max-age=60", "vary", "Accept, *"), System.currentTimeMillis());

        assertThat(verdict.storable()).isFalse();
        assertThat(verdict.refusal()).isEqualTo("Vary: *");
    }

    @Test
    void noCache_getsNoStaleWindowFromTheEdgesDefaults() {
        StoragePolicy.Verdict verdict = LENIENT.judge(new DefaultHttpHeaders(), 200,
                head("cache-control", "no-cache", "etag", "\"a\""), System.currentTimeMillis());

        assertThat(verdict.freshness().staleWhileRevalidateSeconds()).isZero();
        assertThat(verdict.freshness().staleIfErrorSeconds()).isZero();
    }

    @Test
    void releasedEntry_givesNoClientItsBody_evenIfTheBufferIsReused() {
        long now = System.currentTimeMillis();
        Entry entry = new Entry(CacheKey.of("h", "/x"), 200, head("cache-control", "max-age=60"),
                                Unpooled.directBuffer(4).writeInt(7), now, now,
                                new StoragePolicy.Freshness(60, 0, 0, false));

        entry.release();
        entry.release();

        assertThat(entry.retainedBody()).isNull();
        assertThat(entry.size()).isEqualTo(4);
    }

    private static HttpHeaders head(String... fields) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            headers.add(fields[i], fields[i + 1]);
        }
        return headers;
    }
}
