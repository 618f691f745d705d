package dev.millions.ops.topology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a topology from a preset name ({@code single}) or a YAML file. The common fields of a node are
 * read here; the rest belongs to its role, whose {@link RoleSyntax} parses it. Every mistake is reported
 * with the path of the offending field, and unknown fields are errors, not silently ignored typos.
 */
public final class TopologyLoader {

    /** The presets shipped in this build, in the order the chapter introduces them. */
    public static final List<String> PRESETS = List.of("single", "split-db", "lb", "replicated", "cached", "stateless", "cdn", "queue");

    private static final Pattern NODE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "nodes");
    private static final Pattern DC_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    /** The fields every node has, whatever its role. */
    static final Set<String> COMMON_FIELDS = Set.of("role", "dc", "host", "port", "jvm-options");
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final Map<String, RoleSyntax> roles = new LinkedHashMap<>();

    /** A loader that knows {@code roles}, in the order an error lists them. */
    public TopologyLoader(List<? extends RoleSyntax> roles) {
        roles.forEach(role -> this.roles.put(role.id(), role));
    }

    /** A preset name, or the path of a YAML file. */
    public Topology load(String presetOrFile) {
        if (PRESETS.contains(presetOrFile)) {
            return preset(presetOrFile);
        }
        Path file = Path.of(presetOrFile);
        if (!Files.isRegularFile(file)) {
            throw new TopologyException("'" + presetOrFile + "' is neither a preset (" + String.join(", ", PRESETS)
                                        + ") nor a topology file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new TopologyException("cannot read topology file " + file + ": " + e.getMessage(), e);
        }
    }

    public Topology preset(String name) {
        try (InputStream in = TopologyLoader.class.getResourceAsStream("/presets/" + name + ".yaml")) {
            if (in == null) {
                throw new TopologyException("no preset '" + name + "' (presets: " + String.join(", ", PRESETS) + ')');
            }
            return parse(in, "preset " + name);
        } catch (IOException e) {
            throw new TopologyException("cannot read preset " + name + ": " + e.getMessage(), e);
        }
    }

    public Topology parse(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            throw new TopologyException(source + ": not valid YAML: " + e.getOriginalMessage()
                                        + location(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new TopologyException(source + ": expected a mapping with 'name' and 'nodes'");
        }
        checkFields(root, TOP_FIELDS, source);
        String name = text(root, "name", source);
        String description = root.path("description").asText("");
        JsonNode nodes = root.get("nodes");
        if (nodes == null || !nodes.isObject() || nodes.isEmpty()) {
            throw new TopologyException(source + ": 'nodes' must map node names to their settings");
        }
        Map<String, NodeSpec> specs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : nodes.properties()) {
            specs.put(entry.getKey(), node(entry.getKey(), entry.getValue(), source + ": nodes." + entry.getKey()));
        }
        try {
            return new Topology(name, description, specs);
        } catch (TopologyException e) {
            throw new TopologyException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The topology with one more node, of {@code role} and named after it, on a free port: what a switch of
     * {@code up} adds ({@code --with-prometheus}).
     *
     * @throws TopologyException when the topology has a node of that name, or the role refuses the node
     */
    public Topology withNode(Topology topology, String role) {
        if (topology.nodes().containsKey(role)) {
            throw new TopologyException("topology '" + topology.name() + "' has a node named '" + role + "' already");
        }
        Map<String, NodeSpec> nodes = new LinkedHashMap<>(topology.nodes());
        nodes.put(role, node(role, YAML.createObjectNode().put("role", role), "--with-" + role));
        return new Topology(topology.name(), topology.description(), nodes);
    }

    private NodeSpec node(String name, JsonNode node, String path) {
        if (!NODE_NAME.matcher(name).matches()) {
            throw new TopologyException(path + ": node name '" + name
                                        + "' (expected: lower-case letters, digits and '-', at most 31)");
        }
        if (!node.isObject()) {
            throw new TopologyException(path + ": expected a mapping with at least 'role'");
        }
        String roleId = text(node, "role", path);
        RoleSyntax role = roles.get(roleId);
        if (role == null) {
            throw new TopologyException(path + ".role: unknown role '" + roleId + "' (expected one of: "
                                        + String.join(", ", roles.keySet()) + ')');
        }
        Set<String> known = new HashSet<>(COMMON_FIELDS);
        known.addAll(role.fields());
        NodeFields.checkKnown(node, known, path);
        String dc = node.path("dc").asText(NodeSpec.DEFAULT_DC);
        if (!DC_NAME.matcher(dc).matches()) {
            throw new TopologyException(path + ".dc: '" + dc + "' (expected: lower-case letters, digits and '-', "
                                        + "at most 31)");
        }
        String host = node.path("host").asText("127.0.0.1");
        int port = port(node.get("port"), path + ".port");
        List<String> jvmOptions = new ArrayList<>();
        JsonNode options = node.path("jvm-options");
        if (!options.isMissingNode()) {
            if (!options.isArray()) {
                throw new TopologyException(path + ".jvm-options: expected a list, e.g. [-Xmx512m]");
            }
            options.forEach(option -> jvmOptions.add(option.asText()));
        }
        RoleSettings settings = role.parse(new NodeFields(node, path, name, port));
        return new NodeSpec(name, roleId, dc, host, port, jvmOptions, settings);
    }

    private static int port(JsonNode value, String path) {
        if (value == null || "auto".equals(value.asText())) {
            return 0;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > 65535) {
            throw new TopologyException(path + ": " + value + " (expected: 1..65535 or auto)");
        }
        return value.asInt();
    }

    private static void checkFields(JsonNode node, Set<String> known, String path) {
        NodeFields.checkKnown(node, known, path);
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new TopologyException(path + ": '" + field + "' is required");
        }
        return value.asText();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                                              + e.getLocation().getColumnNr() + ')';
    }
}
