package dev.shipgate;

import dev.shipgate.addresses.AddressRoutes;
import dev.shipgate.analytics.AnalyticsRoutes;
import dev.shipgate.auth.TokenAuth;
import dev.shipgate.bulk.BulkRoutes;
import dev.shipgate.carriers.CarrierRoutes;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.http.Drain;
import dev.shipgate.http.RouteCatalog;
import dev.shipgate.http.Site;
import dev.shipgate.mcp.McpEndpoint;
import dev.shipgate.ops.ApiDocs;
import dev.shipgate.ops.OpsRoutes;
import dev.shipgate.shipments.ShipmentRoutes;
import dev.shipgate.tracking.TrackerRoutes;
import dev.shipgate.tracking.TrackingRoutes;
import dev.shipgate.tracking.WebhookRoutes;
import dev.shipgate.web.Dashboard;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Everything an HTTP verticle instance serves, created once and shared by all instances, and which part
 * of the router tree each feature belongs to. A route is public only if it is listed in
 * {@link #mountPublic}; everything else sits behind the token check.
 */
public record Services(ShipgateConfig config, Drain drain, TokenAuth auth, OpsRoutes ops, ShipmentRoutes shipments,
                       CarrierRoutes carriers, BulkRoutes bulk,
                       TrackingRoutes tracking, TrackerRoutes trackers, WebhookRoutes webhooks, AddressRoutes addresses,
                       AnalyticsRoutes analytics, ApiDocs docs, Dashboard dashboard, McpEndpoint mcp, RouteCatalog routes)
        implements Site {

    @Override
    public void mountRoot(Router root) {
        dashboard.mountCors(root);
        dashboard.mountFiles(root);
    }

    @Override
    public void mountPublic(Router api, BodyHandler body) {
        ops.mountHealth(api);
        webhooks.mount(api, body);
        docs.mount(api);
        mcp.mountOriginCheck(api);
    }

    @Override
    public Handler<RoutingContext> authentication() {
        return auth;
    }

    @Override
    public void mountProtected(Router api, BodyHandler body) {
        mcp.mount(api, body);
        ops.mountMetrics(api);
        tracking.mount(api, body);
        bulk.mount(api);
        shipments.mount(api, body);
        carriers.mount(api);
        trackers.mount(api, body);
        addresses.mount(api, body);
        analytics.mount(api);
    }
}
