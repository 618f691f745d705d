package dev.millions.ops.logs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a log line was written, read from the line in whichever format its server writes: our JSON
 * ({@code "@timestamp"} or {@code "ts"} ISO-8601, or {@code "timestamp"} in epoch milliseconds),
 * PostgreSQL's {@code jsonlog} ({@code "timestamp":"2026-12-03 00:59:11.406 UTC"}), Kafka's log4j ({@code 2026-12-03T00:59:10.472Z [thread] ...}), PostgreSQL's stderr
 * ({@code 2026-12-03 00:59:11.406 UTC [pid] LOG: ...}) and Redis's
 * ({@code 24308:M 03 Dec 2026 00:59:11.119 * ...}, local time, which is UTC on our nodes).
 */
final class LogTime {

    private static final Pattern JSON_ISO = Pattern.compile("\"(?:@timestamp|ts)\":\"([^\"]+)\"");
    private static final Pattern JSON_MILLIS = Pattern.compile("\"timestamp\":(\\d{10,})");
    private static final Pattern JSON_POSTGRES = Pattern.compile("\"timestamp\":\"(\\d{4}-\\d{2}-\\d{2} [0-9:.]+) UTC\"");
    private static final Pattern ISO_START = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(?:Z|[+-]\\d{2}:?\\d{2}))\\s");
    private static final Pattern POSTGRES = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?) UTC ");
    private static final Pattern REDIS = Pattern.compile("^\\d+:[A-Z] (\\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ");
    private static final DateTimeFormatter POSTGRES_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]", Locale.ROOT);
    private static final DateTimeFormatter REDIS_TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);

    private LogTime() {}

    /** The line's time, or empty for a line that has none (a stack trace's next line). */
    static Optional<Instant> of(String line) {
        try {
            if (line.startsWith("{")) {
                Matcher iso = JSON_ISO.matcher(line);
                if (iso.find()) {
                    return Optional.of(Instant.parse(iso.group(1)));
                }
                Matcher postgres = JSON_POSTGRES.matcher(line);
                if (postgres.find()) {
                    return Optional.of(LocalDateTime.parse(postgres.group(1), POSTGRES_TIME).toInstant(ZoneOffset.UTC));
                }
                Matcher millis = JSON_MILLIS.matcher(line);
                return millis.find() ? Optional.of(Instant.ofEpochMilli(Long.parseLong(millis.group(1)))) : Optional.empty();
            }
            Matcher iso = ISO_START.matcher(line);
            if (iso.find()) {
                return Optional.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(iso.group(1), Instant::from));
            }
            Matcher postgres = POSTGRES.matcher(line);
            if (postgres.find()) {
                return Optional.of(LocalDateTime.parse(postgres.group(1), POSTGRES_TIME).toInstant(ZoneOffset.UTC));
            }
            Matcher redis = REDIS.matcher(line);
            if (redis.find()) {
                return Optional.of(LocalDateTime.parse(redis.group(1), REDIS_TIME).toInstant(ZoneOffset.UTC));
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
