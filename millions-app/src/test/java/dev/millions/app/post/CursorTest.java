package dev.millions.app.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class CursorTest {

    @Test
    void encode_thenDecode_givesTheId() {
        assertThat(Cursor.decode(Cursor.encode(42))).isEqualTo(42);
        assertThat(Cursor.encode(42)).doesNotContain("42").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void noCursor_startsAtTheNewest() {
        assertThat(Cursor.decode(null)).isEqualTo(Long.MAX_VALUE);
        assertThat(Cursor.decode("")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void malformedCursors_areBadRequests() {
        for (String bad : new String[] { "%%%", "djE6", "djE6LTE", "djI6MTA", "bm90LWEtbnVtYmVy" }) {
            assertThatThrownBy(() -> Cursor.decode(bad)).as(bad).isInstanceOf(ErrorResponseException.class)
                                                        .hasMessageContaining("400");
        }
    }
}
