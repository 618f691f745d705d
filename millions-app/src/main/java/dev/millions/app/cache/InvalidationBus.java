package dev.millions.app.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Ticker;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;

/**
 * Carries invalidations between the web nodes' near caches over Redis pub/sub (in a cluster a message
 * published on any node reaches the subscribers of every node). The subscription is checked on every
 * {@link #check}; while it is down the near cache is not trusted, and a subscription down for longer
 * than {@link #RECONNECT_AFTER} is replaced by one to another node (Lettuce would keep reconnecting
 * to the dead one).
 */
final class InvalidationBus implements AutoCloseable {

    static final String CHANNEL = "millions:cache:invalidations";
    /**
     * Heads each message, so a node skips its own: it applied them before it published, and hearing them
     * again would drop a value it had just put near. Keys never start with {@code @}.
     */
    private static final String SENDER = "@" + UUID.randomUUID();
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(InvalidationBus.class);

    private final RedisClusterClient client;
    private final NearCache near;
    private final Ticker ticker;
    private volatile StatefulRedisClusterPubSubConnection<String, String> subscription;
    private long downSinceNanos = -1;

    InvalidationBus(RedisClusterClient client, NearCache near, Ticker ticker) {
        this.client = client;
        this.near = near;
        this.ticker = ticker;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == subscription) {
                    near.distrust();
                }
            }
        });
    }

    /** Sends the keys to the other nodes' near caches. */
    RedisFuture<Long> publish(RedisAdvancedClusterAsyncCommands<String, byte[]> commands, String... keys) {
        return commands.publish(CHANNEL, message(keys).getBytes(StandardCharsets.UTF_8));
    }

    /** This node's message for the keys: its sender line, then a key per line. */
    static String message(String... keys) {
        return SENDER + "\n" + String.join("\n", keys);
    }

    /** Applies a message from another node; one from this node was applied when it was sent. */
    static void receive(String message, NearCache near) {
        String[] lines = message.split("\n");
        if (lines[0].equals(SENDER)) {
            return;
        }
        int first = lines[0].startsWith("@") ? 1 : 0;
        near.invalidate(Arrays.copyOfRange(lines, first, lines.length));
    }

    /** Trusts the near cache while the subscription is up; replaces one that stays down. */
    synchronized void check() {
        StatefulRedisClusterPubSubConnection<String, String> current = subscription;
        if (current != null && current.isOpen()) {
            downSinceNanos = -1;
            near.trust();
            return;
        }
        near.distrust();
        long now = ticker.read();
        if (downSinceNanos < 0) {
            downSinceNanos = now;
        }
        if (current == null || now - downSinceNanos >= RECONNECT_AFTER.toNanos()) {
            subscribe(current);
        }
    }

    private void subscribe(StatefulRedisClusterPubSubConnection<String, String> previous) {
        if (previous != null) {
            previous.closeAsync();
        }
        try {
            StatefulRedisClusterPubSubConnection<String, String> connection = client.connectPubSub();
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    receive(message, near);
                }
            });
            connection.sync().subscribe(CHANNEL);
            subscription = connection;
            downSinceNanos = -1;
            log.info("subscribed to cache invalidations");
        } catch (RuntimeException e) {
            subscription = null;
            log.warn("cannot subscribe to cache invalidations; the near cache is off meanwhile: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
