package dev.millions.app.queue;

import java.util.List;

/** Where the relay sends events. */
interface Publisher extends AutoCloseable {

    /** Sends the events in order and returns once each is acknowledged; false when they went nowhere. */
    boolean publish(List<OutboxEvent> events);

    @Override
    void close();

    /** No queue configured: the events go nowhere. */
    static Publisher none() {
        return new Publisher() {
            @Override
            public boolean publish(List<OutboxEvent> events) {
                return false;
            }

            @Override
            public void close() {}
        };
    }
}
