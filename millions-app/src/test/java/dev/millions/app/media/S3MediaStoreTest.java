package dev.millions.app.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.millions.app.MillionsApplication;
import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.AppTestBase;
import dev.millions.app.testing.TestDatabase;
import dev.millions.app.testing.TestS3Server;
import dev.millions.common.process.Ports;
import dev.millions.postgres.PostgresServer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Photos in an S3-compatible bucket ({@code millions.media.store=s3}), against a real server of the
 * protocol on loopback: the app signs its requests, creates its bucket, and stores nothing in the
 * database but the post.
 */
@DirtiesContext
class S3MediaStoreTest extends AppTestBase {

    private static final String BUCKET = "millions-media";
    private static TestS3Server s3;

    @DynamicPropertySource
    static void bucket(DynamicPropertyRegistry registry) {
        s3 = TestS3Server.start();
        registry.add("millions.media.store", () -> "s3");
        registry.add("millions.media.s3.endpoint", () -> s3.endpoint().toString());
        registry.add("millions.media.s3.bucket", () -> BUCKET);
        registry.add("millions.media.s3.access-key", () -> TestS3Server.ACCESS_KEY);
        registry.add("millions.media.s3.secret-key", () -> TestS3Server.SECRET_KEY);
    }

    @AfterAll
    static void stopTheServer() {
        s3.close();
    }

    @Test
    void photo_isStoredInTheBucket_andServedFromIt() {
        byte[] png = ApiClient.png(64, 48);

        String imageUrl = client().signUpAndLogIn("alice", "correct-horse").postPhoto("s3", png, "s3.png")
                                  .json().path("imageUrl").asText();

        String name = imageUrl.substring("/media/".length());
        try (S3Client outside = s3.client()) {
            ResponseBytes<GetObjectResponse> object = outside.getObjectAsBytes(get -> get.bucket(BUCKET).key(name));
            assertThat(object.asByteArray()).isEqualTo(png);
            assertThat(object.response().contentType()).isEqualTo("image/png");
        }
        assertThat(stored()).containsEntry("posts", 1L).containsEntry("photos", 0L);
        assertThat(client().getBytes(imageUrl)).isEqualTo(png);
        assertThat(client().get("/media/" + "0".repeat(64) + ".png").status()).isEqualTo(404);
    }

    @Test
    void bucketThatCannotBeReached_failsTheStart_withTheEndpointAndTheCause() {
        PostgresServer database = TestDatabase.get();
        String nobody = "http://127.0.0.1:" + Ports.free("127.0.0.1");

        assertThatThrownBy(() -> new SpringApplicationBuilder(MillionsApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--millions.media.store=s3", "--millions.media.s3.endpoint=" + nobody,
                "--millions.media.s3.bucket=" + BUCKET, "--millions.media.s3.access-key=a",
                "--millions.media.s3.secret-key=b"))
                .hasStackTraceContaining("cannot use the media bucket '" + BUCKET + "' at " + nobody);
    }
}
