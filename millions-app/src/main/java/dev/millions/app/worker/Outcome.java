package dev.millions.app.worker;

/** What a worker did with a message, counted in {@code millions.worker.messages}. */
enum Outcome {
    /** Its effects applied. */
    APPLIED,
    /** Applied before: nothing done (the idempotency guard). */
    DUPLICATE,
    /** Sent to wait behind an older event of its key. */
    PARKED,
    /** Failed, and sent to a retry topic. */
    RETRIED,
    /** Failed on its last attempt: in the dead-letter topic. */
    DEAD_LETTERED,
    /** Could never apply: in the dead-letter topic without a retry. */
    POISON,
    /** A copy that another copy of the same event has overtaken: dropped. */
    STALE
}
