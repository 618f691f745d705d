package dev.millions.bench.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a fault does to a node. */
public enum FaultAction {
    /** SIGKILL: the process dies at once, as in a crash or a lost machine. */
    KILL(false),
    /** SIGSTOP: the process freezes, holding its sockets open: a hung or cut-off node. */
    STOP(false),
    /** SIGCONT: a frozen process resumes. */
    CONT(false),
    /** The supervisor starts the node again (after a kill), or stops and starts it. */
    RESTART(false),
    /** Every answer from the node arrives this much later; 0 ms removes the delay. */
    DELAY(true);

    private final boolean takesDuration;

    FaultAction(boolean takesDuration) {
        this.takesDuration = takesDuration;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean takesDuration() {
        return takesDuration;
    }

    public static FaultAction of(String id) {
        for (FaultAction action : values()) {
            if (action.id().equals(id)) {
                return action;
            }
        }
        throw new IllegalArgumentException("fault action: '" + id + "' (expected one of: "
                                           + Arrays.stream(values()).map(FaultAction::id)
                                                   .collect(Collectors.joining(", ")) + ')');
    }
}
