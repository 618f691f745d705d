package dev.millions.app.feed;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.post.Cursor;
import dev.millions.app.post.PageLimit;
import dev.millions.app.post.PostPage;
import dev.millions.app.post.PostRepository;
import dev.millions.app.session.LoggedInUser;

/**
 * The home feed: built when it is read (fan-out on read), or, with {@code millions.feed.fan-out} (set
 * where workers run), read from what the workers pushed to each follower (fan-out on write), with the
 * reader's own posts and the celebrities' merged in.
 */
@RestController
class FeedController {

    private final PostRepository posts;
    private final boolean fanOut;

    FeedController(PostRepository posts, @Value("${millions.feed.fan-out:false}") boolean fanOut) {
        this.posts = posts;
        this.fanOut = fanOut;
    }

    @GetMapping("/api/feed")
    PostPage feed(LoggedInUser me, @RequestParam(required = false) String cursor,
                  @RequestParam(defaultValue = "" + PageLimit.DEFAULT) int limit) {
        long before = Cursor.decode(cursor);
        int checked = PageLimit.check(limit);
        return fanOut ? posts.fannedOutFeed(me.id(), before, checked) : posts.feed(me.id(), before, checked);
    }
}
