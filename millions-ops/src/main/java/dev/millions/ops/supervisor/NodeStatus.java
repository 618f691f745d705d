package dev.millions.ops.supervisor;

import java.util.Locale;

/** Where a node is in its life, as the supervisor saw it last. */
public enum NodeStatus {
    STARTING,
    READY,
    FAILED,
    EXITED,
    STOPPING,
    STOPPED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == FAILED || this == EXITED || this == STOPPED;
    }
}
