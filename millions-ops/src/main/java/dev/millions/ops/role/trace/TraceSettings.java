package dev.millions.ops.role.trace;

import java.util.Optional;

import dev.millions.ops.topology.RoleSettings;

/**
 * The settings of a trace store.
 *
 * @param sampling the share of new traces recorded by the nodes that send here, 0..1
 * @param maxSpans how many spans our store keeps in memory
 * @param endpoint an OTLP collector that runs elsewhere (Jaeger, Tempo, an OpenTelemetry Collector), used
 *                 instead of starting our store
 */
record TraceSettings(double sampling, int maxSpans, Optional<String> endpoint) implements RoleSettings {}
