package dev.millions.bench.workload;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.bench.history.Event;
import dev.millions.bench.history.History;
import dev.millions.bench.history.WriteKey;
import dev.millions.bench.history.WriteStatus;
import dev.millions.bench.load.Operation;
import dev.millions.bench.load.OperationSource;
import dev.millions.bench.load.Outcome;

/**
 * The photo app's workload: picks operations by a {@link Mix}, users and posts by Zipfian popularity,
 * and writes what every write did into the {@link History}. After each acknowledged write the same
 * client reads it back at once, which is what the read-your-writes check looks at.
 */
public final class AppWorkload implements OperationSource {

    private final PhotoAppClient client;
    private final Mix mix;
    private final List<BenchUser> users;
    private final List<Long> posts;
    private final Zipfian userPopularity;
    private final Zipfian postPopularity;
    private final History history;
    private final String tag;
    private final byte[] image;
    private final Map<String, String> captions;
    private final AtomicLong sequence = new AtomicLong();

    AppWorkload(PhotoAppClient client, Mix mix, Population population, double skew, long seed, History history) {
        this.client = client;
        this.mix = mix;
        this.users = population.users();
        this.posts = population.posts();
        this.userPopularity = Zipfian.of(users.size(), skew, seed);
        this.postPopularity = Zipfian.of(Math.max(1, posts.size()), skew, seed + 1);
        this.history = history;
        this.tag = population.tag();
        this.image = population.image();
        this.captions = population.captions();
    }

    @Override
    public Operation next(RandomGenerator random) {
        OperationKind kind = mix.pick(random.nextInt(mix.totalWeight()));
        BenchUser popular = users.get(userPopularity.next(random));
        BenchUser anyone = users.get(random.nextInt(users.size()));
        return switch (kind) {
            case VIEW_PROFILE -> read(kind, "/api/users/" + popular.name, anyone);
            case USER_POSTS -> read(kind, "/api/users/" + popular.name + "/posts?limit=20", null);
            case READ_POST -> read(kind, "/api/posts/" + posts.get(postPopularity.next(random) % posts.size()), null);
            case FEED -> read(kind, "/api/feed?limit=20", popular);
            case CREATE_POST -> operation(kind, () -> createPost(popular));
            case FOLLOW -> operation(kind, () -> follow(anyone, popular));
            case SIGN_UP -> operation(kind, this::signUp);
            case LOG_IN -> operation(kind, () -> logIn(anyone));
            case ME -> operation(kind, () -> me(anyone));
            case LOG_OUT_IN -> operation(kind, () -> logOutAndIn(anyone));
        };
    }

    private Operation read(OperationKind kind, String path, BenchUser as) {
        return operation(kind, () -> outcome(client.get(path, as == null ? null : session(as))));
    }

    private Outcome createPost(BenchUser user) throws InterruptedException {
        String caption = "bench " + tag + ' ' + sequence.incrementAndGet();
        long start = System.nanoTime();
        Reply reply;
        try {
            reply = client.createPost(caption, image, session(user));
        } catch (IOException e) {
            return failedWrite(user, new WriteKey("post", null), start, Failures.kind(e));
        }
        if (!reply.ok()) {
            return failedWrite(user, new WriteKey("post", null), start, Failures.httpKind(reply.status()));
        }
        long end = System.nanoTime();
        String id;
        try {
            id = PhotoAppClient.parse(reply).path("id").asText();
        } catch (IOException e) {
            return Outcome.error("unreadable answer");
        }
        WriteKey key = new WriteKey("post", id);
        captions.put(id, caption);
        history.add(new Event.Write(user.name, key, WriteStatus.ACKED, start, end, null));
        readBack(user, key, "/api/posts/" + id, body -> true);
        return Outcome.success();
    }

