package dev.shipgate.exceptions;

/** Lets tests in other packages EXPLAIN the exceptions queue's statements. */
public final class ExceptionSqlProbe {

    private ExceptionSqlProbe() {
    }

    /** A page's statement with the conditions of {@code mask} (bit 0 reason, 1 open only, 2 cursor). */
    public static String page(int mask) {
        return ExceptionSql.page(mask);
    }

    /** The queue's candidates: a bought label, not delivered, not refunded (on shipments {@code s}). */
    public static String open() {
        return ExceptionSql.OPEN;
    }

    public static String summary() {
        return ExceptionSql.SUMMARY;
    }

    /**
     * The whole queue, every entry with its reasons, sorted as a page is: how a page was read before the
     * reason indexes (migration V52), a sort of every candidate of {@code shipments_undelivered_idx}.
     */
    public static String wholeQueueSorted(String where) {
        return "SELECT q.* FROM (" + ExceptionSql.ENTRIES + ") q" + where + "\nORDER BY q.since DESC, q.id DESC";
    }
}
