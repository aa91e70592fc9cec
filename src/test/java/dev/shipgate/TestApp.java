package dev.shipgate;

import dev.shipgate.config.ConfigLoader;
import dev.shipgate.config.ShipgateConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/** Starts the real service (all verticles, pools, Hibernate) on a free port against the test database. */
public final class TestApp {

    public static final String TOKEN = "sg_test_environment_token_0123456789";
    /** A front-end dev server allowed to call the API across origins. */
    public static final String DEV_ORIGIN = "http://localhost:5173";
    public static final String WEBHOOK_SECRET = "whsec_test_secret_for_signatures";

    private static ShipgateApp shared;

    private TestApp() {
    }

    /** One service for all API tests of the run; stopped when the JVM exits. */
    public static synchronized ShipgateApp shared() {
        if (shared == null) {
            shared = start(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public static ShipgateApp start(Map<String, String> overrides) {
        return ShipgateApp.start(config(overrides));
    }

    /** An app whose business "today" comes from {@code clock} (see {@link ShipgateApp#start(ShipgateConfig, java.time.Clock)}). */
    public static ShipgateApp start(Map<String, String> overrides, java.time.Clock clock) {
        return ShipgateApp.start(config(overrides), clock);
    }

    public static ShipgateConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", String.valueOf(freePort()));
        env.put("WORKERS", "2");
        env.put("SHIPGATE_API_TOKEN", TOKEN);
        env.put("DATABASE_URL", "postgresql://" + TestDatabase.url().user() + ":" + TestDatabase.url().password() + "@"
                + TestDatabase.url().host() + ":" + TestDatabase.url().port() + "/" + TestDatabase.url().database());
        env.put("SHUTDOWN_GRACE_SECONDS", "5");
        env.put("EASYPOST_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("CORS_ALLOWED_ORIGINS", DEV_ORIGIN);
        env.putAll(overrides);
        env.values().removeIf(v -> v == null);
        return ConfigLoader.load(env);
    }

    /** {@code DATABASE_URL} for a test database. */
    public static String databaseUrl(dev.shipgate.config.DatabaseUrl u) {
        return "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
    }

    /**
     * Settings for a service (usually a separate process) that talks to {@code simulator} as if it were
     * EasyPost, trusting its certificate from a file in {@code dir}, on {@code database}, with small pools.
     */
    public static Map<String, String> againstSimulator(java.nio.file.Path dir, dev.shipgate.easypost.EasyPostSimulator simulator,
                                                       dev.shipgate.config.DatabaseUrl database) throws IOException {
        java.nio.file.Path ca = dir.resolve("simulator.pem");
        java.nio.file.Files.writeString(ca, simulator.certificatePem());
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", databaseUrl(database));
        env.put("EASYPOST_API_KEY", dev.shipgate.easypost.EasyPostSimulator.API_KEY);
        env.put("EASYPOST_API_BASE", simulator.apiBase());
        env.put("EASYPOST_CA_FILE", ca.toString());
        // the simulator is shared with the test's own instance, whose tests count its calls: no call at start
        env.put("EASYPOST_CHECK_KEY_AT_START", "false");
        env.put("SHIPGATE_API_TOKEN", TOKEN);
        env.put("DATABASE_POOL_SIZE", "4");
        env.put("DATABASE_MAX_OVERFLOW", "2");
        env.put("DATABASE_RAW_POOL_SIZE", "6");
        return env;
    }

    /** Whether something accepts connections on the loopback port. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
