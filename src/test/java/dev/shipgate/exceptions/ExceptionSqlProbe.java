package dev.shipgate.exceptions;

/** Lets tests in other packages EXPLAIN the exceptions queue's statements. */
public final class ExceptionSqlProbe {

    private ExceptionSqlProbe() {
    }

    /** A page's statement with the conditions of {@code mask} (bit 0 reason, 1 open only, 2 cursor). */
    public static String page(int mask) {
        return ExceptionSql.page(mask);
    }

    public static String summary() {
        return ExceptionSql.SUMMARY;
    }
}
