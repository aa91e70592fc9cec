package dev.shipgate.bench;

import java.time.Duration;

/** What benchmarks/run.sh hands every simulation, through the environment (the forked JVM inherits it). */
final class Settings {

    private Settings() {
    }

    static String text(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static int number(String name, int fallback) {
        return Integer.parseInt(text(name, String.valueOf(fallback)));
    }

    static String baseUrl() {
        return text("SG_BASE_URL", "http://127.0.0.1:8080");
    }

    static String token() {
        return text("SG_TOKEN", "");
    }

    /** Concurrent users, each holding its own keep-alive connection. */
    static int users(int fallback) {
        return number("SG_USERS", fallback);
    }

    static Duration warmUp() {
        return Duration.ofSeconds(number("SG_WARMUP_SECONDS", 10));
    }

    static Duration measured() {
        return Duration.ofSeconds(number("SG_SECONDS", 30));
    }

    /** The p99 target in milliseconds the simulation asserts. */
    static int p99(int fallback) {
        return number("SG_P99_MS", fallback);
    }
}
