package dev.millions.ops.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.millions.bench.workload.PhotoAppClient;
import dev.millions.bench.workload.Reply;
import dev.millions.bench.workload.Zipfian;

/**
 * The social graph the feed bench reads: users who follow authors chosen by a Zipfian law (a few are
 * followed by many, most by few), one author followed by most users, and posts, all made through the
 * entry point as the app's users make them.
 */
final class FeedGraph {

    private static final String PASSWORD = "feed-bench-password";
    private static final int FOLLOWS_PER_USER = 10;
    /** YCSB's skew: a few authors are followed by most readers of the long tail. */
    static final double ZIPF_SKEW = 0.99;
    private static final int POSTS_PER_USER = 2;
    private static final int POPULAR_POSTS = 20;
    private static final int POPULAR_PERCENT = 80;
    private static final int SETUP_THREADS = 4;

    private final PhotoAppClient client;
    private final String prefix;
    private final List<String> sessions = new ArrayList<>();
    private final AtomicLong follows = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private int popularFollowers;

    FeedGraph(URI entry, String prefix) {
        this.client = new PhotoAppClient(entry, Duration.ofSeconds(30), 0);
        this.prefix = prefix;
    }

    /** Signs up {@code count} users; user 0 is the author most follow. */
    void build(int count, Random random) throws Exception {
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            check(client.signUp(name, PASSWORD), "sign up " + name);
            sessions.add(check(client.logIn(name, PASSWORD), "log in " + name).sessionCookie());
        }
        Zipfian authors = Zipfian.of(count, ZIPF_SKEW, random.nextLong());
        List<List<Integer>> followees = new ArrayList<>();
        for (int user = 0; user < count; user++) {
            List<Integer> mine = new ArrayList<>();
            if (user != 0 && random.nextInt(100) < POPULAR_PERCENT) {
                mine.add(0);
                popularFollowers++;
            }
            while (mine.size() < Math.min(FOLLOWS_PER_USER, count - 1)) {
                int author = authors.next(random);
                if (author != user && !mine.contains(author)) {
                    mine.add(author);
                }
            }
            followees.add(mine);
        }
        inParallel(count, user -> {
            for (int author : followees.get(user)) {
                check(client.follow(prefix + author, sessions.get(user)), prefix + user + " follows " + prefix + author);
                follows.incrementAndGet();
            }
        });
        inParallel(count, user -> {
            Random own = new Random(user);
            for (int i = 0; i < (user == 0 ? POPULAR_POSTS : POSTS_PER_USER); i++) {
                check(client.createPost("feed bench", QueueDrillLoad.png(own, 48, 48), sessions.get(user)), "post by " + prefix + user);
                posts.incrementAndGet();
            }
        });
    }

    List<String> sessions() {
        return sessions;
    }

    int popularFollowers() {
        return popularFollowers;
    }

    long follows() {
        return follows.get();
    }

    long posts() {
        return posts.get();
    }

    private static void inParallel(int users, UserTask task) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(SETUP_THREADS)) {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < SETUP_THREADS; thread++) {
                int first = thread;
                done.add(threads.submit(() -> {
                    for (int user = first; user < users; user += SETUP_THREADS) {
                        task.run(user);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
    }

    private static Reply check(Reply reply, String what) {
        if (!reply.ok()) {
            throw new IllegalStateException(what + ": HTTP " + reply.status() + ' ' + reply.body());
        }
        return reply;
    }

    @FunctionalInterface
    private interface UserTask {
        void run(int user) throws Exception;
    }
}
