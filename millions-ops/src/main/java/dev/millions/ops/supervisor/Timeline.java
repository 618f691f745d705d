package dev.millions.ops.supervisor;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What happened to the system, newest last, for the dashboard's timeline: a node's status changing, a
 * cluster member changing its role (a failover: a replica turning primary), and every action someone
 * took (from the dashboard or the control API). A member's detail changes every second (its lag): only
 * the role word in it is an event.
 */
public final class Timeline implements SupervisorListener {

    public static final int CAPACITY = 500;
    private static final Pattern ROLE = Pattern.compile("(primary|replica|down|rebuilding|master)\\b");

    /** One event: when, its kind ({@code node}, {@code role}, {@code action}), about which node, what. */
    public record Event(Instant at, String kind, String node, String text) {}

    private final Clock clock;
    private final Deque<Event> events = new ArrayDeque<>();
    private final Map<String, String> lastSeen = new HashMap<>();

    public Timeline(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void onChange(NodeState node) {
        String status = node.status().id();
        String previousStatus = lastSeen.put(node.name() + "#status", status);
        if (!status.equals(previousStatus)) {
            add("node", node.name(), status + (node.detail() == null ? "" : ": " + node.detail()));
        }
        Matcher role = node.detail() == null ? null : ROLE.matcher(node.detail());
        if (role != null && role.lookingAt()) {
            String previousRole = lastSeen.put(node.name() + "#role", role.group(1));
            if (previousRole != null && !previousRole.equals(role.group(1))) {
                add("role", node.name(), previousRole + " -> " + role.group(1));
            }
        }
    }

    /** An action someone took, and what came of it. */
    public synchronized void action(String node, String text) {
        add("action", node, text);
    }

    public synchronized List<Event> recent(int count) {
        return events.stream().skip(Math.max(0, events.size() - count)).toList();
    }

    private void add(String kind, String node, String text) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(new Event(clock.instant(), kind, node, text));
    }
}
