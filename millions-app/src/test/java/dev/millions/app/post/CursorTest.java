package dev.millions.app.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.ErrorResponseException;

class CursorTest {

    @ParameterizedTest
    @ValueSource(longs = { 1, 42, 1L << 40, Long.MAX_VALUE - 1 })
    void encode_thenDecode_givesTheId(long id) {
        assertThat(Cursor.decode(Cursor.encode(id))).isEqualTo(id);
    }

    @Test
    void encode_isOpaqueAndUrlSafe() {
        assertThat(Cursor.encode(42)).doesNotContain("42").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void noCursor_startsAtTheNewest() {
        assertThat(Cursor.decode(null)).isEqualTo(Long.MAX_VALUE);
        assertThat(Cursor.decode("")).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "%%%", "v1:5", "not base64!" })
    void cursorThatIsNotBase64Url_isABadRequest(String cursor) {
        assertMalformed(cursor);
    }

    @ParameterizedTest
    @ValueSource(strings = { "v1:", "v1:-1", "v1:0", "v2:10", "v1:ten", "v1:99999999999999999999", "42" })
    void cursorOfAnotherShape_isABadRequest(String decoded) {
        assertMalformed(Base64.getUrlEncoder().withoutPadding()
                              .encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertMalformed(String cursor) {
        assertThatThrownBy(() -> Cursor.decode(cursor)).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            assertThat(e.getBody().getDetail())
                    .isEqualTo("cursor: malformed (expected: the nextCursor of an earlier page)");
        });
    }
}
