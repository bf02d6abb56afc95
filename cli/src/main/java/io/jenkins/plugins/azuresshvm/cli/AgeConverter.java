package io.jenkins.plugins.azuresshvm.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** An age: ISO-8601 ({@code PT2H}, {@code P3D}) or a number with {@code m}, {@code h} or {@code d} ({@code 90m}). */
final class AgeConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("([0-9]{1,9})([mhd])");

    @Override
    public Duration convert(String value) {
        Matcher simple = SIMPLE.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative()) {
                return duration;
            }
        } catch (DateTimeParseException notIso) {
            // the message below says what is accepted
        }
        throw new CommandLine.TypeConversionException("'" + value
                + "' is not an age: use 30m, 2h, 3d or ISO-8601 such as PT2H or P3D");
    }
}
