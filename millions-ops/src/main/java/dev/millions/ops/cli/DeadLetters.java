package dev.millions.ops.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads the dead-letter topics from the start (no consumer group: reading them commits nothing) and
 * sends chosen letters back to their event topic. A letter's id is its place: {@code posts.dlq-0@3}.
 */
final class DeadLetters implements AutoCloseable {

    private static final List<String> TOPICS = List.of("posts.dlq", "follows.dlq");
    private static final Pattern ID = Pattern.compile("(.+)-(\\d+)@(\\d+)");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final KafkaConsumer<String, byte[]> consumer;

    DeadLetters(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                                   ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                                                   ConsumerConfig.CLIENT_ID_CONFIG, "millions-dlq"),
                                            new StringDeserializer(), new ByteArrayDeserializer());
    }

    static String id(ConsumerRecord<?, ?> letter) {
        return letter.topic() + '-' + letter.partition() + '@' + letter.offset();
    }

    static String header(ConsumerRecord<?, ?> letter, String name) {
        Header header = letter.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every dead letter, oldest first by first failure. */
    List<ConsumerRecord<String, byte[]>> all() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, READ_TIMEOUT);
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        }
        List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
        if (partitions.isEmpty()) {
            return letters;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("read " + letters.size() + " dead letters, but not to the end within "
                                                + READ_TIMEOUT.toSeconds() + " s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
        }
        letters.sort(Comparator.comparing((ConsumerRecord<String, byte[]> letter) -> header(letter, "millions-first-failure"))
                               .thenComparing(DeadLetters::id));
        return letters;
    }

    Optional<ConsumerRecord<String, byte[]>> find(String id) {
        Matcher matcher = ID.matcher(id);
        if (!matcher.matches() || !TOPICS.contains(matcher.group(1))) {
            throw new IllegalArgumentException("'" + id + "' is not a dead letter's id (expected: e.g. posts.dlq-0@3)");
        }
        TopicPartition partition = new TopicPartition(matcher.group(1), Integer.parseInt(matcher.group(2)));
        long offset = Long.parseLong(matcher.group(3));
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> letter : consumer.poll(Duration.ofMillis(200))) {
                if (letter.offset() == offset) {
                    return Optional.of(letter);
                }
                if (letter.offset() > offset) {
                    return Optional.empty();
                }
            }
            if (consumer.position(partition) > offset) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Sends the letter's event back to its event topic, keyed as before; the workers' retry headers are left out. */
    void replay(ConsumerRecord<String, byte[]> letter) {
        String topic = letter.topic().substring(0, letter.topic().length() - ".dlq".length());
        ProducerRecord<String, byte[]> event = new ProducerRecord<>(topic, null, letter.key(), letter.value());
        for (Header header : letter.headers()) {
            if (!header.key().startsWith("millions-")) {
                event.headers().add(header);
            }
        }
        event.headers().add("millions-replay-of", id(letter).getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(event).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the replay of " + id(letter) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + id(letter), e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
