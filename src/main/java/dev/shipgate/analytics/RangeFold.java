package dev.shipgate.analytics;

import dev.shipgate.analytics.AnalyticsRoutes.DayView;
import dev.shipgate.analytics.ClosedDays.Folded;
import dev.shipgate.analytics.ClosedDays.Fresh;
import dev.shipgate.analytics.ClosedDays.Span;
import dev.shipgate.analytics.Periods.Bucket;
import dev.shipgate.analytics.Periods.Grouping;
import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One analytics answer assembled from the closed spans {@link ClosedDays} keeps folded, with only the days not
 * kept (yesterday and today, and closed days read for the first time) read and folded. The answer is the same,
 * byte for byte, as {@link AnalyticsRoutes#fold} of the range's rows: a span's figures are exact sums, so
 * adding folded spans gives what adding their rows gives, and a kept bucket's JSON is the encoding of the
 * {@link DayView} it would have been.
 *
 * <p>A request first plans (which spans it can take from memory, which days it must read), then reads, then
 * folds; what it found kept while planning is what it uses, even if a change evicts it meanwhile (the change
 * committed after the request's sync, so the answer is one the table gave at some moment after the request began).
 * Closed spans it had to fold are kept for the next request, unless a change was announced since it planned.
 * Used on one event loop, by one request.
 */
final class RangeFold {

    /** A range's answer as {@link AnalyticsRoutes.RangeView}, whose buckets may be kept encodings. */
    record RangeAnswer(LocalDate from, LocalDate to, String timeZone, String group, DayView totals, List<Object> days,
                       PeriodAnswer previous) {
    }

    /** The previous period as {@link AnalyticsRoutes.Period}, whose buckets may be kept encodings. */
    record PeriodAnswer(LocalDate from, LocalDate to, DayView totals, List<Object> days) {
    }

    private final ClosedDays closed;
    /** The last day deemed closed by this service's clock; the database's clock has the last word on keeping. */
    private final LocalDate lastClosed;
    private final long epoch;
    /** The folds of closed spans this request uses: found kept while planning, or folded by it. */
    private final Map<Span, Folded> folds = new HashMap<>();
    private final TreeSet<LocalDate> closedToRead = new TreeSet<>();
    private final TreeSet<LocalDate> openToRead = new TreeSet<>();
    private Fresh fresh;

    /**
     * @param today the business's today by this service's clock: yesterday and today are read every time
     */
    RangeFold(ClosedDays closed, LocalDate today) {
        this.closed = closed;
        this.lastClosed = today.minusDays(2);
        this.epoch = closed.epoch();
    }

    /**
     * The answer for {@code from} to {@code to} (both inclusive) in buckets of {@code grouping}, beside the
     * period of equal length before it; {@code time_zone} is {@code zone}.
     */
    Future<RangeAnswer> range(LocalDate from, LocalDate to, Grouping grouping, String zone) {
        int length = Periods.length(from, to);
        List<Bucket> buckets = Periods.buckets(from, to, grouping);
        List<Span> current = new ArrayList<>(buckets.size());
        List<Span> before = new ArrayList<>(buckets.size());
        for (Bucket b : buckets) {
            current.add(new Span(b.first(), b.last()));
            before.add(new Span(b.first().minusDays(length), b.last().minusDays(length)));
        }
        Span total = new Span(from, to);
        Span previousTotal = new Span(from.minusDays(length), from.minusDays(1));
        current.forEach(this::plan);
        before.forEach(this::plan);
        plan(total);
        plan(previousTotal);
        return read().map(done -> {
            DayView totals = DayView.of(from.equals(to) ? from : null, summary(total));
            DayView previousTotals = DayView.of(length == 1 ? from.minusDays(1) : null, summary(previousTotal));
            PeriodAnswer previous = new PeriodAnswer(previousTotal.first(), previousTotal.last(), previousTotals,
                    buckets(before));
            return new RangeAnswer(from, to, zone, grouping.wire(), totals, buckets(current), previous);
        });
    }

    /** One day's figures, as {@code /analytics/{date}} shows them. */
    Future<DayView> day(LocalDate day) {
        Span span = Span.day(day);
        plan(span);
        return read().map(done -> DayView.of(day, summary(span)));
    }

    /** Notes what {@code span} needs: its kept fold, or the folds of its closed part and its open days. */
    private void plan(Span span) {
        if (folds.containsKey(span)) {
            return;
        }
        if (!span.last().isAfter(lastClosed)) {
            Folded kept = closed.folded(span);
            if (kept != null) {
                folds.put(span, kept);
            } else if (span.first().equals(span.last())) {
                closedToRead.add(span.first());
            } else {
                for (LocalDate d = span.first(); !d.isAfter(span.last()); d = d.plusDays(1)) {
                    plan(Span.day(d));
                }
            }
            return;
        }
        if (!span.first().isAfter(lastClosed)) {
            plan(new Span(span.first(), lastClosed));
        }
        for (LocalDate d = later(span.first(), lastClosed.plusDays(1)); !d.isAfter(span.last()); d = d.plusDays(1)) {
            openToRead.add(d);
        }
    }

    private Future<Void> read() {
        if (closedToRead.isEmpty() && openToRead.isEmpty()) {
            fresh = new Fresh(Map.of(), Set.of());
            return Future.succeededFuture();
        }
        return closed.read(List.copyOf(closedToRead), List.copyOf(openToRead)).map(answer -> {
            fresh = answer;
            return null;
        });
    }

    /** The chart buckets of {@code spans}: kept encodings for closed ones, views of fresh folds for the others. */
    private List<Object> buckets(List<Span> spans) {
        List<Object> out = new ArrayList<>(spans.size());
        for (Span s : spans) {
            out.add(s.last().isAfter(lastClosed) ? DayView.of(s.first(), summary(s)) : closedFold(s).bucket());
        }
        return out;
    }

    /** The figures of {@code span}, planned before: its closed part's fold and its open days read. */
    private Summary summary(Span span) {
        if (!span.last().isAfter(lastClosed)) {
            return closedFold(span).summary();
        }
        Summary out = new Summary();
        if (!span.first().isAfter(lastClosed)) {
            out.add(closedFold(new Span(span.first(), lastClosed)).summary());
        }
        for (LocalDate d = later(span.first(), lastClosed.plusDays(1)); !d.isAfter(span.last()); d = d.plusDays(1)) {
            out.add(fresh.days().get(d));
        }
        return out;
    }

    /**
     * The fold of a span of closed days: as kept, or folded from its days and kept (unless the database's clock
     * said one of the days read is not closed yet: then nothing this request folded is kept).
     */
    private Folded closedFold(Span span) {
        Folded known = folds.get(span);
        if (known != null) {
            return known;
        }
        Summary sum;
        if (span.first().equals(span.last())) {
            sum = fresh.days().get(span.first());
        } else {
            sum = new Summary();
            for (LocalDate d = span.first(); !d.isAfter(span.last()); d = d.plusDays(1)) {
                sum.add(closedFold(Span.day(d)).summary());
            }
        }
        Folded folded = ClosedDays.fold(span, sum);
        if (fresh.notClosed().isEmpty()) {
            closed.keep(span, folded, epoch);
        }
        folds.put(span, folded);
        return folded;
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
