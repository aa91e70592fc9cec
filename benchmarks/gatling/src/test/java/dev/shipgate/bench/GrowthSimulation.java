package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The growth table of benchmarks/run.sh --growth: one read (SG_REQUEST) at a time at each data size, SG_USERS
 * clients (1 by default: the latency of a request on its own, so figures at 100k, 1M and 5M shipments compare).
 * <ul>
 *   <li>{@code by_id}: GET /shipments/{id} for random ids (SG_IDS);
 *   <li>{@code list}: the first page of GET /shipments (50, newest first);
 *   <li>{@code search}: the first page of a filtered list with search (status delivered, q = a recipient's last name);
 *   <li>{@code day}: GET /analytics/{date} for a random day of the last year;
 *   <li>{@code range}: GET /analytics?from&to over 90 days of the last year;
 *   <li>{@code exceptions}: the first page of GET /exceptions (open entries, 50).
 * </ul>
 */
public class GrowthSimulation extends Simulation {

    private static final String[] NAMES = {"lovelace", "hopper", "turing", "dijkstra", "liskov", "knuth"};

    {
        String request = Settings.text("SG_REQUEST", "by_id");
        LocalDate today = LocalDate.now();
        Iterator<Map<String, Object>> draws = Stream.generate(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            LocalDate from = today.minusDays(r.nextInt(request.equals("range") ? 276 : 365));
            return Map.<String, Object>of("from", from.toString(), "to", from.plusDays(89).toString(),
                    "name", NAMES[r.nextInt(NAMES.length)]);
        }).iterator();
        ChainBuilder feeder = request.equals("by_id") ? feed(csv(Settings.text("SG_IDS", "ids.csv")).random()) : feed(draws);
        String path = switch (request) {
            case "by_id" -> "/shipments/#{id}";
            case "list" -> "/shipments?limit=50";
            case "search" -> "/shipments?limit=50&status=delivered&q=#{name}";
            case "day" -> "/analytics/#{from}";
            case "range" -> "/analytics?from=#{from}&to=#{to}";
            case "exceptions" -> "/exceptions?limit=50";
            default -> throw new IllegalArgumentException("SG_REQUEST: unknown request " + request);
        };
        var scenario = scenario("growth " + request).exec(Workloads.warmThenMeasure(exec(feeder),
                warm -> http(warm ? "warm-up" : request).get(path).check(status().is(200))));
        setUp(scenario.injectOpen(atOnceUsers(Settings.users(1))))
                .protocols(Workloads.protocol())
                .assertions(global().failedRequests().count().is(0L));
    }
}