    private Outcome follow(BenchUser follower, BenchUser followee) throws InterruptedException {
        if (follower == followee) {
            return Outcome.success();
        }
        WriteKey key = new WriteKey("follow", follower.name + "->" + followee.name);
        long start = System.nanoTime();
        Reply reply;
        try {
            reply = client.follow(followee.name, session(follower));
        } catch (IOException e) {
            return failedWrite(follower, key, start, Failures.kind(e));
        }
        if (!reply.ok()) {
            return failedWrite(follower, key, start, Failures.httpKind(reply.status()));
        }
        history.add(new Event.Write(follower.name, key, WriteStatus.ACKED, start, System.nanoTime(), null));
        readBack(follower, key, "/api/users/" + followee.name, body -> body.path("followedByMe").asBoolean());
        return Outcome.success();
    }

    private Outcome signUp() throws InterruptedException {
        String name = tag + "_n" + sequence.incrementAndGet();
        WriteKey key = new WriteKey("user", name);
        long start = System.nanoTime();
        Reply reply;
        try {
            reply = client.signUp(name, Population.PASSWORD);
        } catch (IOException e) {
            return failedWrite(name, key, start, Failures.kind(e));
        }
        if (!reply.ok()) {
            return failedWrite(name, key, start, Failures.httpKind(reply.status()));
        }
        history.add(new Event.Write(name, key, WriteStatus.ACKED, start, System.nanoTime(), null));
        return Outcome.success();
    }

    private Outcome logIn(BenchUser user) throws IOException, InterruptedException {
        user.lock.lock();
        try {
            Reply reply = client.logIn(user.name, user.password);
            if (reply.ok() && reply.sessionCookie() != null) {
                user.session = reply.sessionCookie();
            }
            return outcome(reply);
        } finally {
            user.lock.unlock();
        }
    }

    private Outcome me(BenchUser user) throws IOException, InterruptedException {
        user.lock.lock();
        try {
            Reply reply = client.get("/api/me", session(user));
            return reply.status() == 401 ? Outcome.error("session lost") : outcome(reply);
        } finally {
            user.lock.unlock();
        }
    }

    private Outcome logOutAndIn(BenchUser user) throws IOException, InterruptedException {
        user.lock.lock();
        try {
            Reply out = client.logOut(session(user));
            if (!out.ok()) {
                return outcome(out);
            }
            user.session = null;
            return logIn(user);
        } finally {
            user.lock.unlock();
        }
    }

    /** The client's own read of what it just wrote; only a definite answer goes into the history. */
    private void readBack(BenchUser user, WriteKey key, String path, Check found) throws InterruptedException {
        long start = System.nanoTime();
        try {
            Reply reply = client.get(path, session(user));
            if (reply.status() == 200 || reply.status() == 404) {
                boolean present = reply.status() == 200 && found.test(PhotoAppClient.parse(reply));
                history.add(new Event.Read(user.name, key, present, start, System.nanoTime()));
            }
        } catch (IOException e) {
            // No answer is no evidence either way.
        }
    }

    private Outcome failedWrite(BenchUser user, WriteKey key, long start, String kind) {
        return failedWrite(user.name, key, start, kind);
    }

    private Outcome failedWrite(String client, WriteKey key, long start, String kind) {
        WriteStatus status = kind.startsWith("http ") ? WriteStatus.FAILED : Failures.writeStatus(kind);
        history.add(new Event.Write(client, key, status, start, System.nanoTime(), kind));
        return Outcome.error(kind);
    }

    /** The user's session, logging in first when it has none (a log-in lost to an outage). */
    private String session(BenchUser user) throws IOException, InterruptedException {
        String session = user.session;
        if (session == null) {
            Reply reply = client.logIn(user.name, user.password);
            if (reply.ok()) {
                session = reply.sessionCookie();
                user.session = session;
            }
        }
        return session;
    }

    private static Outcome outcome(Reply reply) {
        return reply.ok() ? Outcome.success() : Outcome.error(Failures.httpKind(reply.status()));
    }

    private static Operation operation(OperationKind kind, Call call) {
        return new Operation() {
            @Override
            public String name() {
                return kind.id();
            }

            @Override
            public Outcome call() {
                try {
                    return call.call();
                } catch (IOException e) {
                    return Outcome.error(Failures.kind(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.error("interrupted");
                }
            }
        };
    }

    @FunctionalInterface
    private interface Call {
        Outcome call() throws IOException, InterruptedException;
    }

    @FunctionalInterface
    private interface Check {
        boolean test(JsonNode body);
    }
}
