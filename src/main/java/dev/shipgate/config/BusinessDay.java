package dev.shipgate.config;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * The business's days ({@code BUSINESS_TIMEZONE}): what "today" is and when a day begins, for every rule that
 * speaks of a day (daily spend limits, the exceptions queue's estimated delivery day, end-of-day scan forms,
 * carrier performance). A day that is a UTC day was what a person in Los Angeles did not mean: at 17:00 there
 * the UTC day has already turned. The clock is here so tests can stand just before or after a local midnight.
 */
public record BusinessDay(ZoneId zone, Clock clock) {

    /** The business's days, on the system clock. */
    public static BusinessDay of(ZoneId zone) {
        return new BusinessDay(zone, Clock.systemUTC());
    }

    /** Today in the business's time zone. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    /** The instant {@code day} begins in the business's time zone (a DST change moves it, never the day). */
    public OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }

    /** The zone's IANA name, as answers say it in {@code time_zone} and SQL takes it in {@code AT TIME ZONE}. */
    public String zoneName() {
        return zone.getId();
    }
}
