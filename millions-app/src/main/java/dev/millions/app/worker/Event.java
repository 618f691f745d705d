package dev.millions.app.worker;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An event of the app's topics, as the outbox wrote it: its id, its type and its fields. */
record Event(UUID id, String type, JsonNode body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads an event; what is not one is poison. */
    static Event parse(byte[] value) {
        JsonNode body;
        try {
            body = JSON.readTree(value);
        } catch (Exception e) {
            throw new PoisonEventException("not JSON: " + e.getMessage(), e);
        }
        if (body == null || !body.isObject()) {
            throw new PoisonEventException("not a JSON object");
        }
        try {
            return new Event(UUID.fromString(body.path("eventId").asText()), body.path("type").asText(), body);
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("no eventId (a UUID): " + body.path("eventId"), e);
        }
    }

    long number(String field) {
        JsonNode value = body.path(field);
        if (!value.canConvertToLong()) {
            throw new PoisonEventException(type + " event " + id + " has no number " + field + ": " + value);
        }
        return value.asLong();
    }

    String text(String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new PoisonEventException(type + " event " + id + " has no text " + field + ": " + value);
        }
        return value.asText();
    }

    /** When the change was committed, if the event says. */
    Optional<Instant> at() {
        try {
            return body.hasNonNull("at") ? Optional.of(Instant.parse(body.get("at").asText())) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
