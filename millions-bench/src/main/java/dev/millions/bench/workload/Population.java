package dev.millions.bench.workload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutionException;

import javax.imageio.ImageIO;

import dev.millions.bench.history.Event;
import dev.millions.bench.history.History;
import dev.millions.bench.history.WriteKey;
import dev.millions.bench.history.WriteStatus;

/**
 * The users and posts a run works on, created through the API before the clock starts: users with a
 * name unique to the run ({@code tag}), each logged in, each with a few posts and follows. Those writes
 * are acknowledged writes too and go into the history.
 */
record Population(String tag, List<BenchUser> users, List<Long> posts, Map<String, String> captions, byte[] image) {

    static final String PASSWORD = "bench-password-1";
    private static final int POSTS_PER_USER = 2;
    private static final int FOLLOWS_PER_USER = 5;
    private static final int PARALLEL = 8;
    private static final Duration UNAVAILABLE_PATIENCE = Duration.ofSeconds(30);

    static Population create(PhotoAppClient client, String tag, int userCount, long seed, History history)
            throws InterruptedException {
        byte[] image = png();
        List<BenchUser> users = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            users.add(new BenchUser(tag + '_' + i, PASSWORD));
        }
        Map<String, String> captions = new ConcurrentHashMap<>();
        List<Long> posts = Collections.synchronizedList(new ArrayList<>());
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> follows = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            for (int f = 0; f < Math.min(FOLLOWS_PER_USER, userCount - 1); f++) {
                int followee = random.nextInt(userCount);
                if (followee != i) {
                    follows.add(new int[] { i, followee });
                }
            }
        }
        inParallel(users, user -> {
            long start = System.nanoTime();
            expectOk(() -> client.signUp(user.name, user.password), "sign up " + user.name);
            history.add(new Event.Write(user.name, new WriteKey("user", user.name), WriteStatus.ACKED, start,
                                        System.nanoTime(), null));
            Reply login = expectOk(() -> client.logIn(user.name, user.password), "log in " + user.name);
            user.session = login.sessionCookie();
            for (int p = 0; p < POSTS_PER_USER; p++) {
                String caption = "seed " + tag + ' ' + user.name + ' ' + p;
                long postStart = System.nanoTime();
                Reply reply = expectOk(() -> client.createPost(caption, image, user.session), "post as " + user.name);
                String id = PhotoAppClient.parse(reply).path("id").asText();
                captions.put(id, caption);
                posts.add(Long.parseLong(id));
                history.add(new Event.Write(user.name, new WriteKey("post", id), WriteStatus.ACKED, postStart,
                                            System.nanoTime(), null));
            }
        });
        inParallel(follows, pair -> {
            BenchUser follower = users.get(pair[0]);
            BenchUser followee = users.get(pair[1]);
            long start = System.nanoTime();
            expectOk(() -> client.follow(followee.name, follower.session), follower.name + " follows " + followee.name);
            history.add(new Event.Write(follower.name, new WriteKey("follow", follower.name + "->" + followee.name),
                                        WriteStatus.ACKED, start, System.nanoTime(), null));
        });
        List<Long> sorted = new ArrayList<>(posts);
        Collections.sort(sorted);
        return new Population(tag, List.copyOf(users), List.copyOf(sorted), captions, image);
    }

    /**
     * Sends a setup request until it is answered, for up to {@link #UNAVAILABLE_PATIENCE}: a 503 (a
     * balancer with no backend it trusts, a node shedding load) was refused before any work was done, and
     * a system just out of a bench's overload answers it for a moment while its health checks recover.
     */
    private static Reply expectOk(Callable<Reply> request, String what) throws Exception {
        long deadline = System.nanoTime() + UNAVAILABLE_PATIENCE.toNanos();
        Reply reply = request.call();
        while (reply.status() == 503 && System.nanoTime() - deadline < 0) {
            Thread.sleep(200);
            reply = request.call();
        }
        if (!reply.ok()) {
            throw new SetupException("cannot " + what + ": HTTP " + reply.status() + ' ' + reply.body());
        }
        return reply;
    }

    private static <T> void inParallel(List<T> items, Step<T> step) throws InterruptedException {
        Semaphore permits = new Semaphore(PARALLEL);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        step.run(item);
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof SetupException setup ? setup
                        : new SetupException("setting up the bench data failed: " + Failures.kind(cause) + " ("
                                             + cause + ')');
            }
        }
    }

    /** A small valid PNG: the app checks that uploads are real images. */
    private static byte[] png() {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 16; y++) {
                image.setRGB(x, y, x * 16 << 16 | y * 16 << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Step<T> {
        void run(T item) throws Exception;
    }
}
