package dev.millions.app.queue;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What every Kafka client of the app shares. When a broker dies, its partitions get new leaders once
 * the controller stops hearing from it (the brokers' 3 s session, {@code ../shared/FACTS.md}); until then
 * a client asks for metadata again and again, and Kafka backs those retries and reconnections off up to
 * 1 s, which adds up to a second on the producer's side and another on the consumer's after the leader
 * has moved. A 250 ms ceiling keeps that tail short; on loopback the extra requests cost nothing.
 */
public final class KafkaClients {

    private static final int BACKOFF_CEILING_MILLIS = 250;

    private KafkaClients() {}

    /** {@code settings} with the shared ones added. */
    public static Map<String, Object> with(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, BACKOFF_CEILING_MILLIS);
        all.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, BACKOFF_CEILING_MILLIS);
        return all;
    }
}
