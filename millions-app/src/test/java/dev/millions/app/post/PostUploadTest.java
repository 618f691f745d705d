package dev.millions.app.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

class PostUploadTest extends AppTestBase {

    @Test
    void uploadPng_storesThePhoto_andServesItAsImmutable() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        byte[] png = ApiClient.png(120, 80);

        Response created = alice.postPhoto("sunset", png, "sunset.png");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("caption").asText()).isEqualTo("sunset");
        assertThat(created.json().path("contentType").asText()).isEqualTo("image/png");
        assertThat(created.json().path("width").asInt()).isEqualTo(120);
        assertThat(created.json().path("height").asInt()).isEqualTo(80);
        assertThat(created.json().path("author").path("username").asText()).isEqualTo("alice");
        String imageUrl = created.json().path("imageUrl").asText();
        assertThat(imageUrl).matches("/media/[0-9a-f]{64}\\.png");
        assertThat(alice.getBytes(imageUrl)).isEqualTo(png);
        assertThat(client().get(imageUrl).headers().firstValue("Cache-Control").orElse(""))
                .contains("max-age=31536000").contains("immutable");
        assertThat(client().get("/api/posts/" + created.json().path("id").asLong()).json().path("imageUrl").asText())
                .isEqualTo(imageUrl);
    }

    @Test
    void uploadJpeg_whateverItsFileNameSays_isSniffedAsJpeg() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");

        Response created = alice.postPhoto("", ApiClient.jpeg(64, 64), "not-really.gif");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(created.json().path("imageUrl").asText()).endsWith(".jpg");
    }

    @Test
    void textFileRenamedJpg_isUnsupportedMediaType_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.postPhoto("x", "just some text\n".getBytes(StandardCharsets.UTF_8), "photo.jpg");

        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.detail()).isEqualTo("unsupported image type (expected: JPEG, PNG or GIF)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void oversizeUpload_isPayloadTooLarge_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();
        byte[] big = Arrays.copyOf(ApiClient.png(10, 10), (int) MAX_UPLOAD_BYTES + 1024);

        Response refused = alice.postPhoto("big", big, "big.png");

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.detail()).isEqualTo("upload too large (expected: an image of at most 65536 bytes)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void imageOverTheDimensionLimit_isRefusedFromItsHeader_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.postPhoto("huge", pngHeaderClaiming(100_000, 100_000), "huge.png");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.detail()).isEqualTo("image is 100000x100000 pixels (expected: at most 2000x2000)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void truncatedImage_isUnprocessable_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.postPhoto("cut", Arrays.copyOf(ApiClient.png(50, 50), 12), "cut.png");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.detail()).isEqualTo("image looks like PNG but its header cannot be read");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void captionOverTheLimit_isRefused_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.postPhoto("x".repeat(2201), ApiClient.png(10, 10), "p.png");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).isEqualTo("caption: 2201 characters (expected: at most 2200)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void captionWithNul_isRefused_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.postPhoto("a\0b", ApiClient.png(10, 10), "p.png");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).isEqualTo("caption: contains the NUL character (U+0000)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void eachPost_countsOnItsAuthorsProfile_andARefusedOneDoesNot() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = client().signUpAndLogIn("bob", "correct-horse");

        assertThat(alice.postPhoto("one", ApiClient.png(10, 10), "1.png").status()).isEqualTo(201);
        assertThat(alice.postPhoto("two", ApiClient.png(11, 10), "2.png").status()).isEqualTo(201);
        assertThat(alice.postPhoto("x".repeat(2201), ApiClient.png(12, 10), "3.png").status()).isEqualTo(400);
        assertThat(bob.postPhoto("three", ApiClient.png(13, 10), "4.png").status()).isEqualTo(201);

        assertThat(client().get("/api/users/alice").json().path("posts").asLong()).isEqualTo(2);
        assertThat(client().get("/api/users/bob").json().path("posts").asLong()).isEqualTo(1);
        assertThat(stored().get("posts")).isEqualTo(3);
    }

    @Test
    void sqlLookingCaption_isStoredVerbatim() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        String caption = "'; DELETE FROM posts WHERE '1'='1 -- \"quoted\" \\ 😀";

        Response created = alice.postPhoto(caption, ApiClient.png(10, 10), "p.png");

        assertThat(created.status()).isEqualTo(201);
        assertThat(client().get("/api/posts/" + created.json().path("id").asLong()).json().path("caption").asText())
                .isEqualTo(caption);
        assertThat(stored().get("posts")).isEqualTo(1);
    }

    @Test
    void upload_withoutLogin_isUnauthorized_andStoresNothing() {
        Map<String, Long> before = stored();

        Response refused = client().postPhoto("anon", ApiClient.png(10, 10), "p.png");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void upload_withoutImage_namesTheMissingPart() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");

        Response refused = alice.post("/api/posts", "multipart/form-data; boundary=b",
                                      "--b\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhi\r\n--b--\r\n"
                                              .getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).contains("image");
    }

    @Test
    void unknownPostAndUnknownMedia_areNotFound_andTraversalFindsNothing() {
        assertThat(client().get("/api/posts/999").detail()).isEqualTo("post 999 not found");
        assertThat(client().get("/media/" + "0".repeat(64) + ".png").status()).isEqualTo(404);
        assertThat(client().get("/media/..%2f..%2fetc%2fpasswd").status()).isIn(400, 404);
    }

    /** A PNG signature and IHDR chunk that claim a size, with no pixel data behind them. */
    private static byte[] pngHeaderClaiming(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width)
                                    .putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0)
                                    .put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4)
                         .put(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' })
                         .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
