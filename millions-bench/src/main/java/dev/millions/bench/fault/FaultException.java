package dev.millions.bench.fault;

/** A fault that cannot be injected: an unknown node, a node that is not running, a refused signal. */
public final class FaultException extends RuntimeException {

    public FaultException(String message) {
        super(message);
    }

    public FaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
