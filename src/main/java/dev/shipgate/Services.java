package dev.shipgate;

import dev.shipgate.addresses.AddressRoutes;
import dev.shipgate.analytics.AnalyticsRoutes;
import dev.shipgate.auth.TokenAuth;
import dev.shipgate.bulk.BulkRoutes;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.http.Drain;
import dev.shipgate.http.RouteCatalog;
import dev.shipgate.mcp.McpEndpoint;
import dev.shipgate.ops.ApiDocs;
import dev.shipgate.ops.OpsRoutes;
import dev.shipgate.shipments.ShipmentRoutes;
import dev.shipgate.tracking.TrackerRoutes;
import dev.shipgate.tracking.TrackingRoutes;
import dev.shipgate.tracking.WebhookRoutes;
import dev.shipgate.web.Dashboard;

/** Everything an HTTP verticle instance serves, created once and shared by all instances. */
public record Services(ShipgateConfig config, Drain drain, TokenAuth auth, OpsRoutes ops, ShipmentRoutes shipments,
                       BulkRoutes bulk,
                       TrackingRoutes tracking, TrackerRoutes trackers, WebhookRoutes webhooks, AddressRoutes addresses,
                       AnalyticsRoutes analytics, ApiDocs docs, Dashboard dashboard, McpEndpoint mcp, RouteCatalog routes) {
}
