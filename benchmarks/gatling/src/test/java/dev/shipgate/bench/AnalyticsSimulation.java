package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Workload 3: analytics over the demo year, SG_ANALYTICS=day (GET /analytics/{date}) or range (a 90-day
 * GET /analytics?from&to), for random days of the last year.
 */
public class AnalyticsSimulation extends Simulation {

    {
        boolean range = "range".equals(Settings.text("SG_ANALYTICS", "day"));
        LocalDate today = LocalDate.now();
        Iterator<Map<String, Object>> days = Stream.generate(() -> {
            LocalDate from = today.minusDays(ThreadLocalRandom.current().nextInt(range ? 276 : 365));
            return Map.<String, Object>of("from", from.toString(), "to", from.plusDays(89).toString());
        }).iterator();
        String name = range ? "GET /analytics (90 days)" : "GET /analytics/{date}";
        String path = range ? "/analytics?from=#{from}&to=#{to}" : "/analytics/#{from}";
        var scenario = scenario("analytics").exec(Workloads.warmThenMeasure(feed(days),
                warm -> http(warm ? "warm-up" : name).get(path).check(status().is(200))));
        setUp(scenario.injectOpen(atOnceUsers(Settings.users(4))))
                .protocols(Workloads.protocol())
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().responseTime().percentile(99.0).lt(Settings.p99(20)));
    }
}
