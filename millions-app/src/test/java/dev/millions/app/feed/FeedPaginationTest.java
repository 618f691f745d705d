package dev.millions.app.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

class FeedPaginationTest extends AppTestBase {

    @Test
    void feed_hasOwnAndFolloweesPosts_newestFirst_andNoStrangers() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = client().signUpAndLogIn("bob", "battery-staple");
        ApiClient carol = client().signUpAndLogIn("carol", "carol-password");
        post(alice, "alice 1");
        post(carol, "carol 1");
        post(bob, "bob 1");
        post(alice, "alice 2");
        bob.put("/api/users/alice/follow");

        assertThat(captions(bob, "/api/feed")).containsExactly("alice 2", "bob 1", "alice 1");
    }

    @Test
    void feed_walksEveryPostOnce_acrossPages_mergingAuthors() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = client().signUpAndLogIn("bob", "battery-staple");
        ApiClient carol = client().signUpAndLogIn("carol", "carol-password");
        bob.put("/api/users/alice/follow");
        for (int i = 1; i <= 7; i++) {
            post(i % 2 == 0 ? bob : alice, "post " + i);
            post(carol, "unfollowed " + i);
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = bob.get("/api/feed?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("caption").asText()));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(seen).containsExactly("post 7", "post 6", "post 5", "post 4", "post 3", "post 2", "post 1");
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void userPosts_arePaginatedToo_andNeedNoLogin() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        post(alice, "one");
        post(alice, "two");
        post(alice, "three");

        Response first = client().get("/api/users/alice/posts?limit=2");
        Response second = client().get("/api/users/alice/posts?limit=2&cursor="
                                       + first.json().path("nextCursor").asText());

        assertThat(first.json().path("items")).extracting(item -> item.path("caption").asText())
                                              .containsExactly("three", "two");
        assertThat(second.json().path("items")).extracting(item -> item.path("caption").asText())
                                               .containsExactly("one");
        assertThat(second.json().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void badLimitOrCursor_isABadRequest_withTheExpectedValues() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");

        assertThat(alice.get("/api/feed?limit=0").detail()).isEqualTo("limit: 0 (expected: 1..100)");
        assertThat(alice.get("/api/feed?limit=101").detail()).isEqualTo("limit: 101 (expected: 1..100)");
        assertThat(alice.get("/api/feed?limit=ten").detail()).isEqualTo("limit: 'ten' (expected: int)");
        Response badCursor = alice.get("/api/feed?cursor=not-a-cursor");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.detail()).isEqualTo("cursor: malformed (expected: the nextCursor of an earlier page)");
    }

    @Test
    void feed_withoutLogin_isUnauthorized() {
        Response refused = client().get("/api/feed");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.detail()).isEqualTo("not logged in");
    }

    @Test
    void postsOfUnknownUser_areNotFound() {
        assertThat(client().get("/api/users/nobody/posts").detail()).isEqualTo("user 'nobody' not found");
    }

    private static void post(ApiClient author, String caption) {
        assertThat(author.postPhoto(caption, ApiClient.png(8, 8), "p.png").status()).isEqualTo(201);
    }

    private static List<String> captions(ApiClient reader, String path) {
        List<String> captions = new ArrayList<>();
        for (JsonNode item : reader.get(path).json().path("items")) {
            captions.add(item.path("caption").asText());
        }
        return captions;
    }
}
