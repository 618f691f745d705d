package dev.millions.ops.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.bench.workload.PhotoAppClient;
import dev.millions.bench.workload.Reply;

/**
 * The queue drill's writers: users who follow each other, then post photos (each a new image) and
 * delete some of them, through the entry point, as the app's users do. Every acknowledged post and
 * deletion is kept, with when it was acknowledged; a request that fails is not acknowledged, and its
 * outcome is read from the database's truth later.
 */
final class QueueDrillLoad {

    private static final String PASSWORD = "drill-password";
    private static final int FOLLOWS_PER_USER = 5;
    private static final int DELETE_PERCENT = 15;

    private final PhotoAppClient client;
    private final String prefix;
    private final List<User> users = new ArrayList<>();
    private final Map<Long, Post> posts = new ConcurrentHashMap<>();
    private final Map<Long, String> authorNames = new ConcurrentHashMap<>();
    private final Set<Long> deletions = ConcurrentHashMap.newKeySet();
    private final Set<Long> poison = ConcurrentHashMap.newKeySet();
    private final AtomicLong failed = new AtomicLong();

    QueueDrillLoad(URI entry, String prefix) {
        this.client = new PhotoAppClient(entry, Duration.ofSeconds(10), 0);
        this.prefix = prefix;
    }

    /** Signs up {@code count} users, each following five others. */
    void setUp(int count, Random random) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            check(client.signUp(name, PASSWORD), "sign up " + name);
            Reply login = check(client.logIn(name, PASSWORD), "log in " + name);
            users.add(new User(name, login.sessionCookie()));
        }
        for (User user : users) {
            for (int i = 0; i < FOLLOWS_PER_USER; i++) {
                User followee = users.get(random.nextInt(users.size()));
                if (followee != user) {
                    check(client.follow(followee.name(), user.session()), user.name() + " follows " + followee.name());
                }
            }
        }
    }

    /** Posts photos whose pixels cannot be decoded (their headers are fine, so the app takes them). */
    void postPoison(int count, Random random) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            byte[] corrupt = png(random, 64, 64);
            Arrays.fill(corrupt, 41, corrupt.length - 12, (byte) 0x7f);
            User user = users.get(random.nextInt(users.size()));
            Reply reply = check(client.createPost("poison", corrupt, user.session()), "post a poison photo");
            poison.add(PhotoAppClient.parse(reply).path("id").asLong());
        }
    }

    /**
     * One writer's loop until {@code deadlineNanos}, a post every {@code intervalNanos} (an open loop, so
     * that a stall does not slow the load down), and now and then the deletion of one of its earlier posts
     * by its author.
     */
    void write(long deadlineNanos, long intervalNanos, Random random) throws InterruptedException {
        List<Post> mine = new ArrayList<>();
        Map<Long, User> authors = new HashMap<>();
        long next = System.nanoTime();
        while (next < deadlineNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next += intervalNanos;
            User user = users.get(random.nextInt(users.size()));
            try {
                Reply reply = client.createPost("drill", png(random, 400, 40), user.session());
                if (reply.status() == 201) {
                    JsonNode post = PhotoAppClient.parse(reply);
                    long id = post.path("id").asLong();
                    Post made = new Post(id, post.path("imageUrl").asText().replace("/media/", ""), System.nanoTime());
                    posts.put(id, made);
                    mine.add(made);
                    authors.put(id, user);
                    authorNames.put(id, user.name());
                } else {
                    failed.incrementAndGet();
                }
                if (!mine.isEmpty() && random.nextInt(100) < DELETE_PERCENT) {
                    long victim = mine.remove(random.nextInt(mine.size())).id();
                    if (client.deletePost(victim, authors.remove(victim).session()).status() == 204) {
                        deletions.add(victim);
                    }
                }
            } catch (IOException e) {
                failed.incrementAndGet();
                Thread.sleep(50);
            }
        }
    }

    Map<Long, Post> posts() {
        return posts;
    }

    /** The username of an acknowledged post's author. */
    String authorOf(long post) {
        return authorNames.get(post);
    }

    Set<Long> deletions() {
        return deletions;
    }

    Set<Long> poison() {
        return poison;
    }

    long failed() {
        return failed.get();
    }

    private static Reply check(Reply reply, String what) {
        if (!reply.ok()) {
            throw new IllegalStateException(what + ": HTTP " + reply.status() + ' ' + reply.body());
        }
        return reply;
    }

    /** A photo of random pixels: each one is a new image, with a name of its own. */
    /** A photo of noise: every call a new image, so a new name in the content-addressed store. */
    static byte[] png(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y += 4) {
            for (int x = 0; x < width; x += 4) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a PNG in memory", e);
        }
        return out.toByteArray();
    }

    record User(String name, String session) {}

    /** An acknowledged post and when its acknowledgement came. */
    record Post(long id, String imageName, long acknowledgedNanos) {}
}
