package dev.millions.app.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CacheKeyTest {

    private static final CacheSpec USER = new CacheSpec("user-by-name", Duration.ofMinutes(1), Duration.ofSeconds(5),
                                                        false);

    @Test
    void plainParts_areJoinedAfterTheCacheName() {
        assertThat(USER.key("alice_01", 42).redisKey()).isEqualTo("m:user-by-name:alice_01:42");
    }

    @Test
    void separatorsHashTagsAndControlCharacters_areEscaped() {
        String key = USER.key("a:b{tag}\r\n *?é").redisKey();

        assertThat(key).isEqualTo("m:user-by-name:a%3Ab%7Btag%7D%0D%0A%20%2A%3F%C3%A9");
        assertThat(key.substring("m:user-by-name:".length())).doesNotContain(":", "{", "}", " ", "\r", "\n");
    }

    @Test
    void hugeInput_givesABoundedKey_thatStillTellsInputsApart() {
        String first = USER.key("x".repeat(100_000)).redisKey();
        String second = USER.key("x".repeat(99_999) + "y").redisKey();

        assertThat(first).hasSizeLessThanOrEqualTo(CacheKey.MAX_LENGTH).startsWith("m:user-by-name:xxx");
        assertThat(second).hasSizeLessThanOrEqualTo(CacheKey.MAX_LENGTH).isNotEqualTo(first);
    }

    @Test
    void badSpec_isRefusedWithTheValue() {
        assertThatThrownBy(() -> new CacheSpec("Bad Name", Duration.ofMinutes(1), Duration.ofSeconds(1), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name: Bad Name");
        assertThatThrownBy(() -> new CacheSpec("ok", Duration.ZERO, Duration.ofSeconds(1), false))
                .hasMessage("ttl: PT0S (expected: > 0)");
    }
}
