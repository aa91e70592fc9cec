package dev.shipgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds {@link ShipgateConfig} from three layers, later ones winning: the defaults shipped in the jar
 * (a copy of {@code conf/shipgate.properties}), the operator's file ({@code SHIPGATE_CONFIG}, else
 * {@code conf/shipgate.properties} in the working directory when present), and the environment.
 */
public final class ConfigLoader {

    static final String DEFAULTS_RESOURCE = "/conf/shipgate.properties";

    private final Map<String, String> values;

    private ConfigLoader(Map<String, String> values) {
        this.values = values;
    }

    public static ShipgateConfig load(Map<String, String> env) {
        return new ConfigLoader(merged(env)).build();
    }

    /**
     * The log format the operator asked for, read on its own so that a refusal of some other setting can
     * still be logged in that format; JSON (the default) when it cannot be read either.
     */
    public static ShipgateConfig.LogFormat logFormatOrDefault(Map<String, String> env) {
        try {
            return new ConfigLoader(merged(env)).logFormat();
        } catch (ConfigException e) {
            return ShipgateConfig.LogFormat.JSON;
        }
    }

    private static Map<String, String> merged(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(readDefaults());
        Path file = env.containsKey("SHIPGATE_CONFIG")
                ? Path.of(env.get("SHIPGATE_CONFIG"))
                : Path.of("conf", "shipgate.properties");
        if (env.containsKey("SHIPGATE_CONFIG") || Files.isRegularFile(file)) {
            merged.putAll(readFile(file));
        }
        merged.keySet().forEach(key -> {
            if (env.containsKey(key)) {
                merged.put(key, env.get(key));
            }
        });
        return merged;
    }

