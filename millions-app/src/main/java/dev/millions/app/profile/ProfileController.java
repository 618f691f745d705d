package dev.millions.app.profile;

import java.util.Optional;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.cache.ReadCache;
import dev.millions.app.post.PostRepository;
import dev.millions.app.session.LoggedInUser;
import dev.millions.app.user.User;
import dev.millions.app.user.UserRepository;
import dev.millions.app.user.UserRepository.Counts;

/**
 * A user's page, put together from what the user and post features keep: who they are, their follow
 * counts, their post count, and whether the viewer follows them.
 */
@RestController
class ProfileController {

    private final UserRepository users;
    private final PostRepository posts;
    private final ReadCache cache;

    ProfileController(UserRepository users, PostRepository posts, ReadCache cache) {
        this.users = users;
        this.posts = posts;
        this.cache = cache;
    }

    @GetMapping("/api/users/{username}")
    Profile profile(@PathVariable String username, Optional<LoggedInUser> viewer) {
        User user = users.require(username);
        Boolean followedByViewer = viewer.map(me -> users.isFollowing(me.id(), user.id())).orElse(null);
        // Cached, the counts come from entries that only their own changes invalidate; without a cache,
        // from one query.
        Counts counts = cache.active()
                        ? new Counts(users.followCounts(user.id()), posts.postCount(user.id()))
                        : users.countsWithPosts(user.id());
        return new Profile(user.id(), user.username(), user.displayName(), user.createdAt(),
                           counts.follows().followers(), counts.follows().following(), counts.posts(),
                           followedByViewer);
    }
}
