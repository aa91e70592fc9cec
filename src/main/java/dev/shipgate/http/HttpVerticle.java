package dev.shipgate.http;

import dev.shipgate.Services;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One HTTP server instance per event loop. Every instance gets the same services, built once before
 * deployment, and wires them into its own router: public health first, then the token check, then the
 * features, with one failure handler answering problem JSON for everything.
 */
public final class HttpVerticle extends AbstractVerticle {

    private final Services services;

    public HttpVerticle(Services services) {
        this.services = services;
    }

    @Override
    public void start(Promise<Void> started) {
        ProblemHandler problems = new ProblemHandler();
        BodyHandler body = BodyHandler.create(false).setBodyLimit(services.config().maxBodyBytes());
        Router router = Router.router(vertx);

        router.route().handler(services.drain());
        router.route().handler(RequestId::handle);
        services.dashboard().mountCors(router);
        services.dashboard().mountFiles(router);
        services.ops().mountHealth(router);
        services.webhooks().mount(router, body);
        services.docs().mount(router);
        services.mcp().mountOriginCheck(router);
        router.route().handler(services.auth());
        services.mcp().mount(router, body);
        services.ops().mountMetrics(router);
        services.tracking().mount(router, body);
        services.bulk().mount(router);
        services.shipments().mount(router, body);
        services.trackers().mount(router, body);
        services.addresses().mount(router, body);
        services.analytics().mount(router);

        services.routes().record(router);
        router.route().failureHandler(problems);
        router.errorHandler(404, problems);
        router.errorHandler(405, problems);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.config().httpHost())
                .setPort(services.config().httpPort())
                .setCompressionSupported(true)
                .setTcpNoDelay(true)
                .setIdleTimeout(120)
                .setMaxHeaderSize(16 * 1024);
        vertx.createHttpServer(options)
                .requestHandler(router)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }
}
