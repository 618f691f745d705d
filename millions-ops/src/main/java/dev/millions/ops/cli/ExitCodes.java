package dev.millions.ops.cli;

/** What the command's exit status means. */
final class ExitCodes {

    static final int OK = 0;
    /** Something did not work: a node failed, a stop timed out. */
    static final int FAILED = 1;
    /** The command was wrong: an unknown preset, node or option. */
    static final int USAGE = 2;
    /** {@code status}: nothing runs from the run folder. */
    static final int NOT_RUNNING = 3;

    private ExitCodes() {}
}
