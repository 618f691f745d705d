package dev.millions.kafka;

import org.jspecify.annotations.Nullable;

/** A Kafka node or cluster that could not be set up, started or asked; the message says what and why. */
public final class KafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KafkaException(String message) {
        super(message);
    }

    KafkaException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
