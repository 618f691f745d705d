package dev.millions.app.feed;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.millions.app.post.PostRepository;

/**
 * The feed built when it is read (fan-out on read), or, with {@code millions.feed.fan-out} (set where
 * workers run), read from what the workers pushed to each follower (fan-out on write), with the
 * reader's own posts and the celebrities' merged in.
 */
@Configuration(proxyBeanMethods = false)
class FeedConfig {

    @Bean
    FeedSource feedSource(PostRepository posts, @Value("${millions.feed.fan-out:false}") boolean fanOut) {
        return fanOut ? posts::fannedOutFeed : posts::feed;
    }
}
