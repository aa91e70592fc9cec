package dev.shipgate.analytics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a range of business days is cut into chart buckets, and which days it is compared with. All dates
 * are days of the business's time zone, as the rollup stores them.
 */
final class Periods {

    /**
     * Bucket sizes of {@code group=day|week|month}: weeks are ISO weeks (Monday to Sunday), months calendar
     * months. The first and last bucket of a range may hold only part of their week or month.
     */
    enum Grouping {
        DAY, WEEK, MONTH;

        /** The answer's spelling, as the {@code group} parameter takes it. */
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Grouping> fromWire(String value) {
            for (Grouping g : values()) {
                if (g.wire().equals(value)) {
                    return Optional.of(g);
                }
            }
            return Optional.empty();
        }

        /** A readable chart whatever the length: days up to 92 days (a quarter), weeks up to 400, then months. */
        static Grouping automatic(long days) {
            return days > 400 ? MONTH : days > 92 ? WEEK : DAY;
        }

        LocalDate lastDay(LocalDate start) {
            return switch (this) {
                case DAY -> start;
                case WEEK -> start.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
                case MONTH -> start.with(TemporalAdjusters.lastDayOfMonth());
            };
        }
    }

    /** Days {@code first} to {@code last}, both inclusive. */
    record Bucket(LocalDate first, LocalDate last) {
    }

    private Periods() {
    }

    /** The buckets of {@code from} to {@code to} (inclusive), in order, cut to the range at both ends. */
    static List<Bucket> buckets(LocalDate from, LocalDate to, Grouping grouping) {
        List<Bucket> buckets = new ArrayList<>();
        for (LocalDate start = from; !start.isAfter(to); ) {
            LocalDate end = grouping.lastDay(start);
            if (end.isAfter(to)) {
                end = to;
            }
            buckets.add(new Bucket(start, end));
            start = end.plusDays(1);
        }
        return buckets;
    }

    /** Days in {@code from} to {@code to}, both inclusive. */
    static int length(LocalDate from, LocalDate to) {
        return (int) ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The first day of the period of equal length just before {@code from}..{@code to}. */
    static LocalDate previousFrom(LocalDate from, LocalDate to) {
        return from.minusDays(length(from, to));
    }
}
