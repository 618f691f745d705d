package dev.millions.common.admin;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/** A request to an admin route: its path's named parts, its query, its JSON body. */
public final class AdminRequest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An admin request says what to do, in a few bytes; more is a mistake or an attack. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpExchange exchange;
    private final Map<String, String> parameters;

    AdminRequest(HttpExchange exchange, Map<String, String> parameters) {
        this.exchange = exchange;
        this.parameters = Map.copyOf(parameters);
    }

    /** The path's part named {@code name} in the route ({@code /nodes/{name}/restart}). */
    public String parameter(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no part {" + name + "}: " + parameters.keySet());
        }
        return value;
    }

    /** The raw query, or an empty string. */
    public String query() {
        String query = exchange.getRequestURI().getQuery();
        return query == null ? "" : query;
    }

    /** A request header, or {@code null}. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * The raw body, for a route that takes more than a command: spans, say.
     *
     * @throws AdminServer.TooLarge past {@code maxBytes}
     */
    public byte[] body(int maxBytes) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw new AdminServer.TooLarge("the body is over " + maxBytes + " bytes");
        }
        return body;
    }

    /**
     * The body as JSON; an empty body reads as an empty object.
     *
     * @throws IllegalArgumentException when it is not JSON
     * @throws AdminServer.TooLarge past 64 KiB
     */
    public JsonNode json() throws IOException {
        byte[] body = body(MAX_BODY_BYTES);
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
