package dev.millions.app.follow;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.session.LoggedInUser;
import dev.millions.app.user.User;
import dev.millions.app.user.UserRepository;
import dev.millions.app.web.Problems;

/** Follow and unfollow; both are idempotent, so a retried request changes nothing more. */
@RestController
class FollowController {

    private final UserRepository users;
    private final FollowRepository follows;

    FollowController(UserRepository users, FollowRepository follows) {
        this.users = users;
        this.follows = follows;
    }

    @PutMapping("/api/users/{username}/follow")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void follow(LoggedInUser me, @PathVariable String username) {
        User followee = users.require(username);
        if (followee.id() == me.id()) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "you cannot follow yourself");
        }
        follows.follow(me.id(), followee.id());
    }

    @DeleteMapping("/api/users/{username}/follow")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unfollow(LoggedInUser me, @PathVariable String username) {
        follows.unfollow(me.id(), users.require(username).id());
    }
}
