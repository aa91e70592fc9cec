package dev.shipgate.config;

import java.nio.file.Path;
import java.util.Optional;

/** How Shipgate talks to EasyPost, or to its built-in simulator when no API key is set. */
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
        Simulator simulator) {

    /** Knobs of the built-in simulator, so tests and benchmarks can provoke every failure. */
    public record Simulator(int latencyMs, double errorRate, double rateLimitRate, double timeoutRate) {
    }

    public boolean simulated() {
        return apiKey.isEmpty();
    }
}
