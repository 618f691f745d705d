package dev.millions.bench.fault;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fault at one time of a run: {@code ACTION:NODE[=DURATION]@TIME}, e.g. {@code kill:web-1@10s},
 * {@code restart:web-1@20s}, {@code delay:web-1=200ms@5s}. NODE is a node's name or a role that names
 * exactly one node.
 */
public record FaultSpec(FaultAction action, String node, Duration argument, Duration at) {

    private static final Pattern SPEC = Pattern.compile("([a-z]+):([A-Za-z0-9_.-]+)(?:=([0-9a-z.]+))?@([0-9a-z.]+)");
    private static final Pattern TIME = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)");

    public static FaultSpec parse(String text) {
        Matcher matcher = SPEC.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("fault: '" + text + "' (expected: ACTION:NODE@TIME, e.g. kill:web-1@10s,"
                                               + " or delay:web-1=200ms@10s)");
        }
        FaultAction action = FaultAction.of(matcher.group(1));
        String argument = matcher.group(3);
        if (action.takesDuration() && argument == null) {
            throw new IllegalArgumentException("fault: '" + text + "' (expected a duration: " + action.id() + ':'
                                               + matcher.group(2) + "=200ms@" + matcher.group(4) + ')');
        }
        if (!action.takesDuration() && argument != null) {
            throw new IllegalArgumentException("fault: '" + text + "' (" + action.id() + " takes no '=" + argument
                                               + "')");
        }
        return new FaultSpec(action, matcher.group(2), argument == null ? Duration.ZERO : duration(argument, text),
                             duration(matcher.group(4), text));
    }

    /** {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 2m}. */
    public static Duration duration(String text, String context) {
        Matcher matcher = TIME.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("duration: '" + text + "' in '" + context
                                               + "' (expected a number with ms, s or m, e.g. 500ms, 10s, 2m)");
        }
        double value = Double.parseDouble(matcher.group(1));
        double millis = switch (matcher.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    @Override
    public String toString() {
        return action.id() + ':' + node + (action.takesDuration() ? "=" + argument.toMillis() + "ms" : "") + '@'
               + format(at);
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
