package dev.millions.app.post;

import java.io.IOException;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.millions.app.cdn.CdnPurger;
import dev.millions.app.media.ImageInspector;
import dev.millions.app.media.ImageInspector.InspectedImage;
import dev.millions.app.media.MediaStore;
import dev.millions.app.media.MediaTags;
import dev.millions.app.session.LoggedInUser;
import dev.millions.app.user.User;
import dev.millions.app.user.UserRepository;
import dev.millions.app.web.Problems;

@RestController
class PostController {

    private static final int MAX_CAPTION = 2200;

    private final PostRepository posts;
    private final UserRepository users;
    private final ImageInspector inspector;
    private final MediaStore media;
    private final CdnPurger purger;

    PostController(PostRepository posts, UserRepository users, ImageInspector inspector, MediaStore media,
                   CdnPurger purger) {
        this.purger = purger;
        this.posts = posts;
        this.users = users;
        this.inspector = inspector;
        this.media = media;
    }

    /**
     * Everything is checked before anything is stored; the photo is stored before the row that points
     * at it, so a post never names a missing file.
     */
    @PostMapping(path = "/api/posts", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Post create(LoggedInUser me, @RequestParam(name = "caption", defaultValue = "") String caption,
                @RequestPart("image") MultipartFile image) throws IOException {
        checkCaption(caption);
        // The account may be gone while its session lives on.
        User author = users.findById(me.id()).orElseThrow(() -> Problems.unauthorized("not logged in"));
        byte[] bytes = image.getBytes();
        InspectedImage inspected = inspector.inspect(bytes);
        String name = media.store(bytes, inspected.type());
        return posts.create(author, caption, name, inspected);
    }

    /**
     * Deletes one of the caller's posts, and purges its photo from every CDN edge by the post's tag. A
     * post of someone else's is refused; one that is not there (any more) is a 404.
     */
    @DeleteMapping("/api/posts/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(LoggedInUser me, @PathVariable long id) {
        Post post = posts.find(id).orElseThrow(() -> Problems.notFound("post " + id + " not found"));
        User author = users.findById(me.id()).orElseThrow(() -> Problems.unauthorized("not logged in"));
        if (!post.author().username().equals(author.username())) {
            throw Problems.of(HttpStatus.FORBIDDEN, "post " + id + " is " + post.author().username() + "'s, not yours");
        }
        if (!posts.delete(author.id(), id)) {
            throw Problems.notFound("post " + id + " not found");
        }
        purger.purgeTags(List.of(MediaTags.post(id)));
    }

    @GetMapping("/api/posts/{id}")
    Post post(@PathVariable long id) {
        return posts.find(id).orElseThrow(() -> Problems.notFound("post " + id + " not found"));
    }

    @GetMapping("/api/users/{username}/posts")
    PostPage byUser(@PathVariable String username, @RequestParam(required = false) String cursor,
                    @RequestParam(defaultValue = "" + PageLimit.DEFAULT) int limit) {
        long before = Cursor.decode(cursor);
        return posts.byAuthor(users.require(username).id(), before, PageLimit.check(limit));
    }

    private static void checkCaption(String caption) {
        if (caption.length() > MAX_CAPTION) {
            throw Problems.badRequest("caption: " + caption.length() + " characters (expected: at most "
                                      + MAX_CAPTION + ")");
        }
        // PostgreSQL text cannot hold U+0000; every other character is stored as sent.
        if (caption.indexOf('\0') >= 0) {
            throw Problems.badRequest("caption: contains the NUL character (U+0000)");
        }
    }
}
