package dev.millions.bench.workload;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A workload: which operations, in what proportions. */
public enum Mix {
    /** The chapter's assumption: reads far outnumber writes (95 % reads). */
    READ_HEAVY(Map.of(OperationKind.USER_POSTS, 30, OperationKind.READ_POST, 25, OperationKind.FEED, 20,
                      OperationKind.VIEW_PROFILE, 20, OperationKind.CREATE_POST, 4, OperationKind.FOLLOW, 1)),
    /** Uploads, follows and sign-ups (70 % writes). */
    WRITE_HEAVY(Map.of(OperationKind.CREATE_POST, 50, OperationKind.FOLLOW, 15, OperationKind.SIGN_UP, 5,
                       OperationKind.READ_POST, 10, OperationKind.FEED, 10, OperationKind.USER_POSTS, 10)),
    /** Reads with uploads and follows (30 % writes): what the soak drill runs for half an hour. */
    MIXED(Map.of(OperationKind.USER_POSTS, 20, OperationKind.READ_POST, 20, OperationKind.FEED, 15,
                 OperationKind.VIEW_PROFILE, 10, OperationKind.CREATE_POST, 20, OperationKind.FOLLOW, 10,
                 OperationKind.LOG_IN, 5)),
    /** Log-ins, session checks and log-out/log-in cycles: the session store's workload. */
    LOGIN_CHURN(Map.of(OperationKind.LOG_IN, 30, OperationKind.ME, 55, OperationKind.LOG_OUT_IN, 15));

    private final OperationKind[] kinds;
    private final int[] cumulative;

    Mix(Map<OperationKind, Integer> weights) {
        Map<OperationKind, Integer> ordered = new EnumMap<>(weights);
        kinds = ordered.keySet().toArray(OperationKind[]::new);
        cumulative = new int[kinds.length];
        int sum = 0;
        for (int i = 0; i < kinds.length; i++) {
            sum += ordered.get(kinds[i]);
            cumulative[i] = sum;
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Mix of(String id) {
        for (Mix mix : values()) {
            if (mix.id().equals(id)) {
                return mix;
            }
        }
        throw new IllegalArgumentException("mix: '" + id + "' (expected one of: "
                                           + Arrays.stream(values()).map(Mix::id).collect(Collectors.joining(", "))
                                           + ')');
    }

    /** The share of writes, in percent. */
    public int writePercent() {
        int writes = 0;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i].write()) {
                writes += cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
            }
        }
        return writes * 100 / cumulative[cumulative.length - 1];
    }

    OperationKind pick(int roll) {
        int point = Math.floorMod(roll, cumulative[cumulative.length - 1]);
        for (int i = 0; i < kinds.length; i++) {
            if (point < cumulative[i]) {
                return kinds[i];
            }
        }
        throw new AssertionError(point);
    }

    int totalWeight() {
        return cumulative[cumulative.length - 1];
    }
}
