package dev.millions.ops.autoscale;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.millions.ops.dashboard.RoleMetric;

/**
 * How a role's node count follows a metric: between {@code min} and {@code max} nodes, holding the
 * metric's average per node near {@code target}; a scale-up only once the whole scale-up window
 * recommends it, a scale-down only once the whole scale-down window does, and no change within the
 * cooldown after the last one.
 */
public record AutoscalePolicy(String role, int min, int max, RoleMetric metric, double target,
                              Duration scaleUpWindow, Duration scaleDownWindow, Duration cooldown) {

    /** No more nodes than the control API's scale allows. */
    static final int MOST_NODES = 16;

    public AutoscalePolicy {
        checkArgument(min >= 1, "min: %s (expected: >= 1)", min);
        checkArgument(max >= min && max <= MOST_NODES, "max: %s (expected: %s..%s)", max, min, MOST_NODES);
        checkArgument(target > 0 && Double.isFinite(target), "target: %s (expected: > 0)", target);
        checkArgument(!scaleUpWindow.isNegative(), "scale-up window: %s (expected: >= 0)", scaleUpWindow);
        checkArgument(!scaleDownWindow.isNegative(), "scale-down window: %s (expected: >= 0)", scaleDownWindow);
        checkArgument(!cooldown.isNegative(), "cooldown: %s (expected: >= 0)", cooldown);
    }

    /**
     * A policy from the control API's JSON body; the windows and the cooldown in seconds, defaulting as
     * Kubernetes' HPA does for the windows (scale up at once, down after 300 s), but with a 30 s
     * scale-down window and a 15 s cooldown, short enough to watch.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static AutoscalePolicy of(String role, JsonNode body) {
        checkArgument(body.path("min").canConvertToInt() && body.path("max").canConvertToInt(),
                      "min and max: %s, %s (expected: whole numbers)", body.path("min"), body.path("max"));
        checkArgument(body.path("target").isNumber(), "target: %s (expected: a number)", body.path("target"));
        return new AutoscalePolicy(role, body.path("min").asInt(), body.path("max").asInt(),
                                   RoleMetric.of(body.path("metric").asText("in-flight")), body.path("target").asDouble(),
                                   seconds(body, "scaleUpWindowSeconds", 0), seconds(body, "scaleDownWindowSeconds", 30),
                                   seconds(body, "cooldownSeconds", 15));
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("role", role);
        json.put("min", min);
        json.put("max", max);
        json.put("metric", metric.id());
        json.put("target", target);
        json.put("scaleUpWindowSeconds", scaleUpWindow.toMillis() / 1000.0);
        json.put("scaleDownWindowSeconds", scaleDownWindow.toMillis() / 1000.0);
        json.put("cooldownSeconds", cooldown.toMillis() / 1000.0);
        return json;
    }

    private static Duration seconds(JsonNode body, String field, double otherwise) {
        JsonNode value = body.path(field);
        checkArgument(value.isMissingNode() || value.isNumber(), "%s: %s (expected: seconds, a number)", field, value);
        return Duration.ofMillis(Math.round((value.isMissingNode() ? otherwise : value.asDouble()) * 1000));
    }

    private static void checkArgument(boolean condition, String message, Object... arguments) {
        if (!condition) {
            throw new IllegalArgumentException(message.formatted(arguments));
        }
    }
}
