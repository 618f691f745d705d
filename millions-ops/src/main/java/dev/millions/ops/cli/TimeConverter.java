package dev.millions.ops.cli;

import java.time.Duration;

import dev.millions.bench.fault.FaultSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a time option ({@code 500ms}, {@code 10s}, {@code 2m}): a bad one is a usage error that names the option. */
final class TimeConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return FaultSpec.duration(value, value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' (expected a number with ms, s or m, e.g. 500ms, 10s, 2m)");
        }
    }
}
