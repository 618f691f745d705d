package dev.millions.app.feed;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.post.Cursor;
import dev.millions.app.post.PageLimit;
import dev.millions.app.post.PostPage;
import dev.millions.app.post.PostRepository;
import dev.millions.app.session.LoggedInUser;

/**
 * The home feed, built when it is read (fan-out on read). A later stage moves to fan-out on write,
 * with a worker filling each follower's feed from a Kafka event.
 */
@RestController
class FeedController {

    private final PostRepository posts;

    FeedController(PostRepository posts) {
        this.posts = posts;
    }

    @GetMapping("/api/feed")
    PostPage feed(LoggedInUser me, @RequestParam(required = false) String cursor,
                  @RequestParam(defaultValue = "" + PageLimit.DEFAULT) int limit) {
        return posts.feed(me.id(), Cursor.decode(cursor), PageLimit.check(limit));
    }
}