    private ShipgateConfig build() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ShipgateConfig(
                host("HTTP_HOST"),
                integer("HTTP_PORT", 0, 65535, null),
                integer("WORKERS", 1, 256, cores),
                integer("HTTP_MAX_BODY_BYTES", 1024, 64 * 1024 * 1024, null),
                integer("HTTP_HEADER_TIMEOUT_SECONDS", 1, 600, null),
                integer("HTTP_REQUEST_TIMEOUT_SECONDS", 1, 3600, null),
                integer("SSE_HEARTBEAT_SECONDS", 1, 300, null),
                integer("SHUTDOWN_GRACE_SECONDS", 0, 600, null),
                optional("DATABASE_URL").map(v -> DatabaseUrl.parse("DATABASE_URL", v)),
                optional("DATABASE_READ_URL").map(v -> DatabaseUrl.parse("DATABASE_READ_URL", v)),
                integer("DATABASE_POOL_SIZE", 1, 1000, null),
                integer("DATABASE_MAX_OVERFLOW", 0, 1000, null),
                integer("DATABASE_RAW_POOL_SIZE", 1, 1000, 2 * cores),
                integer("DATABASE_MAX_WAIT_QUEUE", 1, 1_000_000, null),
                integer("DATABASE_EMBEDDED_PORT", 0, 65535, null),
                path("SHIPGATE_DATA_DIR"),
                path("WEBROOT"),
                origins("MCP_ALLOWED_ORIGINS"),
                origins("CORS_ALLOWED_ORIGINS"),
                optional("SHIPGATE_API_TOKEN").map(this::token),
                integer("BULK_MAX_BODY_BYTES", 1024, 256 * 1024 * 1024, null),
                integer("BULK_LEASE_SECONDS", 1, 3600, null),
                integer("PURCHASE_LEASE_SECONDS", 1, 3600, null),
                labelFormat(),
                integer("EXCEPTION_STALL_DAYS", 1, 365, null),
                integer("EXCEPTION_UNSCANNED_DAYS", 1, 365, null),
                logFormat(),
                easypost(),
                timeZone("BUSINESS_TIMEZONE"),

                webhooks());
    }

    private WebhookConfig webhooks() {
        return new WebhookConfig(
                flag("WEBHOOK_ALLOW_PRIVATE_TARGETS"),
                integer("WEBHOOK_RETRY_BASE_MS", 10, 3_600_000, null),
                integer("WEBHOOK_RETRY_WINDOW_SECONDS", 1, 7 * 86_400, null),
                integer("WEBHOOK_CONNECT_TIMEOUT_MS", 100, 60_000, null),
                integer("WEBHOOK_TIMEOUT_MS", 100, 120_000, null),
                integer("WEBHOOK_MAX_CONCURRENCY", 1, 1024, null),
                integer("WEBHOOK_POLL_MS", 10, 60_000, null),
                integer("WEBHOOK_SECRET_ROTATION_OVERLAP_HOURS", 0, 168, 24));
    }

    private EasyPostConfig easypost() {
        int readTimeout = integer("EASYPOST_READ_TIMEOUT_MS", 100, 300_000, null);
        int breakerTimeout = integer("EASYPOST_BREAKER_TIMEOUT_MS", 200, 600_000, null);
        if (readTimeout >= breakerTimeout) {
            throw new ConfigException("EASYPOST_READ_TIMEOUT_MS (" + readTimeout + ") must be below "
                    + "EASYPOST_BREAKER_TIMEOUT_MS (" + breakerTimeout + "): the breaker cannot cancel a blocking call");
        }
        String base = required("EASYPOST_API_BASE").replaceAll("/+$", "");
        if (!base.startsWith("https://")) {
            throw new ConfigException("EASYPOST_API_BASE must be an https:// URL without /v2 (got '" + base + "')");
        }
        if (base.endsWith("/v2")) {
            throw new ConfigException("EASYPOST_API_BASE must not end with /v2: the client adds it");
        }
        apiBaseAddress(base);
        Optional<Path> caFile = optional("EASYPOST_CA_FILE").map(v -> {
            Path p = Path.of(v);
            if (!Files.isReadable(p)) {
                throw new ConfigException("EASYPOST_CA_FILE cannot be read (got '" + v + "')");
            }
            return p;
        });
        return new EasyPostConfig(
                optional("EASYPOST_API_KEY"),
                base,
                caFile,
                optional("EASYPOST_WEBHOOK_SECRET"),
                integer("EASYPOST_MAX_CONCURRENCY", 1, 512, null),
                integer("EASYPOST_QUEUE_SIZE", 0, 100_000, null),
                integer("EASYPOST_CONNECT_TIMEOUT_MS", 100, 120_000, null),
                readTimeout,
                breakerTimeout,
                integer("EASYPOST_BREAKER_RESET_MS", 100, 600_000, null),
                integer("EASYPOST_MAX_ATTEMPTS", 1, 10, null),
                integer("EASYPOST_BACKOFF_MS", 1, 60_000, null),
                new EasyPostConfig.Simulator(
                        integer("EASYPOST_SIMULATOR_LATENCY_MS", 0, 600_000, null),
                        rate("EASYPOST_SIMULATOR_ERROR_RATE"),
                        rate("EASYPOST_SIMULATOR_RATE_LIMIT_RATE"),
                        rate("EASYPOST_SIMULATOR_TIMEOUT_RATE"),
                        flag("EASYPOST_SIMULATOR_SPLIT_WRITES"),
                        integer("EASYPOST_SIMULATOR_TRICKLE_MS", 0, 10_000, null),
                        rate("EASYPOST_SIMULATOR_CUT_RATE")),
                flag("EASYPOST_CHECK_KEY_AT_START"));
    }

    private double rate(String key) {
        String v = required(key);
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key + " must be a share between 0 and 1 (got '" + v + "')");
    }

    private boolean flag(String key) {
        String v = required(key);
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new ConfigException(key + " must be true or false (got '" + v + "')");
    }

    private Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key + " must be set"));
    }

    private int integer(String key, int min, int max, Integer whenEmpty) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty() && whenEmpty != null) {
            return whenEmpty;
        }
        String v = raw.orElseThrow(() -> new ConfigException(key + " must be set"));
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number between " + min + " and " + max + " (got '" + v + "')");
        }
        if (n < min || n > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + " (got " + n + ")");
        }
        return n;
    }

    private String host(String key) {
        String v = required(key);
        if (!v.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new ConfigException(key + " must be a host name or IP address (got '" + v + "')");
        }
        try {
            InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            throw new ConfigException(key + " does not resolve to an address (got '" + v + "')");
        }
        return v;
    }

    private Path path(String key) {
        String v = required(key);
        try {
            return Path.of(v).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(key + " is not a valid path (got '" + v + "')");
        }
    }

    /**
     * The EasyPost base must name a host and, if any, a numeric port: the client builds each call's URL from it,
     * so a bad one would fail every call at run time instead of the start.
     */
    private static void apiBaseAddress(String base) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(base);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException("EASYPOST_API_BASE is not a URL (got '" + base + "')");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("EASYPOST_API_BASE " + DatabaseUrl.badAuthority(base, uri.getRawAuthority())
                    + " (got '" + base + "')");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new ConfigException("EASYPOST_API_BASE has port " + uri.getPort() + ": a TCP port is 1 to 65535");
        }
    }

    private java.util.Set<String> origins(String key) {
        java.util.Set<String> origins = new java.util.LinkedHashSet<>();
        for (String o : optional(key).orElse("").split(",")) {
            String origin = o.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?")) {
                throw new ConfigException(key + " must list origins like https://host[:port] (got '" + origin + "')");
            }
            origins.add(origin);
        }
        return java.util.Set.copyOf(origins);
    }

    private String token(String v) {
        if (v.length() < 24 || v.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException("SHIPGATE_API_TOKEN must be at least 24 characters without spaces");
        }
        return v;
    }

    /** EasyPost's label formats (its {@code options.label_format}), in lower case. */
    private String labelFormat() {
        String v = required("LABEL_FORMAT").toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("png", "pdf", "zpl", "epl2").contains(v)) {
            throw new ConfigException("LABEL_FORMAT must be png, pdf, zpl or epl2 (got '" + v + "')");
        }
        return v;
    }

    /**
     * An IANA zone name exactly as the tz database spells it ({@code America/Los_Angeles}, {@code UTC});
     * fixed offsets and abbreviations such as {@code PST} are refused: they have no daylight saving rules.
     */
    private java.time.ZoneId timeZone(String key) {
        String v = required(key);
        if (!java.time.ZoneId.getAvailableZoneIds().contains(v)) {
            throw new ConfigException(key + " must be an IANA time zone name such as UTC or America/Los_Angeles (got '" + v + "')");
        }
        return java.time.ZoneId.of(v);
    }

    private ShipgateConfig.LogFormat logFormat() {
        String v = required("LOG_FORMAT");
        try {
            return ShipgateConfig.LogFormat.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("LOG_FORMAT must be json or text (got '" + v + "')");
        }
    }

    private static Map<String, String> readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DEFAULTS_RESOURCE + " in the build");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return toMap(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readFile(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return toMap(p);
        } catch (IOException e) {
            throw new ConfigException("SHIPGATE_CONFIG: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
