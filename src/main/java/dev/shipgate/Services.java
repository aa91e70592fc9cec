package dev.shipgate;

import dev.shipgate.addresses.AddressRoutes;
import dev.shipgate.analytics.AnalyticsRoutes;
import dev.shipgate.analytics.CarrierPerformance;
import dev.shipgate.exceptions.ExceptionRoutes;
import static dev.shipgate.auth.RouteScopes.audited;
import static dev.shipgate.auth.RouteScopes.entry;
import static dev.shipgate.auth.Scope.ADMIN;
import static dev.shipgate.auth.Scope.BUY;
import static dev.shipgate.auth.Scope.READ;
import static dev.shipgate.auth.Scope.SHIP;
import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.shipgate.approvals.ApprovalRoutes;
import dev.shipgate.audit.AuditLog;
import dev.shipgate.audit.AuditRoutes;
import dev.shipgate.auth.RouteScopes;
import dev.shipgate.auth.TokenAuth;
import dev.shipgate.auth.TokenRoutes;
import java.util.List;
import dev.shipgate.bulk.BulkRoutes;
import dev.shipgate.carriers.CarrierRoutes;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.http.Drain;
import dev.shipgate.labelbatches.LabelBatchRoutes;
import dev.shipgate.http.RouteCatalog;
import dev.shipgate.http.Site;
import dev.shipgate.mcp.McpEndpoint;
import dev.shipgate.ops.ApiDocs;
import dev.shipgate.ops.OpsRoutes;
import dev.shipgate.pickups.PickupRoutes;
import dev.shipgate.scanforms.ScanFormRoutes;
import dev.shipgate.shipments.ShipmentRoutes;
import dev.shipgate.tracking.TrackerRoutes;
import dev.shipgate.tracking.TrackingRoutes;
import dev.shipgate.tracking.WebhookRoutes;
import dev.shipgate.web.Dashboard;
import dev.shipgate.webhooks.EndpointRoutes;
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
                       CarrierRoutes carriers, BulkRoutes bulk, ScanFormRoutes scanForms, PickupRoutes pickups,
                       TrackingRoutes tracking, TrackerRoutes trackers, WebhookRoutes webhooks, AddressRoutes addresses,
                       AnalyticsRoutes analytics, ApiDocs docs, Dashboard dashboard, McpEndpoint mcp, RouteCatalog routes,
                       TokenRoutes tokens, ApprovalRoutes approvals, AuditLog audit, AuditRoutes auditTrail,
                       LabelBatchRoutes labelBatches, ExceptionRoutes exceptions, CarrierPerformance carrierPerformance,
                       Exports exports, EndpointRoutes webhookEndpoints,
                       dev.shipgate.easypost.SimulatorFiles simulatorFiles)
        implements Site {

    /**
     * The scope every protected route needs, and the audit operation of each that spends or changes data.
     * A route missing here stops the service at startup ({@link RouteScopes#verify}).
     */
    public static RouteScopes routeScopes() {
        return new RouteScopes(List.of(
                entry(GET, "/shipments", READ),
                entry(GET, "/shipments/:id", READ),
                entry(GET, "/shipments/:id/events", READ),
                entry(POST, "/shipments/batch-track", READ),
                entry(GET, "/jobs", READ),
                entry(GET, "/jobs/:id", READ),
                entry(GET, "/jobs/:id/events", READ),
                entry(GET, "/analytics", READ),
                entry(GET, "/analytics/:date", READ),
                entry(GET, "/analytics/carriers", READ),
                entry(GET, "/exceptions", READ),
                entry(GET, "/exceptions/summary", READ),
                entry(GET, "/exceptions/:id", READ),
                audited(POST, "/exceptions/:id/acknowledge", SHIP, "acknowledge_exception"),
                entry(GET, "/shipments/export.csv", READ),
                entry(GET, "/jobs/:id/export.csv", READ),
                entry(GET, "/analytics/export.csv", READ),
                entry(GET, "/approvals", READ),
                entry(GET, "/label-batches", READ),
                entry(GET, "/label-batches/:id", READ),
                entry(POST, "/label-batches", SHIP),
                entry(GET, "/carrier-accounts", READ),
                entry(GET, "/approvals/:id", READ),
                entry(GET, "/scan-forms", READ),
                entry(GET, "/scan-forms/open", READ),
                entry(GET, "/scan-forms/:id", READ),
                entry(GET, "/pickups", READ),
                entry(GET, "/pickups/:id", READ),
                // MCP tools reach the rest through REST calls made with the caller's token, each checked there.
                entry(POST, "/mcp", READ),
                entry(GET, "/mcp", READ),
                entry(DELETE, "/mcp", READ),
                audited(POST, "/shipments", SHIP, "create_shipment"),
                entry(POST, "/addresses/verify", SHIP),
                entry(POST, "/shipments/:id/label", SHIP),
                audited(POST, "/trackers", SHIP, "create_tracker"),
                audited(POST, "/shipments/bulk-create", SHIP, "create_bulk_job"),
                audited(POST, "/jobs/:id/cancel", SHIP, "cancel_bulk_job"),
                audited(POST, "/jobs/:id/retry", SHIP, "retry_bulk_job"),
                audited(POST, "/scan-forms", SHIP, "create_scan_form"),
                audited(POST, "/pickups", SHIP, "create_pickup"),
                audited(POST, "/pickups/:id/cancel", SHIP, "cancel_pickup"),
                audited(POST, "/shipments/:id/buy", BUY, "buy_label"),
                audited(POST, "/pickups/:id/buy", BUY, "buy_pickup"),
                audited(POST, "/shipments/:id/refund", BUY, "refund_label"),
                audited(POST, "/shipments/:id/insure", BUY, "insure_shipment"),
                audited(POST, "/shipments/:id/return", SHIP, "create_return"),
                entry(GET, "/metrics", ADMIN),
                entry(GET, "/reconciliation", ADMIN),
                audited(POST, "/tokens", ADMIN, "create_token"),
                entry(GET, "/tokens", ADMIN),
                audited(DELETE, "/tokens/:id", ADMIN, "revoke_token"),
                audited(PATCH, "/tokens/:id", ADMIN, "update_token"),
                audited(POST, "/approvals/:id/approve", ADMIN, "approve_purchase"),
                audited(POST, "/approvals/:id/reject", ADMIN, "reject_purchase"),
                entry(GET, "/audit", ADMIN),
                entry(GET, "/webhook-endpoints", ADMIN),
                audited(POST, "/webhook-endpoints", ADMIN, "create_webhook_endpoint"),
                entry(GET, "/webhook-endpoints/:id", ADMIN),
                audited(PATCH, "/webhook-endpoints/:id", ADMIN, "update_webhook_endpoint"),
                audited(DELETE, "/webhook-endpoints/:id", ADMIN, "delete_webhook_endpoint"),
                audited(POST, "/webhook-endpoints/:id/rotate-secret", ADMIN, "rotate_webhook_secret"),
                entry(GET, "/webhook-endpoints/:id/deliveries", ADMIN),
                audited(POST, "/webhook-endpoints/:id/deliveries/:delivery_id/replay", ADMIN, "replay_webhook_delivery"),
                audited(POST, "/webhook-endpoints/:id/test", ADMIN, "test_webhook_endpoint")));
    }

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
        simulatorFiles.mount(api);
    }

    @Override
    public Handler<RoutingContext> authentication() {
        return auth;
    }

    @Override
    public void mountProtected(Router api, BodyHandler body) {
        api.route().handler(audit.recorder(auth.scopes()));
        mcp.mount(api, body);
        exports.mount(api);
        ops.mountMetrics(api);
        tracking.mount(api, body);
        bulk.mount(api);
        shipments.mount(api, body);
        labelBatches.mount(api, body);
        carriers.mount(api);
        scanForms.mount(api, body);
        pickups.mount(api, body);
        trackers.mount(api, body);
        addresses.mount(api, body);
        carrierPerformance.mount(api);
        analytics.mount(api);
        exceptions.mount(api, body);
        tokens.mount(api, body);
        approvals.mount(api);
        auditTrail.mount(api);
        webhookEndpoints.mount(api, body);
        auth.scopes().verify(api);
    }
}
