package dev.millions.redis;

import java.util.List;
import java.util.Locale;

/**
 * How a Redis node keeps its data across a restart. Snapshot points are passed as separate
 * arguments: a single quoted {@code --save "900 1"} turns snapshots off without a word.
 */
public enum Persistence {
    /** Nothing on disk: a restart starts empty. */
    OFF(List.of("--save", "", "--appendonly", "no")),
    /** Snapshots only: a crash loses what came after the last one. */
    RDB(List.of("--save", "900", "1", "--save", "300", "10", "--save", "60", "10000", "--appendonly", "no")),
    /** The append-only file, synced every second. */
    AOF(List.of("--save", "", "--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--appendfsync", "everysec")),
    /** Both, the AOF rewritten with an RDB preamble (fast to load, at most a second lost). The default. */
    RDB_AOF(List.of("--save", "900", "1", "--save", "300", "10", "--save", "60", "10000", "--appendonly", "yes",
                    "--aof-use-rdb-preamble", "yes", "--appendfsync", "everysec"));

    private final List<String> arguments;

    Persistence(List<String> arguments) {
        this.arguments = arguments;
    }

    List<String> arguments() {
        return arguments;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '+');
    }

    /** {@code off}, {@code rdb}, {@code aof} or {@code rdb+aof}. */
    public static Persistence of(String id) {
        for (Persistence persistence : values()) {
            if (persistence.id().equals(id)) {
                return persistence;
            }
        }
        throw new IllegalArgumentException("persistence: " + id + " (expected: off, rdb, aof or rdb+aof)");
    }
}
