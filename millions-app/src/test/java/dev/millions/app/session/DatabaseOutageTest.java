package dev.millions.app.session;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.TestDatabase;
import dev.millions.postgres.PostgresServer;

/**
 * The app with a database of its own, which the test stops. Its context is closed afterwards, so that
 * its connection pool does not keep knocking on the dead server while other tests run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = "spring.datasource.hikari.connection-timeout=500")
@DirtiesContext
class DatabaseOutageTest {

    private static PostgresServer database;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        database = TestDatabase.startNew();
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @AfterAll
    static void stopDatabase() {
        database.stop();
    }

    @Test
    void databaseDown_answers503_toLoggedInAndAnonymousRequests_andTheNodeStaysLive() {
        String url = "http://127.0.0.1:" + port;
        ApiClient alice = new ApiClient(url).signUpAndLogIn("alice", "correct-horse");

        database.stop();

        // The logged-in request fails while its session (in the database here) is read, before any
        // controller runs.
        Response me = alice.get("/api/me");
        assertThat(me.status()).isEqualTo(503);
        assertThat(me.detail()).isEqualTo("session store unavailable; retry shortly");
        assertThat(me.headers().firstValue("Retry-After")).contains("1");
        Response profile = new ApiClient(url).get("/api/users/alice");
        assertThat(profile.status()).isEqualTo(503);
        assertThat(profile.detail()).isEqualTo("database unavailable; retry shortly");
        assertThat(new ApiClient(url).get("/health/readiness").status()).isEqualTo(503);
        assertThat(new ApiClient(url).get("/health/liveness").status()).isEqualTo(200);
    }
}
