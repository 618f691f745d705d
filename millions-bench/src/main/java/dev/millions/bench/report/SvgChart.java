package dev.millions.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart over a run's seconds, as SVG text with no dependencies: series as polylines, the
 * warm-up shaded, and each fault as a labelled vertical line, so that a person sees at a glance what
 * a fault did.
 */
final class SvgChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 280;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;
    private static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                             "#e377c2", "#7f7f7f" };

    private final String title;
    private final String unit;
    private final int seconds;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<Shade> shades = new ArrayList<>();
    private double warmupSeconds;

    SvgChart(String title, String unit, int seconds) {
        this.title = title;
        this.unit = unit;
        this.seconds = Math.max(1, seconds);
    }

    SvgChart series(String name, double[] values) {
        series.add(new Series(name, values, COLORS[series.size() % COLORS.length]));
        return this;
    }

    SvgChart marker(double second, String label) {
        markers.add(new Marker(second, label));
        return this;
    }

    /** A red band over seconds {@code from} to {@code to}, e.g. an outage. */
    SvgChart shade(double from, double to, String label) {
        shades.add(new Shade(from, to, label));
        return this;
    }

    SvgChart warmup(double untilSecond) {
        warmupSeconds = untilSecond;
        return this;
    }

    String render() {
        double max = 0;
        for (Series s : series) {
            for (double v : s.values) {
                max = Math.max(max, v);
            }
        }
        double top = niceCeiling(max);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                                              + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                                 WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                                 LEFT, escape(title)));
        if (warmupSeconds > 0) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eeeeee\"/>"
                                                  + "<text x=\"%.1f\" y=\"%d\" fill=\"#888\">warm-up</text>%n",
                                     x(0), TOP, x(warmupSeconds) - x(0), plotHeight(), x(0) + 4, TOP + 12));
        }
        for (Shade shade : shades) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#d62728\" "
                                                  + "fill-opacity=\"0.12\"><title>%s</title></rect>%n",
                                     x(shade.from), TOP, x(shade.to) - x(shade.from), plotHeight(), escape(shade.label)));
        }
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            double y = y(value, top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                                     LEFT, WIDTH - RIGHT, y, y, LEFT - 6, y + 4, label(value)));
        }
        int step = Math.max(1, niceStep(seconds / 10.0));
        for (int second = 0; second <= seconds; second += step) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>%n",
                                     x(second), HEIGHT - BOTTOM + 16, second));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
                                              + "text-anchor=\"middle\">%s</text>%n",
                                 TOP + plotHeight() / 2, TOP + plotHeight() / 2, escape(unit)));
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.values.length; i++) {
                // Each value covers its second: plot it at the second's middle.
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i + 0.5), y(s.values[i], top)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" "
                                                  + "points=\"%s\"/>%n", s.color, points.toString().strip()));
        }
        int legendX = LEFT + 8;
        for (Series s : series) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                                                  + "<text x=\"%d\" y=\"%d\">%s</text>%n",
                                     legendX, HEIGHT - 10, s.color, legendX + 14, HEIGHT - 6, escape(s.name)));
            legendX += 24 + 7 * s.name.length();
        }
        int row = 0;
        for (Marker marker : markers) {
            double x = x(marker.second);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\" "
                                                  + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\">%s</text>%n",
                                     x, x, TOP, TOP + plotHeight(), x + 3, TOP + 24 + 12 * (row++ % 3),
                                     escape(marker.label)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private double x(double second) {
        return LEFT + (WIDTH - LEFT - RIGHT) * second / seconds;
    }

    private double y(double value, double top) {
        return TOP + plotHeight() - plotHeight() * (top == 0 ? 0 : value / top);
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double factor : new double[] { 1, 2, 5, 10 }) {
            if (factor * power >= value) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static int niceStep(double raw) {
        return (int) niceCeiling(Math.max(1, raw));
    }

    private static String label(double value) {
        return value >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                                                         : String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private record Series(String name, double[] values, String color) {}

    private record Marker(double second, String label) {}

    private record Shade(double from, double to, String label) {}
}
