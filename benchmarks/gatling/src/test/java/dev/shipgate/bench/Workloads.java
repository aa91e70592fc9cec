package dev.shipgate.bench;

import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.function.Function;

/** The shape every workload shares: a warm-up whose requests are left out of the figures, then the measured phase. */
final class Workloads {

    private Workloads() {
    }

    static HttpProtocolBuilder protocol() {
        return http.baseUrl(Settings.baseUrl())
                .authorizationHeader("Bearer " + Settings.token())
                .acceptHeader("application/json")
                .disableCaching();
    }

    /** Each user loops, on its own connection, over the request built by {@code request} (named once). */
    static ChainBuilder warmThenMeasure(ChainBuilder feed, Function<Boolean, HttpRequestActionBuilder> request) {
        return exec(during(Settings.warmUp()).on(feed.exec(request.apply(true).silent())))
                .exec(during(Settings.measured()).on(feed.exec(request.apply(false))));
    }
}
