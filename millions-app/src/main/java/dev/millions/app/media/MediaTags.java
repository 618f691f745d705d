package dev.millions.app.media;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.millions.app.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Tags each photo for the CDN with the posts that show it and their authors ({@code Surrogate-Key:
 * media post-42 user-7}), so deleting a post purges its photo by tag, and refuses a photo that no post
 * shows any more. Only an edge's miss reaches here, so the lookup (by an index) is rare; it reads the
 * primary, because a photo is asked for right after its post is written.
 */
@Component
public class MediaTags implements HandlerInterceptor {

    /** A post's tag: its photo's answers carry it. */
    public static String post(long id) {
        return "post-" + id;
    }

    static String user(long id) {
        return "user-" + id;
    }

    private final JdbcClient jdbc;

    MediaTags(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String path = request.getRequestURI();
        String name = path.substring(path.lastIndexOf('/') + 1);
        List<long[]> showing = jdbc.sql("SELECT id, author_id FROM posts WHERE image_name = ? ORDER BY id LIMIT 20")
                                   .param(name).query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }).list();
        if (showing.isEmpty()) {
            throw Problems.notFound("no post shows " + name);
        }
        Set<String> tags = new LinkedHashSet<>(List.of("media"));
        showing.forEach(post -> {
            tags.add(post(post[0]));
            tags.add(user(post[1]));
        });
        response.setHeader("Surrogate-Key", String.join(" ", tags));
        return true;
    }
}
