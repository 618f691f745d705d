package dev.millions.app.worker;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * A worker's span for each message it applies, child of the span that wrote the event (the message's
 * {@code traceparent}, which the relay copied from the outbox): a post's trace goes on from the request
 * into the worker, and the SQL the worker runs hangs under it. With spans off, this costs a no-op.
 */
final class MessageSpans {

    private final ObservationRegistry observations;

    MessageSpans(ObservationRegistry observations) {
        this.observations = observations;
    }

    <T> T observe(ConsumerRecord<String, byte[]> record, Supplier<T> work) {
        ReceiverContext<ConsumerRecord<String, byte[]>> context = new ReceiverContext<>(MessageSpans::header);
        context.setCarrier(record);
        context.setRemoteServiceName("kafka");
        return Observation.createNotStarted("millions.worker.message", () -> context, observations)
                          .contextualName(record.topic() + " process")
                          .lowCardinalityKeyValue("messaging.destination.name", record.topic())
                          .highCardinalityKeyValue("messaging.kafka.offset", Long.toString(record.offset()))
                          .observe(work);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
