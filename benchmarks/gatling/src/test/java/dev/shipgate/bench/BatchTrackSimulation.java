package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;

/** Workload 2: POST /shipments/batch-track with 50 random known codes per request, 16 connections. */
public class BatchTrackSimulation extends Simulation {

    {
        // One row per request: "codes" holds a JSON array of 50 tracking codes.
        var batches = csv(Settings.text("SG_BATCHES", "batches.csv")).random();
        var scenario = scenario("batch track").exec(Workloads.warmThenMeasure(feed(batches),
                warm -> http(warm ? "warm-up" : "POST /shipments/batch-track").post("/shipments/batch-track")
                        .header("Content-Type", "application/json")
                        .body(StringBody("{\"tracking_codes\":#{codes}}"))
                        // Counting a key is a cheap check for the 50 results (a JSON path parses each answer,
                        // and Gatling shares the two cores with the service).
                        .check(status().is(200), substring("\"shipment_id\"").count().is(50))));
        setUp(scenario.injectOpen(atOnceUsers(Settings.users(16))))
                .protocols(Workloads.protocol())
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().responseTime().percentile(99.0).lt(Settings.p99(50)));
    }
}
