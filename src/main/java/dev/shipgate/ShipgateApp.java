package dev.shipgate;

import dev.shipgate.db.Database;
import dev.shipgate.analytics.AnalyticsRoutes;
import dev.shipgate.analytics.ClosedDays;
import dev.shipgate.analytics.CarrierPerformance;
import dev.shipgate.exceptions.ExceptionRoutes;
import dev.shipgate.exceptions.QueueSettings;
import dev.shipgate.exceptions.QueueStay;
import dev.shipgate.analytics.Rollups;
import dev.shipgate.auth.TokenAuth;
import dev.shipgate.auth.TokenCache;
import dev.shipgate.bulk.BulkRoutes;
import dev.shipgate.bulk.BulkWorkerVerticle;
import dev.shipgate.auth.Tokens;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.db.ConnectionBudget;
import dev.shipgate.db.Orm;
import dev.shipgate.db.Pools;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.SimulatorFiles;
import dev.shipgate.http.Drain;
import dev.shipgate.http.EventStreams;
import dev.shipgate.http.HttpConnections;
import dev.shipgate.http.HttpVerticle;
import dev.shipgate.http.RouteCatalog;
import dev.shipgate.mcp.McpEndpoint;
import dev.shipgate.ops.ApiDocs;
import dev.shipgate.ops.OpsRoutes;
import dev.shipgate.ops.PoolWaitHistogram;
import dev.shipgate.ops.Retention;
import dev.shipgate.carriers.CarrierAccounts;
import dev.shipgate.carriers.CarrierRoutes;
import dev.shipgate.pickups.PickupRoutes;
import dev.shipgate.pickups.Pickups;
import dev.shipgate.scanforms.ScanFormRoutes;
import dev.shipgate.scanforms.ScanForms;
import dev.shipgate.shipments.Address;
import dev.shipgate.shipments.CustomsInfo;
import dev.shipgate.shipments.CustomsItem;
import dev.shipgate.shipments.ShipmentForm;
import dev.shipgate.shipments.Parcel;
import dev.shipgate.shipments.Rate;
import dev.shipgate.shipments.Shipment;
import dev.shipgate.shipments.ShipmentEvent;
import dev.shipgate.shipments.ShipmentRoutes;
import dev.shipgate.shipments.CreationReconciler;
import dev.shipgate.labelbatches.LabelBatchRoutes;
import dev.shipgate.labelbatches.LabelBatchWorker;
import dev.shipgate.labelbatches.LabelBatches;
import dev.shipgate.shipments.LabelFiles;
import dev.shipgate.shipments.LabelFormat;
import dev.shipgate.shipments.LabelService;
import dev.shipgate.http.Idempotency;
import dev.shipgate.tracking.TrackerRoutes;
import dev.shipgate.tracking.TrackingRoutes;
import dev.shipgate.tracking.WebhookRoutes;
import dev.shipgate.web.Dashboard;
import dev.shipgate.webhooks.DispatcherVerticle;
import dev.shipgate.webhooks.EndpointRoutes;
import dev.shipgate.approvals.ApprovalRoutes;
import dev.shipgate.audit.AuditLog;
import dev.shipgate.audit.AuditRoutes;
import dev.shipgate.auth.TokenRoutes;
import dev.shipgate.shipments.Checkout;
import dev.shipgate.spend.Approvals;
import dev.shipgate.spend.SpendLedger;
import dev.shipgate.addresses.AddressRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hibernate.reactive.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service. Startup order matters and is all here: database, schema, connection budget,
 * shared pools and SessionFactory, then one HTTP verticle per event loop. {@link #close()} undoes it in
 * reverse after letting in-flight requests finish.
 */
public final class ShipgateApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShipgateApp.class);

    private final ShipgateConfig config;
    private final Database database;
    private final Vertx vertx;
    private final Pools pools;
    private final Stage.SessionFactory sessions;
    private final Drain drain;
    private final Optional<String> firstToken;
    private final ConnectionBudget budget;
    private final EasyPostGateway gateway;
    private final RouteCatalog routes;
    private final CreationReconciler reconciler;
    private final TokenCache tokenCache;
    private final ClosedDays closedDays;

    private ShipgateApp(ShipgateConfig config, Database database, Vertx vertx, Pools pools,
                        Stage.SessionFactory sessions, Drain drain, Optional<String> firstToken, ConnectionBudget budget,
                        EasyPostGateway gateway, RouteCatalog routes, CreationReconciler reconciler,
                        TokenCache tokenCache, ClosedDays closedDays) {
        this.config = config;
        this.database = database;
        this.vertx = vertx;
        this.pools = pools;
        this.sessions = sessions;
        this.drain = drain;
        this.firstToken = firstToken;
        this.budget = budget;
        this.gateway = gateway;
        this.routes = routes;
        this.reconciler = reconciler;
        this.tokenCache = tokenCache;
        this.closedDays = closedDays;
    }

    /** Starts everything or nothing: on failure whatever was started is stopped again. */
    public static ShipgateApp start(ShipgateConfig config) {
        return start(config, java.time.Clock.systemUTC());
    }

    /**
     * As {@link #start(ShipgateConfig)}, with {@code clock} telling what today is in the business's time zone
     * (daily spend, the exceptions queue's estimated delivery day, end-of-day scan forms, analytics ranges of
     * {@code days}): tests stand just before or after a local midnight with it.
     */
    public static ShipgateApp start(ShipgateConfig config, java.time.Clock clock) {
        dev.shipgate.config.BusinessDay businessDay = new dev.shipgate.config.BusinessDay(config.businessTimeZone(), clock);
        dev.shipgate.config.Ports.requireFree(config.httpHost(), config.httpPort(), "HTTP_PORT");
        Database database = Database.open(config);
        Vertx vertx = null;
        Pools pools = null;
        EasyPostGateway gateway = null;
        TokenCache tokenCache = null;
        ClosedDays closedDays = null;
        try {
            Rollups.reconcile(database.url(), config.businessTimeZone());
            QueueSettings.store(database.url(), config.exceptionStallDays(), config.exceptionUnscannedDays(),
                    config.businessTimeZone());
            ConnectionBudget budget = ConnectionBudget.read(config, database.url());
            budget.check();

            String registryName = "shipgate-" + java.util.UUID.randomUUID();
            vertx = Vertx.vertx(new VertxOptions()
                    .setEventLoopPoolSize(Math.max(config.workers(), 1))
                    .setMetricsOptions(metricsOptions(registryName)));
            MeterRegistry registry = BackendRegistries.getNow(registryName);
            PoolWaitHistogram.install(registry);
            pools = Pools.create(vertx, config, database.url());
            if (pools.replica().isPresent()) {
                await(pools.replica().get().start());
            }
            Stage.SessionFactory sessions = Orm.sessionFactory(vertx, pools.orm(),
                    List.of(Shipment.class, Address.class, Parcel.class, Rate.class, ShipmentEvent.class,
                            CustomsInfo.class, CustomsItem.class, ShipmentForm.class));
            Drain drain = new Drain();
            // with the embedded database in the data directory, the simulator keeps its account there too, so a
            // restart finds the shipments and labels the database remembers
            gateway = await(EasyPostGateway.start(vertx, config.easypost(), config.databaseUrl().isEmpty()
                    ? Optional.of(config.dataDir().resolve("simulator").resolve("state.json")) : Optional.empty()));
            gateway.registerMetrics(registry);
            SimulatorFiles simulatorFiles = new SimulatorFiles(gateway.simulator());
            await(simulatorFiles.serveAt(SimulatorFiles.base(config.httpHost(), config.httpPort()), pools.raw()));
            Idempotency idempotency = new Idempotency(vertx, pools.raw());
            SpendLedger ledger = new SpendLedger(pools.raw(), businessDay);
            LabelFiles labelFiles = new LabelFiles(pools.raw(), gateway);
            LabelService labels = new LabelService(vertx, sessions, pools.raw(), gateway, ledger, config.purchaseLeaseSeconds(),
                    LabelFormat.parse("LABEL_FORMAT", config.labelFormat()));
            AuditLog audit = new AuditLog(vertx, pools.raw());
            Approvals approvals = new Approvals(pools.raw());
            Checkout checkout = new Checkout(labels, ledger, approvals, audit);
            CreationReconciler reconciler = new CreationReconciler(pools.raw(), labels);
            LabelBatches labelBatches = new LabelBatches(pools.raw(), gateway);
            CarrierAccounts carriers = new CarrierAccounts(gateway);
            if (!config.easypost().simulated() && config.easypost().checkKeyAtStart()) {
                checkApiKey(carriers);
            }
            tokenCache = TokenCache.start(vertx, Pools.connectOptions(database.url(), "token-listener"));
            closedDays = ClosedDays.start(vertx, Pools.connectOptions(database.url(), "analytics-listener"), pools.raw(),
                    pools.reads());
            TokenAuth auth = new TokenAuth(pools.raw(), tokenCache, config.apiToken(), Services.routeScopes());
            auth.onDenied(audit.denials(auth.scopes()));
            Services services = new Services(config, drain,
                    auth,
                    new OpsRoutes(vertx, pools, drain, registry, gateway::status),
                    new ShipmentRoutes(pools.raw(), pools.reads(), labels, checkout, labelFiles, reconciler, idempotency, carriers,
                            config.businessTimeZone()),
                    new CarrierRoutes(carriers),
                    new BulkRoutes(pools.raw(), idempotency, config.bulkMaxBodyBytes(), carriers,
                            new EventStreams(config.sseHeartbeatSeconds() * 1000L)),
                    new ScanFormRoutes(new ScanForms(pools.raw(), gateway, businessDay), idempotency, carriers),
                    new PickupRoutes(new Pickups(pools.raw(), gateway, ledger, config.purchaseLeaseSeconds()), idempotency),
                    new TrackingRoutes(pools.raw(), pools.reads()),
                    new TrackerRoutes(gateway, pools.raw(), idempotency),
                    new WebhookRoutes(pools.raw(), config.easypost().webhookSecret(), labelBatches::batchUpdated,
                            new QueueStay(config.exceptionStallDays(), config.exceptionUnscannedDays(), businessDay)),
                    new AddressRoutes(gateway),
                    new AnalyticsRoutes(closedDays, businessDay),
                    new ApiDocs(),
                    new Dashboard(config.webroot(), config.corsAllowedOrigins()),
                    new McpEndpoint(vertx, pools.raw(), config.httpHost(), config.httpPort(), config.mcpAllowedOrigins(),
                            config.bulkMaxBodyBytes() + McpEndpoint.ENVELOPE_BYTES, new EventStreams(config.sseHeartbeatSeconds() * 1000L)),
                    new RouteCatalog(),
                    new TokenRoutes(pools.raw(), tokenCache, idempotency, businessDay),
                    new ApprovalRoutes(approvals, checkout),
                    audit,
                    new AuditRoutes(pools.raw(), businessDay),
                    new LabelBatchRoutes(labelBatches, idempotency),
                    new ExceptionRoutes(pools.raw(), pools.reads(), config.exceptionStallDays(), config.exceptionUnscannedDays(), businessDay),
                    new CarrierPerformance(pools.reads(), businessDay),
                    Exports.create(pools.raw(), pools.reads(), businessDay, carriers),
                    new EndpointRoutes(vertx, pools.raw(), idempotency, config.webhooks()),
                    simulatorFiles);
            HttpConnections connections = new HttpConnections(registry);
            await(vertx.deployVerticle(() -> new HttpVerticle(services, connections), new DeploymentOptions().setInstances(config.workers())));
            int perLoop = (config.easypost().maxConcurrency() * 2 + config.workers() - 1) / config.workers();
            io.vertx.sqlclient.Pool raw = pools.raw();
            await(vertx.deployVerticle(() -> new BulkWorkerVerticle(raw, labels, checkout, perLoop, config.bulkLeaseSeconds()),
                    new DeploymentOptions().setInstances(config.workers())));
            await(vertx.deployVerticle(new DispatcherVerticle(raw, config.webhooks(),
                    Pools.connectOptions(database.url(), "webhook-listener"))));
            new Retention(pools.raw(), expiries()).schedule(vertx);
            reconciler.schedule(vertx);
            new LabelBatchWorker(labelBatches).start(vertx);
            Optional<String> firstToken = Optional.ofNullable(Tokens.createFirstIfNone(database.url()));
            return new ShipgateApp(config, database, vertx, pools, sessions, drain, firstToken, budget, gateway,
                    services.routes(), reconciler, tokenCache, closedDays);
        } catch (Exception e) {
            if (tokenCache != null) {
                tokenCache.close();
            }
            if (closedDays != null) {
                closedDays.close();
            }
            if (gateway != null) {
                gateway.close();
            }
            if (pools != null) {
                pools.close();
            }
            if (vertx != null) {
                vertx.close();
            }
            database.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the HTTP server did not start: " + cause.getMessage(), cause);
        }
    }

    /** A registry of this instance's own, so two services in one JVM (tests) never share or close each other's. */
    private static MicrometerMetricsOptions metricsOptions(String registryName) {
        return new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName(registryName)
                .setJvmMetricsEnabled(true)
                // Per-socket byte counters on every PostgreSQL and HTTP connection cost a meter lookup per
                // read and write (a tenth of the CPU under load); HTTP by route and the pools say more.
                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
                .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
                .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
                .addDisabledMetricsCategory(MetricsDomain.VERTICLES)
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** What each feature keeps only for a while, for {@link Retention}. */
    public static List<Retention.Expiry> expiries() {
        return List.of(new Retention.Expiry("completed idempotency keys", dev.shipgate.http.Idempotency.EXPIRE),
                new Retention.Expiry("webhook event ids", dev.shipgate.tracking.WebhookRoutes.EXPIRE),
                new Retention.Expiry("MCP sessions", dev.shipgate.mcp.McpEndpoint.EXPIRE_SESSIONS),
                new Retention.Expiry("settled shipment creations", CreationReconciler.EXPIRE),
                new Retention.Expiry("EasyPost shipment claims older than a day", CreationReconciler.EXPIRE_CLAIMS),
                new Retention.Expiry("audit rows older than 400 days", AuditLog.EXPIRE),
                new Retention.Expiry("finished webhook deliveries", EndpointRoutes.expiries().get(0)),
                new Retention.Expiry("delivered webhook events", EndpointRoutes.expiries().get(1)));
    }

    /**
     * Asks EasyPost once, at start, for the carrier accounts (a read that buys nothing), so a wrong or revoked
     * {@code EASYPOST_API_KEY} shows in {@code /health} ({@code easypost.status} DOWN, "EasyPost refused the API
     * key") and in the log from the start instead of at the first purchase, and the list is warm for the first
     * request that checks carriers. Does not hold the start: EasyPost being slow or down is the breaker's
     * business, and the gateway logs a refusal once ({@code KeyRefusal}).
     */
    private static void checkApiKey(CarrierAccounts carriers) {
        carriers.list(false).onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.info("EasyPost accepts the API key: {} carrier account(s) connected ({})",
                        ar.result().accounts().size(), String.join(", ", ar.result().carriers()));
            } else if (!EasyPostGateway.keyRefused(ar.cause())) {
                LOG.warn("EasyPost could not be asked for the carrier accounts at start: {}", ar.cause().getMessage());
            }
        });
    }

    public String banner() {
        String host = config.httpHost().contains(":") ? "[" + config.httpHost() + "]" : config.httpHost();
        StringBuilder b = new StringBuilder()
                .append("Shipgate listening on http://").append(host).append(':').append(config.httpPort())
                .append(" with ").append(config.workers()).append(" HTTP verticle instance(s)\n")
                .append("Database: ").append(database.describe()).append(", pools use ").append(budget.summary()).append('\n')
                .append(pools.replica().map(r -> "Read replica: " + r.url().display() + (r.serving() ? "" : " (not used, reads go to the primary: " + r.reason() + ")") + '\n').orElse(""))
                .append("EasyPost: ").append(gateway.simulator().isPresent()
                        ? "built-in simulator at " + gateway.status().getString("api_base") + " (set EASYPOST_API_KEY for the real API)"
                        : gateway.status().getString("api_base")).append('\n');
        if (firstToken.isPresent()) {
            b.append("First API token (shown once, store it now): ").append(firstToken.get()).append('\n');
        } else {
            b.append("API tokens: create one with `java -jar target/shipgate.jar token create --name NAME --scopes read,ship,buy`")
                    .append(config.databaseUrl().isPresent() ? " run with the same DATABASE_URL\n" : "\n");
        }
        return b.toString();
    }

    public Optional<String> firstToken() {
        return firstToken;
    }

    public int databasePort() {
        return database.url().port();
    }

    /** The operations the HTTP verticles serve, as "METHOD /path/{}". */
    public java.util.Set<String> operations() {
        return routes.operations();
    }

    public Pools pools() {
        return pools;
    }

    public EasyPostGateway gateway() {
        return gateway;
    }

    /** Requests being answered right now, streams included; shutdown waits for them. */
    public int requestsInFlight() {
        return drain.inFlight();
    }

    /** The reconciler of shipment creations, which also runs on its own every 30 s. */
    public CreationReconciler reconciler() {
        return reconciler;
    }

    /** The process's one cache of live tokens, shared by every HTTP verticle instance. */
    public TokenCache tokenCache() {
        return tokenCache;
    }

    /** The process's one cache of the daily rollup's closed days, behind every analytics read. */
    public ClosedDays closedDays() {
        return closedDays;
    }

    public ShipgateConfig config() {
        return config;
    }

    /** Stops taking requests, waits up to the grace period for those in flight, then closes everything. */
    @Override
    public void close() {
        drain.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownGraceSeconds());
        while (drain.inFlight() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        if (drain.inFlight() > 0) {
            LOG.warn("closing with {} request(s) still in flight after {} s", drain.inFlight(), config.shutdownGraceSeconds());
        }
        awaitQuietly(vertx.deploymentIDs().stream().map(vertx::undeploy).reduce((a, b) -> a.compose(v -> b)).orElse(null));
        sessions.close();
        gateway.close();
        awaitQuietly(tokenCache.close());
        awaitQuietly(closedDays.close());
        awaitQuietly(pools.close());
        awaitQuietly(vertx.close());
        database.close();
        LOG.info("shipgate stopped");
    }

    private static void awaitQuietly(io.vertx.core.Future<?> future) {
        if (future == null) {
            return;
        }
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown step did not complete cleanly: {}", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
