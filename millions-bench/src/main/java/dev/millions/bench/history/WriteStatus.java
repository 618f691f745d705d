package dev.millions.bench.history;

/** How a write ended, as far as its client can know. */
public enum WriteStatus {
    /** The server said it is done (2xx): it must be there afterwards. */
    ACKED,
    /** The server refused it or could not be reached: it may be absent (a 5xx after a commit may not). */
    FAILED,
    /** Sent, but no answer came (timeout, reset): it may or may not have happened. */
    UNKNOWN
}
