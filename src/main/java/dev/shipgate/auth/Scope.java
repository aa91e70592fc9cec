package dev.shipgate.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a token may do. Each scope stands alone (none implies another), so an operator grants exactly
 * what an agent needs: {@code read} (lists, shipments, tracking, analytics, its own approvals), {@code ship}
 * (create shipments, verify addresses, trackers, bulk jobs without buying), {@code buy} (buy, refund, bulk
 * jobs with buying), {@code admin} (tokens, approvals of every token, the audit trail, operations).
 */
public enum Scope {
    READ, SHIP, BUY, ADMIN;

    /** Every scope: tokens made before scopes existed and the token printed at first start. */
    public static final Set<Scope> ALL = EnumSet.allOf(Scope.class);

    /** The name clients write and read ({@code read}, {@code ship}, ...). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope of a wire name, or empty for a name that is not one. */
    public static Optional<Scope> parse(String wire) {
        for (Scope s : values()) {
            if (s.wire().equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
