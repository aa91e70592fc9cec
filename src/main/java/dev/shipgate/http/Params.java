package dev.shipgate.http;

import java.util.UUID;

/** Request parameters every feature reads the same way, failing with a 400 that names the parameter. */
public final class Params {

    private Params() {
    }

    /** A UUID in its canonical 36-character form. */
    public static UUID uuid(String name, String raw, String what) {
        try {
            if (raw != null && raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be " + what + " (a UUID)").exception();
    }

    /** An optional whole number within bounds. */
    public static int integer(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Problem.invalidParam(name, "must be a whole number from " + min + " to " + max).exception();
    }
}
