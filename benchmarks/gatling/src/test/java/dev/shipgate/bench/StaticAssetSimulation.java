package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;

/** Workload 5: one dashboard file (SG_PATH), through nginx or from the service alone (SG_BASE_URL decides). */
public class StaticAssetSimulation extends Simulation {

    {
        String path = Settings.text("SG_PATH", "/app/main.js");
        var scenario = scenario("static").exec(Workloads.warmThenMeasure(exec(session -> session),
                warm -> http(warm ? "warm-up" : "GET " + path).get(path).check(status().is(200))));
        setUp(scenario.injectOpen(atOnceUsers(Settings.users(64))))
                .protocols(Workloads.protocol())
                .assertions(global().failedRequests().count().is(0L));
    }
}
