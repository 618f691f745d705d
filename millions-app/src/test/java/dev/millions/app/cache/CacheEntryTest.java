package dev.millions.app.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CacheEntryTest {

    @Test
    void encodedEntry_decodesToTheSameFields() {
        CacheEntry entry = new CacheEntry(true, 1_700_000_000_123L, 42, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        CacheEntry decoded = CacheEntry.decode(entry.encode());

        assertThat(decoded.found()).isTrue();
        assertThat(decoded.expiresAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(decoded.computeMillis()).isEqualTo(42);
        assertThat(new String(decoded.json(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void bytesOfAnotherFormat_areRefused() {
        assertThatThrownBy(() -> CacheEntry.decode("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cache entry");
    }

    @Test
    void earlyRefresh_isRareFarFromExpiry_andCertainAfterIt() {
        CacheEntry entry = new CacheEntry(true, 100_000, 20, new byte[0]);

        assertThat(refreshShare(entry, 40_000)).isZero();
        assertThat(refreshShare(entry, 99_990)).isBetween(0.3, 0.9);
        assertThat(refreshShare(entry, 100_000)).isEqualTo(1.0);
    }

    @Test
    void earlyRefresh_startsSoonerForValuesThatAreSlowToCompute() {
        CacheEntry cheap = new CacheEntry(true, 100_000, 5, new byte[0]);
        CacheEntry costly = new CacheEntry(true, 100_000, 500, new byte[0]);

        assertThat(refreshShare(costly, 99_500)).isGreaterThan(refreshShare(cheap, 99_500));
    }

    private static double refreshShare(CacheEntry entry, long nowMillis) {
        SplittableRandom random = new SplittableRandom(7);
        int refreshes = 0;
        for (int i = 0; i < 10_000; i++) {
            refreshes += entry.refreshEarly(nowMillis, 1 - random.nextDouble()) ? 1 : 0;
        }
        return refreshes / 10_000.0;
    }
}
