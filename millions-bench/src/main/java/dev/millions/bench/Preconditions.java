package dev.millions.bench;

/** Argument checks whose messages say what was given and what was expected. */
public final class Preconditions {

    private Preconditions() {}

    public static void checkArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }
}
