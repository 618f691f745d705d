package dev.millions.ops.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of Prometheus' text exposition format: a metric's name, its labels and its value. Comments
 * and lines that are not samples are left out when parsing.
 */
record Sample(String name, Map<String, String> labels, double value) {

    String label(String key) {
        return labels.getOrDefault(key, "");
    }

    /** The samples of a scrape, in order. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        text.lines().forEach(line -> {
            if (!line.isBlank() && !line.startsWith("#")) {
                Sample sample = parseLine(line);
                if (sample != null) {
                    samples.add(sample);
                }
            }
        });
        return samples;
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int valueStart;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int end = labels(line, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            valueStart = end + 1;
        } else {
            name = line.substring(0, space);
            valueStart = space;
        }
        String[] rest = line.substring(valueStart).strip().split(" ");
        try {
            return new Sample(name, labels, value(rest[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Prometheus writes infinities as {@code +Inf} and {@code -Inf}, which Java does not parse. */
    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Reads {@code key="value",...} up to the closing brace; returns its index, or -1 when malformed. */
    private static int labels(String line, int start, Map<String, String> into) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int equals = line.indexOf('=', i);
            if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                return -1;
            }
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (j < line.length() && line.charAt(j) != '"') {
                if (line.charAt(j) == '\\' && j + 1 < line.length()) {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(line.charAt(j));
                }
                j++;
            }
            into.put(line.substring(i, equals).strip(), value.toString());
            i = j + 1;
        }
        return -1;
    }
}
