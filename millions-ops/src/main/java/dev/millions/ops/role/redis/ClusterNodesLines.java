package dev.millions.ops.role.redis;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Redis's {@code CLUSTER NODES}: one line per node, {@code id ip:port@busport flags master-id
 * ping-sent pong-received epoch link-state slot...}.
 */
final class ClusterNodesLines {

    private ClusterNodesLines() {}

    /** Each known member's role, by member name. */
    static Map<String, String> roles(String clusterNodes, Map<String, String> namesByAddress) {
        Map<String, String> namesById = new HashMap<>();
        Map<String, String[]> fieldsByName = new LinkedHashMap<>();
        for (String line : clusterNodes.lines().toList()) {
            String[] fields = line.split(" ");
            if (fields.length < 8) {
                continue;
            }
            String address = fields[1].contains("@") ? fields[1].substring(0, fields[1].indexOf('@')) : fields[1];
            String name = namesByAddress.get(address);
            if (name != null) {
                namesById.put(fields[0], name);
                fieldsByName.put(name, fields);
            }
        }
        Map<String, String> roles = new LinkedHashMap<>();
        fieldsByName.forEach((name, fields) -> {
            String flags = fields[2];
            boolean failed = flags.contains("fail") && !flags.contains("fail?");
            String role;
            if (flags.contains("master")) {
                StringBuilder slots = new StringBuilder();
                for (int i = 8; i < fields.length; i++) {
                    slots.append(slots.isEmpty() ? "" : " ").append(fields[i]);
                }
                role = "master" + (slots.isEmpty() ? ", no slots" : ", slots " + slots);
            } else {
                role = "replica of " + namesById.getOrDefault(fields[3], fields[3]);
            }
            roles.put(name, failed ? role + ", failed" : role);
        });
        return roles;
    }
}
