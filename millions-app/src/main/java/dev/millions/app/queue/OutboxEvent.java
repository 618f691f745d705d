package dev.millions.app.queue;

import java.time.Instant;

/** A row of the outbox: the topic and key it goes to, its JSON, when it was committed, and the request behind it. */
record OutboxEvent(long id, String topic, String key, String payload, Instant createdAt, TraceContext trace) {}
