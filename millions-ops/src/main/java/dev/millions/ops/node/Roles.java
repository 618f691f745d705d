package dev.millions.ops.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import dev.millions.ops.topology.TopologyException;
import dev.millions.ops.topology.TopologyLoader;

/** The registry of roles: every {@link RoleDriver} listed in {@code META-INF/services}, in its order. */
public final class Roles {

    private static final Map<String, RoleDriver> DRIVERS = load();

    private Roles() {}

    private static Map<String, RoleDriver> load() {
        Map<String, RoleDriver> drivers = new LinkedHashMap<>();
        ServiceLoader.load(RoleDriver.class, Roles.class.getClassLoader())
                     .forEach(driver -> drivers.put(driver.id(), driver));
        return drivers;
    }

    public static List<RoleDriver> all() {
        return List.copyOf(DRIVERS.values());
    }

    /**
     * @throws TopologyException when no role has that id
     */
    public static RoleDriver driver(String id) {
        RoleDriver driver = DRIVERS.get(id);
        if (driver == null) {
            throw new TopologyException("unknown role '" + id + "' (expected one of: "
                                        + String.join(", ", DRIVERS.keySet()) + ')');
        }
        return driver;
    }

    /** A topology loader that knows every role. */
    public static TopologyLoader topologies() {
        return new TopologyLoader(all());
    }
}
