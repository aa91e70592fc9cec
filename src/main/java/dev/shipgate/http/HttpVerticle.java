package dev.shipgate.http;

import dev.shipgate.config.ShipgateConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One HTTP server instance per event loop, each with its own router tree built from the same shared
 * {@link Site}:
 * <pre>
 * root     drain, request id, site root (CORS, dashboard files)
 *   /api/* ─┐  the API, its prefix stripped once by the mount itself
 *   /*     ─┴─ api        public routes (health, docs, webhooks)
 *                /* ──── protected   authentication first, then every other route
 * </pre>
 * One failure handler answers problem JSON for everything, and every GET route answers HEAD.
 */
public final class HttpVerticle extends AbstractVerticle {

    private final Site site;
    private final HttpConnections connections;

    public HttpVerticle(Site site, HttpConnections connections) {
        this.site = site;
        this.connections = connections;
    }

    @Override
    public void start(Promise<Void> started) {
        ShipgateConfig config = site.config();
        ProblemHandler problems = new ProblemHandler();
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());

        Router protectedApi = Router.router(vertx);
        protectedApi.route().handler(site.authentication());
        protectedApi.route().handler(JsonBodies::check);
        protectedApi.route().handler(WriteQueries::check);
        site.mountProtected(protectedApi, body);

        Router api = Router.router(vertx);
        site.mountPublic(api, body);
        api.route("/*").subRouter(protectedApi);

        Router root = Router.router(vertx);
        root.route().handler(site.drain());
        root.route().handler(RequestId::handle);
        site.mountRoot(root);
        root.route("/api/*").subRouter(api);
        root.route("/*").subRouter(api);

        HeadRequests.answerLikeGet(root);
        site.routes().record(api);
        root.route().failureHandler(problems);
        root.errorHandler(404, problems);
        root.errorHandler(405, problems);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.httpHost())
                .setPort(config.httpPort())
                .setCompressionSupported(true)
                .setTcpNoDelay(true)
                .setIdleTimeout(120)
                .setMaxInitialLineLength(InvalidRequests.MAX_REQUEST_LINE)
                .setMaxHeaderSize(InvalidRequests.MAX_HEADER_SIZE)
                // HTTP/1.1 only: nginx speaks it upstream, and the request deadline watches HTTP/1.1 framing.
                .setHttp2ClearTextEnabled(false);
        RequestDeadline deadline = new RequestDeadline(config.httpHeaderTimeoutSeconds() * 1000L,
                config.httpRequestTimeoutSeconds() * 1000L);
        HttpConnections.Counter open = connections.forLoop(Thread.currentThread().getName());
        vertx.createHttpServer(options)
                .invalidRequestHandler(InvalidRequests::answer)
                .connectionHandler(connection -> {
                    open.opened(connection);
                    deadline.watch(connection);
                })
                .requestHandler(root)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }
}
