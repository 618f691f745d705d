package dev.millions.trace;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Reads an OTLP/HTTP export request (its protobuf encoding, the one the OpenTelemetry SDKs send) into
 * the spans the store keeps.
 */
final class OtlpTraces {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpTraces() {}

    /**
     * @throws IllegalArgumentException when the bytes are not an export request, or a span's ids are not
     *                                  16 and 8 bytes
     */
    static List<StoredSpan> decode(byte[] body) {
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an OTLP ExportTraceServiceRequest (" + body.length + " bytes): "
                                               + e.getMessage(), e);
        }
        List<StoredSpan> spans = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service = service(resourceSpans.getResource());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(stored(span, service));
                }
            }
        }
        return spans;
    }

    private static StoredSpan stored(Span span, String service) {
        String traceId = id(span.getTraceId(), 16, "traceId");
        String spanId = id(span.getSpanId(), 8, "spanId");
        String parent = span.getParentSpanId().isEmpty() ? null : id(span.getParentSpanId(), 8, "parentSpanId");
        Map<String, String> attributes = span.getAttributesList().stream().collect(Collectors.toMap(
                KeyValue::getKey, attribute -> text(attribute.getValue()), (first, second) -> second, LinkedHashMap::new));
        return new StoredSpan(traceId, spanId, parent, service, span.getName(),
                              span.getKind().name().replace("SPAN_KIND_", ""), span.getStartTimeUnixNano(),
                              span.getEndTimeUnixNano(), span.getStatus().getCode().name().replace("STATUS_CODE_", ""),
                              span.getStatus().getMessage(), attributes);
    }

    private static String service(Resource resource) {
        return resource.getAttributesList().stream().filter(attribute -> attribute.getKey().equals("service.name"))
                       .map(attribute -> text(attribute.getValue())).findFirst().orElse("unknown");
    }

    private static String id(ByteString bytes, int length, String field) {
        if (bytes.size() != length) {
            throw new IllegalArgumentException(field + ": " + bytes.size() + " bytes (expected: " + length + ')');
        }
        return HEX.formatHex(bytes.toByteArray());
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpTraces::text)
                                     .collect(Collectors.joining(", ", "[", "]"));
            case BYTES_VALUE -> HEX.formatHex(value.getBytesValue().toByteArray());
            default -> value.toString().strip();
        };
    }
}
