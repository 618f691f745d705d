package dev.millions.bench.workload;

/** The bench could not create its users and posts before the run: nothing was measured. */
public final class SetupException extends RuntimeException {

    public SetupException(String message) {
        super(message);
    }
}
