package dev.millions.bench.history;

/** Asks the system, after the run, whether a written thing is there. */
@FunctionalInterface
public interface Lookup {

    Presence find(WriteKey key);

    enum Presence {
        PRESENT,
        ABSENT,
        /** No definite answer (the system is still down): neither present nor lost. */
        UNREACHABLE
    }
}
