package dev.millions.ops.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The samples that {@link MetricsSource}s give the supervisor, gathered into families by name (so two
 * database clusters share one {@code millions_db_epoch} family) and written in Prometheus' text format
 * by the Prometheus Java client.
 */
public final class MetricFamilies {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final Map<String, Family> families = new LinkedHashMap<>();

    /**
     * @param labels name and value pairs: {@code "cluster", "db-1", "node", "db-2"}
     */
    public void gauge(String name, String help, double value, String... labels) {
        family(name, help, false).samples.add(new Sample(Labels.of(labels), value));
    }

    /** A counter; its name ends in {@code _total}, as it is exposed. */
    public void counter(String name, String help, double value, String... labels) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter name: " + name + " (expected: ending in _total)");
        }
        family(name.substring(0, name.length() - "_total".length()), help, true).samples
                .add(new Sample(Labels.of(labels), value));
    }

    private Family family(String name, String help, boolean counter) {
        Family family = families.computeIfAbsent(name, ignored -> new Family(help, counter));
        if (family.counter != counter) {
            throw new IllegalArgumentException(name + " is already a " + (family.counter ? "counter" : "gauge"));
        }
        return family;
    }

    /** Every family, in Prometheus' text format. */
    public String text() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        families.forEach((name, family) -> snapshots.add(family.snapshot(name)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            WRITER.write(out, new MetricSnapshots(snapshots));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private record Sample(Labels labels, double value) {}

    private static final class Family {

        final String help;
        final boolean counter;
        final List<Sample> samples = new ArrayList<>();

        Family(String help, boolean counter) {
            this.help = help;
            this.counter = counter;
        }

        MetricSnapshot snapshot(String name) {
            if (counter) {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                samples.forEach(sample -> builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .value(sample.value()).labels(sample.labels()).build()));
                return builder.build();
            }
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            samples.forEach(sample -> builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .value(sample.value()).labels(sample.labels()).build()));
            return builder.build();
        }
    }
}
