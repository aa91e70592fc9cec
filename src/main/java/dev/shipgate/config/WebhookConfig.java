package dev.shipgate.config;

/**
 * How outbound webhooks are delivered ({@code dev.shipgate.webhooks}). Times are milliseconds unless the
 * name says seconds.
 *
 * @param allowPrivateTargets whether endpoint URLs may be plain http and point at private, loopback or
 *                            link-local addresses (development and tests only: it opens the service to SSRF)
 * @param retryBaseMs         the wait before the first retry; each later wait doubles (at most an hour) with jitter
 * @param retryWindowSeconds  how long a delivery is retried before it is marked failed; an endpoint none of whose
 *                            deliveries succeeded for this long is disabled
 * @param connectTimeoutMs    the TCP (and TLS) connect timeout of one attempt
 * @param timeoutMs           how long one attempt may wait for the receiver's next bytes (read timeout)
 * @param maxConcurrency      deliveries in flight at most per service instance
 * @param pollMs              how often each instance looks for due deliveries when no notification woke it
 * @param rotationOverlapHours how long after a secret rotation the previous secret still signs deliveries (next to
 *                            the new one), unless the rotation asks otherwise; 0 ends it at once
 */
public record WebhookConfig(boolean allowPrivateTargets, int retryBaseMs, int retryWindowSeconds, int connectTimeoutMs,
                            int timeoutMs, int maxConcurrency, int pollMs,
                            int rotationOverlapHours) {
}
