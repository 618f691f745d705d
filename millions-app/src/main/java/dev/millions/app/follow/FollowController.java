package dev.millions.app.follow;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.session.SessionUsers;
import dev.millions.app.user.User;
import dev.millions.app.user.UserRepository;
import dev.millions.app.web.Problems;
import jakarta.servlet.http.HttpServletRequest;

/** Follow and unfollow; both are idempotent, so a retried request changes nothing more. */
@RestController
class FollowController {

    private final UserRepository users;
    private final SessionUsers sessions;
    private final JdbcClient jdbc;

    FollowController(UserRepository users, SessionUsers sessions, JdbcClient jdbc) {
        this.users = users;
        this.sessions = sessions;
        this.jdbc = jdbc;
    }

    @PutMapping("/api/users/{username}/follow")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void follow(@PathVariable String username, HttpServletRequest request) {
        long follower = sessions.require(request);
        User followee = users.require(username);
        if (followee.id() == follower) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "you cannot follow yourself");
        }
        jdbc.sql("INSERT INTO follows (follower_id, followee_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(follower, followee.id()).update();
    }

    @DeleteMapping("/api/users/{username}/follow")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unfollow(@PathVariable String username, HttpServletRequest request) {
        long follower = sessions.require(request);
        User followee = users.require(username);
        jdbc.sql("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").params(follower, followee.id())
            .update();
    }
}
