package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;

/**
 * GET /shipments/{id} under an open model: SG_RATE new users a second (each one request on a fresh
 * connection, arriving whether or not earlier ones were answered), for SG_WARMUP_SECONDS unmeasured and then
 * SG_SECONDS measured. Unlike the closed model (a fixed number of users that wait for their answer), queueing
 * shows in the latency instead of slowing the arrivals: this is the latency a client sees at that load.
 * The users share one pool of keep-alive connections (as requests through nginx or a client's own pool
 * would), so the figure is not a TCP handshake per request.
 * benchmarks/run.sh sets SG_RATE to a share of the closed model's maximum measured in the same run.
 */
public class GetShipmentOpenSimulation extends Simulation {

    {
        double rate = Double.parseDouble(Settings.text("SG_RATE", "100"));
        var ids = csv(Settings.text("SG_IDS", "ids.csv")).random();
        var warm = scenario("warm-up").exec(feed(ids), http("warm-up").get("/shipments/#{id}").check(status().is(200)).silent());
        var measured = scenario("get shipment, open").exec(feed(ids),
                http("GET /shipments/{id}").get("/shipments/#{id}").check(status().is(200)));
        setUp(warm.injectOpen(constantUsersPerSec(rate).during(Settings.warmUp()))
                        .andThen(measured.injectOpen(constantUsersPerSec(rate).during(Settings.measured()))))
                .protocols(Workloads.protocol().shareConnections())
                .assertions(global().failedRequests().count().is(0L));
    }
}
