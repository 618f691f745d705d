package dev.millions.app.testing;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.millions.postgres.PostgresServer;

/**
 * The app on a random port against the shared real database, emptied before each test. Uploads are
 * limited to 64 KiB and 2000 x 2000 pixels so that the limits are cheap to cross. Metrics are on, as
 * in production, so that {@code /metrics} can be tested.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
public abstract class AppTestBase {

    protected static final long MAX_UPLOAD_BYTES = 64 * 1024;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresServer database = TestDatabase.get();
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registry.add("millions.media.max-bytes", () -> MAX_UPLOAD_BYTES + "B");
        registry.add("millions.media.max-width", () -> 2000);
        registry.add("millions.media.max-height", () -> 2000);
    }

    @BeforeEach
    void emptyTheDatabase() {
        jdbc.sql("TRUNCATE users, follows, posts, media, outbox, feed_entries, celebrities, thumbnails, applied_events, parked_events, spring_session, spring_session_attributes RESTART IDENTITY CASCADE")
            .update();
    }

    protected ApiClient client() {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** What is stored: row counts, photos included, to show that a refused request changed nothing. */
    protected Map<String, Long> stored() {
        return Map.of("users", count("users"), "follows", count("follows"), "posts", count("posts"),
                      "photos", count("media"));
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }
}
