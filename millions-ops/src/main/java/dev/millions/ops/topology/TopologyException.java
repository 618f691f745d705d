package dev.millions.ops.topology;

/** A topology file or preset that cannot describe a runnable system. */
public final class TopologyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
