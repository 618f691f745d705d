package dev.millions.app.feed;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.post.Cursor;
import dev.millions.app.post.PageLimit;
import dev.millions.app.post.PostPage;
import dev.millions.app.session.LoggedInUser;

/** The home feed, a page at a time, from its {@link FeedSource}. */
@RestController
class FeedController {

    private final FeedSource feed;

    FeedController(FeedSource feed) {
        this.feed = feed;
    }

    @GetMapping("/api/feed")
    PostPage feed(LoggedInUser me, @RequestParam(required = false) String cursor,
                  @RequestParam(defaultValue = "" + PageLimit.DEFAULT) int limit) {
        return feed.page(me.id(), Cursor.decode(cursor), PageLimit.check(limit));
    }
}
