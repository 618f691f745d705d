package dev.millions.kafka;

/** A Kafka node or cluster that could not be set up, started or asked; the message says what and why. */
public final class KafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KafkaException(String message) {
        super(message);
    }

    KafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
