package dev.millions.ops.topology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a topology from a preset name ({@code single}) or a YAML file. Every mistake is reported with
 * the path of the offending field, and unknown fields are errors, not silently ignored typos.
 */
public final class TopologyLoader {

    /** The presets shipped in this build, in the order the chapter introduces them. */
    public static final List<String> PRESETS = List.of("single", "lb", "replicated", "cached", "stateless");

    private static final Pattern NODE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "nodes");
    private static final Set<String> NODE_FIELDS = Set.of("role", "host", "port", "database", "settings",
                                                          "jvm-options", "external", "backends", "replica-of",
                                                          "replication", "cache");
    private static final Set<String> EXTERNAL_FIELDS = Set.of("url", "username", "password-file");
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private TopologyLoader() {}

    /** A preset name, or the path of a YAML file. */
    public static Topology load(String presetOrFile) {
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

    public static Topology preset(String name) {
        try (InputStream in = TopologyLoader.class.getResourceAsStream("/presets/" + name + ".yaml")) {
            if (in == null) {
                throw new TopologyException("no preset '" + name + "' (presets: " + String.join(", ", PRESETS) + ')');
            }
            return parse(in, "preset " + name);
        } catch (IOException e) {
            throw new TopologyException("cannot read preset " + name + ": " + e.getMessage(), e);
        }
    }

    public static Topology parse(InputStream in, String source) throws IOException {
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

    private static NodeSpec node(String name, JsonNode node, String path) {
        if (!NODE_NAME.matcher(name).matches()) {
            throw new TopologyException(path + ": node name '" + name
                                        + "' (expected: lower-case letters, digits and '-', at most 31)");
        }
        if (!node.isObject()) {
            throw new TopologyException(path + ": expected a mapping with at least 'role'");
        }
        checkFields(node, NODE_FIELDS, path);
        Role role;
        try {
            role = Role.of(text(node, "role", path));
        } catch (TopologyException e) {
            throw new TopologyException(path + ".role: " + e.getMessage(), e);
        }
        String host = node.path("host").asText("127.0.0.1");
        int port = port(node.get("port"), path + ".port");
        Optional<String> database = Optional.ofNullable(node.get("database")).map(JsonNode::asText);
        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode settingsNode = node.path("settings");
        if (!settingsNode.isMissingNode()) {
            if (!settingsNode.isObject()) {
                throw new TopologyException(path + ".settings: expected a mapping of names to values");
            }
            settingsNode.properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
        }
        List<String> jvmOptions = new ArrayList<>();
        JsonNode options = node.path("jvm-options");
        if (!options.isMissingNode()) {
            if (!options.isArray()) {
                throw new TopologyException(path + ".jvm-options: expected a list, e.g. [-Xmx512m]");
            }
            options.forEach(option -> jvmOptions.add(option.asText()));
        }
        Optional<NodeSpec.External> external = external(node.get("external"), role, path + ".external");
        List<String> backends = new ArrayList<>();
        JsonNode backendsNode = node.path("backends");
        if (!backendsNode.isMissingNode()) {
            if (!backendsNode.isArray()) {
                throw new TopologyException(path + ".backends: expected a list of web nodes, e.g. [web-1, web-2]");
            }
            backendsNode.forEach(backend -> backends.add(backend.asText()));
        }
        Optional<String> cache = Optional.ofNullable(node.get("cache")).map(JsonNode::asText);
        if (cache.isPresent() && role != Role.WEB) {
            throw new TopologyException(path + ".cache: only a web node uses a cache");
        }
        if (role == Role.REDIS) {
            RedisSettings.check(settings, path + ".settings");
            if (port != 0) {
                throw new TopologyException(path + ".port: " + port + " (a redis node is a cluster whose members "
                                            + "take free ports: leave it auto)");
            }
        }
        return new NodeSpec(name, role, host, port, database, Map.copyOf(settings), List.copyOf(jvmOptions),
                            external, List.copyOf(backends), replicaOf(node, role, path), cache);
    }

    private static Optional<NodeSpec.ReplicaOf> replicaOf(JsonNode node, Role role, String path) {
        JsonNode primary = node.get("replica-of");
        JsonNode replication = node.get("replication");
        if (primary == null) {
            if (replication != null) {
                throw new TopologyException(path + ".replication: only a replica (replica-of: ...) has one");
            }
            return Optional.empty();
        }
        if (role != Role.POSTGRES) {
            throw new TopologyException(path + ".replica-of: only a postgres node can be a replica");
        }
        String mode = replication == null ? "sync" : replication.asText();
        if (!mode.equals("sync") && !mode.equals("async")) {
            throw new TopologyException(path + ".replication: " + mode + " (expected: sync or async)");
        }
        return Optional.of(new NodeSpec.ReplicaOf(text(node, "replica-of", path), mode.equals("sync")));
    }

    private static Optional<NodeSpec.External> external(JsonNode external, Role role, String path) {
        if (external == null) {
            return Optional.empty();
        }
        if (role != Role.POSTGRES) {
            throw new TopologyException(path + ": only a postgres node can be external");
        }
        if (!external.isObject()) {
            throw new TopologyException(path + ": expected a mapping with url, username and password-file");
        }
        checkFields(external, EXTERNAL_FIELDS, path);
        String url = text(external, "url", path);
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new TopologyException(path + ".url: " + url + " (expected: jdbc:postgresql://host:port/database)");
        }
        return Optional.of(new NodeSpec.External(url, text(external, "username", path),
                                                 Path.of(text(external, "password-file", path))));
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
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new TopologyException(path + ": unknown field '" + field + "' (known: "
                                            + String.join(", ", known.stream().sorted().toList()) + ')');
            }
        });
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
