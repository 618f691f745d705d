package dev.millions.app.queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends events to Kafka with the idempotent producer and {@code acks=all}: a retried send is written
 * once, in order, and acknowledged only once the in-sync replicas have it. Creates the app's topics on
 * start.
 */
final class KafkaPublisher implements Publisher {

    private static final long ACK_TIMEOUT_MILLIS = 30_000;

    private final KafkaProducer<String, byte[]> producer;

    private KafkaPublisher(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    static KafkaPublisher start(QueueProperties properties) {
        Topics.create(properties, Topics.EVENTS);
        return new KafkaPublisher(new KafkaProducer<>(KafkaClients.with(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                // Kafka requires delivery >= linger + request timeout.
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT_MILLIS,
                ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay")), new StringSerializer(), new ByteArraySerializer()));
    }

    @Override
    public boolean publish(List<OutboxEvent> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.key(),
                                                                         event.payload().getBytes(StandardCharsets.UTF_8));
            event.trace().addTo(record.headers());
            acks.add(producer.send(record));
        }
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(ACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge event " + events.get(i).id() + " of a batch of "
                                                + events.size() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka's acknowledgements", e);
            }
        }
        return true;
    }

    @Override
    public void close() {
        producer.close();
    }
}
