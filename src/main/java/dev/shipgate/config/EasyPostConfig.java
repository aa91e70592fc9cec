package dev.shipgate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How Shipgate talks to EasyPost, or to its built-in simulator when no API key is set. {@code checkKeyAtStart}:
 * with an API key, ask EasyPost for the carrier accounts once at start, so a refused key shows in {@code /health}
 * and the log before the first purchase ({@code EASYPOST_CHECK_KEY_AT_START}).
 */
public record EasyPostConfig(
        Optional<String> apiKey,
        String apiBase,
        Optional<Path> caFile,
        Optional<String> webhookSecret,
        int maxConcurrency,
        int queueSize,
        int connectTimeoutMs,
        int readTimeoutMs,
        int breakerTimeoutMs,
        int breakerResetMs,
        int maxAttempts,
        int backoffMs,
        Simulator simulator,
        boolean checkKeyAtStart) {

    /**
     * Knobs of the built-in simulator, so tests and benchmarks can provoke every failure. Rates are shares
     * of calls between 0 and 1; {@code splitWrites} sends every answer's headers first and its body in a
     * later write, {@code trickleMs} sends the body in small pieces this many milliseconds apart, and
     * {@code cutRate} is the share of calls that take effect but whose answer is cut off mid-body.
     */
    public record Simulator(int latencyMs, double errorRate, double rateLimitRate, double timeoutRate,
                            boolean splitWrites, int trickleMs, double cutRate) {

        /** Faults only, every answer written in one piece. */
        public Simulator(int latencyMs, double errorRate, double rateLimitRate, double timeoutRate) {
            this(latencyMs, errorRate, rateLimitRate, timeoutRate, false, 0, 0);
        }
    }

    public boolean simulated() {
        return apiKey.isEmpty();
    }
}
