package dev.millions.bench.workload;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.bench.history.Lookup;
import dev.millions.bench.history.WriteKey;

/**
 * Looks written things up through the API after a run. A post counts as present only with the caption
 * it was written with: after a failover a lost post's id may be given to another post. While the
 * system does not answer it retries until a deadline, then says {@link Presence#UNREACHABLE}.
 */
final class AppLookup implements Lookup {

    private static final long RETRY_MILLIS = 250;

    private final PhotoAppClient client;
    private final Map<String, String> captions;
    private final long deadlineNanos;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    AppLookup(PhotoAppClient client, Map<String, String> captions, long deadlineNanos) {
        this.client = client;
        this.captions = captions;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public Presence find(WriteKey key) {
        while (true) {
            try {
                Presence presence = once(key);
                if (presence != Presence.UNREACHABLE || System.nanoTime() > deadlineNanos) {
                    return presence;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadlineNanos) {
                    return Presence.UNREACHABLE;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Presence.UNREACHABLE;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Presence.UNREACHABLE;
            }
        }
    }

    private Presence once(WriteKey key) throws IOException, InterruptedException {
        return switch (key.kind()) {
            case "post" -> {
                Reply reply = client.get("/api/posts/" + key.id(), null);
                yield answer(reply, body -> body.path("caption").asText().equals(captions.get(key.id())));
            }
            case "user" -> answer(client.get("/api/users/" + key.id(), null), body -> true);
            case "follow" -> {
                String[] names = key.id().split("->", 2);
                String session = session(names[0]);
                if (session == null) {
                    yield Presence.UNREACHABLE;
                }
                yield answer(client.get("/api/users/" + names[1], session),
                             body -> body.path("followedByMe").asBoolean());
            }
            default -> throw new IllegalArgumentException("unknown write kind: " + key.kind());
        };
    }

    private String session(String username) throws IOException, InterruptedException {
        String session = sessions.get(username);
        if (session == null) {
            Reply reply = client.logIn(username, Population.PASSWORD);
            if (!reply.ok()) {
                return null;
            }
            session = reply.sessionCookie();
            sessions.put(username, session);
        }
        return session;
    }

    private static Presence answer(Reply reply, Check check) throws IOException {
        if (reply.status() == 404) {
            return Presence.ABSENT;
        }
        if (reply.status() != 200) {
            return Presence.UNREACHABLE;
        }
        return check.test(PhotoAppClient.parse(reply)) ? Presence.PRESENT : Presence.ABSENT;
    }

    @FunctionalInterface
    private interface Check {
        boolean test(JsonNode body);
    }
}
