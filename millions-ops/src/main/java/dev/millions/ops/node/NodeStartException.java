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

    /** Runs a server's start; its failure becomes this node's, pointing at {@code log}. */
    public static void during(Path log, Runnable start) {
        try {
            start.run();
        } catch (NodeStartException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NodeStartException(e.getMessage(), log, e);
        }
    }
}
