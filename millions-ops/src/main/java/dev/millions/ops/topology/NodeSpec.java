package dev.millions.ops.topology;

import java.util.List;

/**
 * One node of a topology: a process with a role, a place and an address; the rest belongs to its role.
 *
 * @param role the id of its role ({@code postgres}, {@code web}, ...)
 * @param dc the data center it runs in
 * @param port the TCP port, or 0 for any free port, chosen when the node starts
 * @param jvmOptions options for a node that runs on the JVM, e.g. {@code -Xmx512m}
 * @param settings what its role adds, parsed and checked by the role
 */
public record NodeSpec(String name, String role, String dc, String host, int port, List<String> jvmOptions,
                       RoleSettings settings) {

    public static final String DEFAULT_DC = "dc1";

    public NodeSpec {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The nodes that must be ready before this one starts. */
    public List<String> dependencies() {
        return settings.dependencies();
    }

    public NodeSpec withPort(int newPort) {
        return new NodeSpec(name, role, dc, host, newPort, jvmOptions, settings);
    }

    /** A copy under another name: how {@code millions scale} makes web-3 from web-1. */
    public NodeSpec copy(String newName, int newPort) {
        return copy(newName, newPort, settings);
    }

    /** A copy under another name with other settings: {@code millions scale --set}. */
    public NodeSpec copy(String newName, int newPort, RoleSettings newSettings) {
        return new NodeSpec(newName, role, dc, host, newPort, jvmOptions, newSettings);
    }

    /** A node of the same role and place, with other settings: a replica added at run time. */
    public NodeSpec sibling(String newName, RoleSettings newSettings) {
        return new NodeSpec(newName, role, dc, host, 0, List.of(), newSettings);
    }
}
