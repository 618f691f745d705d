package dev.millions.bench.history;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every write and checked read of a run, appended from many threads. */
public final class History {

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    public void add(Event event) {
        events.add(event);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public long count(WriteStatus status) {
        return events.stream().filter(e -> e instanceof Event.Write w && w.status() == status).count();
    }
}
