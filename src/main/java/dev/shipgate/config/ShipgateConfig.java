package dev.shipgate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Every setting of the service, read once at startup and validated before anything starts, so a typo
 * stops the process with a message naming the setting instead of failing later under load.
 * {@code businessTimeZone} is the zone whose days analytics, "today" and bare filter dates mean.
 * {@code databaseReadUrl} ({@code DATABASE_READ_URL}) is an optional streaming replica of the primary that
 * takes the reads which may lag (see {@link dev.shipgate.db.ReadPool}).
 */
public record ShipgateConfig(
        String httpHost,
        int httpPort,
        int workers,
        int maxBodyBytes,
        int httpHeaderTimeoutSeconds,
        int httpRequestTimeoutSeconds,
        int sseHeartbeatSeconds,
        int shutdownGraceSeconds,
        Optional<DatabaseUrl> databaseUrl,
        Optional<DatabaseUrl> databaseReadUrl,
        int ormPoolSize,
        int ormMaxOverflow,
        int rawPoolSize,
        int maxWaitQueue,
        int embeddedPort,
        Path dataDir,
        Path webroot,
        java.util.Set<String> mcpAllowedOrigins,
        java.util.Set<String> corsAllowedOrigins,
        Optional<String> apiToken,
        int bulkMaxBodyBytes,
        int bulkLeaseSeconds,
        int purchaseLeaseSeconds,
        String labelFormat,
        int exceptionStallDays,
        int exceptionUnscannedDays,
        LogFormat logFormat,
        EasyPostConfig easypost,
        java.time.ZoneId businessTimeZone,

        WebhookConfig webhooks) {

    public enum LogFormat { JSON, TEXT }

    /** The ORM pool's ceiling: its base size plus the burst it may open under load. */
    public int ormPoolMax() {
        return ormPoolSize + ormMaxOverflow;
    }

    public Path embeddedDataDir() {
        return dataDir.resolve("pg");
    }
}
