package dev.millions.ops.node;

import java.nio.file.Path;

/** A node that did not become ready; the message says why, and {@link #log()} where to look. */
public final class NodeStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path log;

    public NodeStartException(String message, Path log, Throwable cause) {
        super(message, cause);
        this.log = log;
    }

    public Path log() {
        return log;
    }
}
