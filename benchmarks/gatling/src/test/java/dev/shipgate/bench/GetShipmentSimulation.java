package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;

/** Workload 1: GET /shipments/{id} for random ids, 64 connections (the ORM path: three queries per request). */
public class GetShipmentSimulation extends Simulation {

    {
        var ids = csv(Settings.text("SG_IDS", "ids.csv")).random();
        var scenario = scenario("get shipment").exec(Workloads.warmThenMeasure(feed(ids),
                warm -> http(warm ? "warm-up" : "GET /shipments/{id}").get("/shipments/#{id}").check(status().is(200))));
        setUp(scenario.injectOpen(atOnceUsers(Settings.users(64))))
                .protocols(Workloads.protocol())
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().responseTime().percentile(99.0).lt(Settings.p99(25)));
    }
}
