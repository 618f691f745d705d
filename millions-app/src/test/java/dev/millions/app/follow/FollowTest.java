package dev.millions.app.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

class FollowTest extends AppTestBase {

    @Test
    void follow_showsInBothProfiles_andTwiceIsStillOnce() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = client().signUpAndLogIn("bob", "battery-staple");

        assertThat(bob.put("/api/users/alice/follow").status()).isEqualTo(204);
        assertThat(bob.put("/api/users/alice/follow").status()).isEqualTo(204);

        Response aliceSeenByBob = bob.get("/api/users/alice");
        assertThat(aliceSeenByBob.json().path("followers").asLong()).isEqualTo(1);
        assertThat(aliceSeenByBob.json().path("followedByMe").asBoolean()).isTrue();
        assertThat(alice.get("/api/users/bob").json().path("following").asLong()).isEqualTo(1);
        assertThat(alice.get("/api/users/bob").json().path("followedByMe").asBoolean()).isFalse();
    }

    @Test
    void unfollow_removesTheFollow_andTwiceIsHarmless() {
        client().signUpAndLogIn("alice", "correct-horse");
        ApiClient bob = client().signUpAndLogIn("bob", "battery-staple");
        bob.put("/api/users/alice/follow");

        assertThat(bob.delete("/api/users/alice/follow").status()).isEqualTo(204);
        assertThat(bob.delete("/api/users/alice/follow").status()).isEqualTo(204);

        assertThat(bob.get("/api/users/alice").json().path("followers").asLong()).isZero();
    }

    @Test
    void followYourself_isRefused_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.put("/api/users/alice/follow");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.detail()).isEqualTo("you cannot follow yourself");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void followUnknownUser_isNotFound_andStoresNothing() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        Map<String, Long> before = stored();

        Response refused = alice.put("/api/users/nobody/follow");

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.detail()).isEqualTo("user 'nobody' not found");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void follow_withoutLogin_isUnauthorized() {
        client().signUpAndLogIn("alice", "correct-horse");

        Response refused = client().put("/api/users/alice/follow");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.detail()).isEqualTo("not logged in");
    }
}
