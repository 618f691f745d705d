package dev.millions.ops.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a node offers beyond starting and stopping, by type: the address of a database, a balancer's
 * backends, a cluster's replicas. The supervisor and dependent roles look a capability up on a node by
 * name instead of asking which class the node is.
 */
public final class Capabilities {

    private static final Capabilities NONE = new Capabilities(Map.of());

    private final Map<Class<?>, Object> byType;

    private Capabilities(Map<Class<?>, Object> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static Capabilities none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(type.cast(byType.get(type)));
    }

    public static final class Builder {

        private final Map<Class<?>, Object> byType = new LinkedHashMap<>();

        private Builder() {}

        public <T> Builder add(Class<T> type, T capability) {
            byType.put(type, type.cast(capability));
            return this;
        }

        public Capabilities build() {
            return new Capabilities(byType);
        }
    }
}
