package dev.millions.app.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.millions.app.testing.ApiClient;
import dev.millions.app.testing.ApiClient.Response;
import dev.millions.app.testing.AppTestBase;

class SignUpAndSessionTest extends AppTestBase {

    @Test
    void signUp_returnsTheUser_andStoresOnlyAnArgon2Hash() {
        Response created = client().postJson("/api/users", """
                {"username":"alice","password":"correct-horse","displayName":"Alice"}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("username").asText()).isEqualTo("alice");
        assertThat(created.json().path("displayName").asText()).isEqualTo("Alice");
        assertThat(created.body()).doesNotContain("correct-horse").doesNotContain("password");
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE username = 'alice'").query(String.class).single();
        assertThat(hash).startsWith("$argon2id$").doesNotContain("correct-horse");
    }

    @Test
    void signUp_withTakenUsername_returnsConflict() {
        client().signUpAndLogIn("alice", "correct-horse");

        Response again = client().postJson("/api/users", """
                {"username":"alice","password":"another-one","displayName":"Imposter"}""");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.detail()).isEqualTo("username 'alice' is taken");
    }

    @Test
    void signUp_withInvalidFields_listsEveryFieldError_andStoresNothing() {
        Map<String, Long> before = stored();

        Response refused = client().postJson("/api/users", """
                {"username":"A b","password":"short","displayName":""}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.detail()).isEqualTo("displayName: is required; password: must be 8 to 128 characters; "
                                               + "username: must be 3 to 30 of a-z, 0-9 and _");
        assertThat(refused.json().path("errors")).hasSize(3);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void signUp_withSqlLookingDisplayName_storesItVerbatim() {
        String sql = "Robert'); DROP TABLE users;--";
        Response created = client().postJson("/api/users", """
                {"username":"bobby","password":"correct-horse","displayName":"Robert'); DROP TABLE users;--"}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(client().get("/api/users/bobby").json().path("displayName").asText()).isEqualTo(sql);
    }

    @Test
    void signUp_withNulInDisplayName_isABadRequest_andStoresNothing() {
        Map<String, Long> before = stored();

        Response refused = client().postJson("/api/users", """
                {"username":"alice","password":"correct-horse","displayName":"Al\\u0000ice"}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).isEqualTo("displayName: must not contain the NUL character (U+0000)");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void signUp_withUnicodeDisplayName_storesItVerbatim() {
        String displayName = "Zoë 🌅 \u202Eevil\u202C 中文";

        Response created = client().postJson("/api/users", """
                {"username":"zoe","password":"correct-horse","displayName":"%s"}""".formatted(displayName));

        assertThat(created.status()).isEqualTo(201);
        assertThat(client().get("/api/users/zoe").json().path("displayName").asText()).isEqualTo(displayName);
    }

    @Test
    void logIn_thenMe_returnsTheUser_andLogOutEndsTheSession() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");

        assertThat(alice.get("/api/me").json().path("username").asText()).isEqualTo("alice");
        assertThat(alice.delete("/api/session").status()).isEqualTo(204);
        Response afterLogout = alice.get("/api/me");
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.detail()).isEqualTo("not logged in");
    }

    @Test
    void logIn_issuesANewSessionId_andTheOldOneIsWorthless() {
        ApiClient alice = client();
        alice.postJson("/api/users", """
                {"username":"alice","password":"correct-horse","displayName":"Alice"}""");
        alice.logIn("alice", "correct-horse");
        String first = alice.cookie("SESSION");

        alice.logIn("alice", "correct-horse");

        assertThat(alice.cookie("SESSION")).isNotNull().isNotEqualTo(first);
        ApiClient replay = client();
        replay.setCookie("SESSION", first);
        assertThat(replay.get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void wrongPassword_andUnknownUser_getTheSameAnswer() {
        client().signUpAndLogIn("alice", "correct-horse");

        Response wrongPassword = client().postJson("/api/session", """
                {"username":"alice","password":"wrong-horse"}""");
        Response unknownUser = client().postJson("/api/session", """
                {"username":"mallory","password":"wrong-horse"}""");

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(wrongPassword.json()).isEqualTo(unknownUser.json());
        assertThat(wrongPassword.detail()).isEqualTo("invalid username or password");
    }

    @Test
    void logIn_withANameNoUserCanHave_getsTheSameAnswerAsAWrongPassword() {
        client().signUpAndLogIn("alice", "correct-horse");
        Response wrongPassword = client().postJson("/api/session", """
                {"username":"alice","password":"wrong-horse"}""");

        Response nulInName = client().postJson("/api/session", """
                {"username":"al\\u0000ice","password":"wrong-horse"}""");
        Response upperCase = client().postJson("/api/session", """
                {"username":"ALICE","password":"correct-horse"}""");

        assertThat(nulInName.json()).isEqualTo(wrongPassword.json());
        assertThat(upperCase.json()).isEqualTo(wrongPassword.json());
    }

    @Test
    void forgedSessionCookie_isNotLoggedIn() {
        client().signUpAndLogIn("alice", "correct-horse");
        ApiClient forger = client();
        forger.setCookie("SESSION", "ZmFrZS1zZXNzaW9uLWlk");

        Response me = forger.get("/api/me");

        assertThat(me.status()).isEqualTo(401);
        assertThat(me.detail()).isEqualTo("not logged in");
        assertThat(forger.put("/api/users/alice/follow").status()).isEqualTo(401);
    }

    @Test
    void expiredSession_isNotLoggedIn() {
        ApiClient alice = client().signUpAndLogIn("alice", "correct-horse");
        jdbc.sql("UPDATE spring_session SET expiry_time = 0, last_access_time = 0").update();

        Response me = alice.get("/api/me");

        assertThat(me.status()).isEqualTo(401);
        assertThat(me.detail()).isEqualTo("not logged in");
    }

    @Test
    void profile_seenWithoutLogin_saysNothingOfFollowing() {
        client().signUpAndLogIn("alice", "correct-horse");

        Response profile = client().get("/api/users/alice");

        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.json().path("followers").asLong()).isZero();
        assertThat(profile.json().path("followedByMe").isNull()).isTrue();
    }

    @Test
    void profile_ofUnknownUser_isNotFound() {
        Response missing = client().get("/api/users/nobody");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.detail()).isEqualTo("user 'nobody' not found");
    }
}
