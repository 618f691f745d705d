package dev.millions.app.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.millions.app.queue.KafkaClients;

/**
 * Sends copies of events to the retry and dead-letter topics, each acknowledged ({@code acks=all}, the
 * idempotent producer) before the worker records that it sent it: a copy is never lost, at worst sent
 * twice, and the second copy is told apart by its hop (see {@link ParkedEvents}).
 */
final class Forwarder implements AutoCloseable {

    static final String LEVEL = "millions-level";
    static final String HOP = "millions-hop";
    static final String DUE = "millions-due";
    static final String ATTEMPTS = "millions-attempts";
    static final String FIRST_FAILURE = "millions-first-failure";
    static final String ERROR = "millions-error";
    static final String ORIGIN = "millions-origin";
    private static final long ACK_TIMEOUT_MILLIS = 30_000;

    private final KafkaProducer<String, byte[]> producer;

    Forwarder(String bootstrapServers) {
        this.producer = new KafkaProducer<>(KafkaClients.with(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT_MILLIS,
                ProducerConfig.CLIENT_ID_CONFIG, "worker-forwarder")), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends the event to retry topic {@code level}, due at {@code due}. */
    void retry(ConsumerRecord<String, byte[]> record, String base, int level, int hop, Instant due, int attempts,
               Instant firstFailure, String error) {
        ProducerRecord<String, byte[]> copy = copy(record, RetryTopics.retry(base, level));
        set(copy.headers(), LEVEL, Integer.toString(level));
        set(copy.headers(), HOP, Integer.toString(hop));
        set(copy.headers(), DUE, Long.toString(due.toEpochMilli()));
        describeFailure(copy.headers(), attempts, firstFailure, error);
        send(copy);
    }

    /** Sends the event to the dead-letter topic with what went wrong. */
    void deadLetter(ConsumerRecord<String, byte[]> record, String base, int attempts, Instant firstFailure, String error) {
        ProducerRecord<String, byte[]> copy = copy(record, RetryTopics.deadLetter(base));
        copy.headers().remove(LEVEL).remove(HOP).remove(DUE);
        describeFailure(copy.headers(), attempts, firstFailure, error);
        send(copy);
    }

    private static ProducerRecord<String, byte[]> copy(ConsumerRecord<String, byte[]> record, String topic) {
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(topic, null, record.key(), record.value());
        for (Header header : record.headers()) {
            copy.headers().add(header);
        }
        if (copy.headers().lastHeader(ORIGIN) == null) {
            set(copy.headers(), ORIGIN, record.topic() + '-' + record.partition() + '@' + record.offset());
        }
        return copy;
    }

    private static void describeFailure(Headers headers, int attempts, Instant firstFailure, String error) {
        if (attempts > 0) {
            set(headers, ATTEMPTS, Integer.toString(attempts));
            set(headers, FIRST_FAILURE, firstFailure.toString());
            set(headers, ERROR, error);
        }
    }

    private static void set(Headers headers, String name, String value) {
        headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String header(ConsumerRecord<?, ?> record, String name, String otherwise) {
        Header header = record.headers().lastHeader(name);
        return header == null ? otherwise : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void send(ProducerRecord<String, byte[]> copy) {
        try {
            producer.send(copy).get(ACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge a copy to " + copy.topic() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a copy to " + copy.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
