package dev.millions.ops.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of one node (or of a mapping inside it) as a role reads them: every value comes with its
 * path, so that a mistake is reported where it is ({@code preset x: nodes.db.replication}).
 */
public final class NodeFields {

    private final JsonNode node;
    private final String path;
    private final String name;
    private final int port;

    NodeFields(JsonNode node, String path, String name, int port) {
        this.node = node;
        this.path = path;
        this.name = name;
        this.port = port;
    }

    /** Where these fields are, for messages: {@code test: nodes.db}. */
    public String path() {
        return path;
    }

    /** The node's name. */
    public String name() {
        return name;
    }

    /** The node's port from the common fields, 0 for any free port. */
    public int port() {
        return port;
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** A text field that must be there. */
    public String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new TopologyException(path + ": '" + field + "' is required");
        }
        return value.asText();
    }

    public Optional<String> optionalText(String field) {
        return Optional.ofNullable(node.get(field)).map(JsonNode::asText);
    }

    /** A list of text values, empty when the field is missing; {@code example} shows what is expected. */
    public List<String> list(String field, String example) {
        JsonNode value = node.path(field);
        List<String> values = new ArrayList<>();
        if (!value.isMissingNode()) {
            if (!value.isArray()) {
                throw new TopologyException(path + '.' + field + ": expected a list, e.g. " + example);
            }
            value.forEach(item -> values.add(item.asText()));
        }
        return List.copyOf(values);
    }

    /** A mapping of names to text values, empty when the field is missing. */
    public Map<String, String> map(String field) {
        JsonNode value = node.path(field);
        Map<String, String> values = new LinkedHashMap<>();
        if (!value.isMissingNode()) {
            if (!value.isObject()) {
                throw new TopologyException(path + '.' + field + ": expected a mapping of names to values");
            }
            value.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        }
        return java.util.Collections.unmodifiableMap(values);
    }

    /** A nested mapping with only {@code known} fields, or empty when the field is missing. */
    public Optional<NodeFields> mapping(String field, Set<String> known, String expected) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        String at = path + '.' + field;
        if (!value.isObject()) {
            throw new TopologyException(at + ": expected " + expected);
        }
        checkKnown(value, known, at);
        return Optional.of(new NodeFields(value, at, name, port));
    }

    static void checkKnown(JsonNode node, Set<String> known, String path) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new TopologyException(path + ": unknown field '" + field + "' (known: "
                                            + String.join(", ", known.stream().sorted().toList()) + ')');
            }
        });
    }
}
