package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Write path: each user creates a shipment ({@code POST /shipments}) and buys its cheapest rate
 * ({@code POST /shipments/{id}/buy}), each request with an Idempotency-Key of its own as real clients send,
 * SG_USERS connections (16 by default). The service runs the simulator at 0 ms with EASYPOST_MAX_CONCURRENCY
 * raised, so what is measured is the service and its database, not EasyPost's latency or the gateway's cap.
 * Throughput is purchases per second: one create and one buy per purchase (two requests).
 */
public class CreateAndBuySimulation extends Simulation {

    private static final String[] NAMES = {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov",
        "Ken Thompson", "Margaret Hamilton", "Radia Perlman", "Donald Knuth"};
    private static final String[][] CITIES = {{"New York", "NY", "10001"}, {"Seattle", "WA", "98101"},
        {"Austin", "TX", "78701"}, {"Denver", "CO", "80202"}, {"Boston", "MA", "02108"}};

    {
        Iterator<Map<String, Object>> orders = Stream.generate(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String[] city = CITIES[r.nextInt(CITIES.length)];
            return Map.<String, Object>of(
                    "name", NAMES[r.nextInt(NAMES.length)],
                    "street", (100 + r.nextInt(9900)) + " Main St",
                    "city", city[0], "state", city[1], "zip", city[2],
                    "weight", String.format("%.1f", 1 + r.nextInt(700) / 10.0),
                    "reference", "BENCH-" + UUID.randomUUID(),
                    "create_key", UUID.randomUUID().toString(),
                    "buy_key", UUID.randomUUID().toString());
        }).iterator();
        String body = """
                {"to_address":{"name":"#{name}","street1":"#{street}","city":"#{city}","state":"#{state}","zip":"#{zip}","country":"US"},\
                "from_address":{"name":"Shipgate Warehouse","street1":"1 Dock Rd","city":"Oakland","state":"CA","zip":"94607","country":"US"},\
                "parcel":{"length":10,"width":8,"height":4,"weight":#{weight}},"reference":"#{reference}"}""";
        var scenario = scenario("create and buy").exec(
                exec(during(Settings.warmUp()).on(purchase(orders, body, true)))
                        .exec(during(Settings.measured()).on(purchase(orders, body, false))));
        setUp(scenario.injectOpen(atOnceUsers(Settings.users(16))))
                .protocols(Workloads.protocol())
                .assertions(global().failedRequests().count().is(0L));
    }

    /** One purchase: create, then buy the cheapest rate of the shipment just created. */
    private static ChainBuilder purchase(Iterator<Map<String, Object>> orders, String body, boolean warm) {
        var create = http(warm ? "warm-up create" : "POST /shipments").post("/shipments")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "#{create_key}")
                .body(StringBody(body))
                .check(status().is(201), jsonPath("$.id").saveAs("shipment_id"));
        var buy = http(warm ? "warm-up buy" : "POST /shipments/{id}/buy").post("/shipments/#{shipment_id}/buy")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "#{buy_key}")
                .body(StringBody("{\"strategy\":\"cheapest\"}"))
                .check(status().is(200));
        return feed(orders).exec(warm ? create.silent() : create).exec(warm ? buy.silent() : buy);
    }
}
